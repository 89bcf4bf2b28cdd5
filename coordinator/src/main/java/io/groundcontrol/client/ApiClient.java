package io.groundcontrol.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.groundcontrol.query.MissionDocument;
import io.groundcontrol.query.MissionFilter;
import io.groundcontrol.query.MissionPage;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * The read side of the HTTP API, for the CLI. A 503 (a rebalance) is retried as the server asks,
 * within {@link #RETRY_BUDGET}; a server that cannot be reached throws {@link Unreachable}.
 */
public final class ApiClient {
  private static final Duration RETRY_BUDGET = Duration.ofSeconds(15);
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** The API could not be reached at all: a caller may fall back to another way. */
  public static final class Unreachable extends RuntimeException {
    Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final String baseUrl;
  private final String key;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  /** @param baseUrl e.g. {@code http://127.0.0.1:8080/api/v1} */
  public ApiClient(String baseUrl, String key) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.key = key;
  }

  public String baseUrl() {
    return baseUrl;
  }

  /** The mission; empty if no instance has it. */
  public Optional<MissionDocument> mission(String missionId) {
    HttpResponse<String> response = get("/missions/" + encode(missionId));
    return response.statusCode() == 404 ? Optional.empty() : Optional.of(read(response, MissionDocument.class));
  }

  /** One page of missions, newest first. */
  public MissionPage missions(MissionFilter filter, String cursor, int limit) {
    List<String> query = new ArrayList<>();
    query.add("limit=" + limit);
    if (cursor != null) {
      query.add("cursor=" + encode(cursor));
    }
    if (filter.status() != null) {
      query.add("status=" + filter.status());
    }
    if (filter.plan() != null) {
      query.add("plan=" + encode(filter.plan()));
    }
    if (filter.startedAfter() != null) {
      query.add("startedAfter=" + filter.startedAfter());
    }
    if (filter.startedBefore() != null) {
      query.add("startedBefore=" + filter.startedBefore());
    }
    return read(get("/missions?" + String.join("&", query)), MissionPage.class);
  }

  private HttpResponse<String> get(String path) {
    long deadline = System.nanoTime() + RETRY_BUDGET.toNanos();
    while (true) {
      HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
          .timeout(Duration.ofSeconds(30))
          .header("Authorization", "Bearer " + key)
          .GET().build();
      HttpResponse<String> response;
      try {
        response = http.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new Unreachable("Could not reach the API at " + baseUrl + ": " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while calling " + baseUrl, e);
      }
      if (response.statusCode() != 503 || System.nanoTime() > deadline) {
        return response;
      }
      long seconds = response.headers().firstValueAsLong("Retry-After").orElse(1);
      LockSupport.parkNanos(Duration.ofSeconds(Math.max(1, Math.min(seconds, 5))).toNanos());
    }
  }

  private static <T> T read(HttpResponse<String> response, Class<T> type) {
    if (response.statusCode() != 200) {
      throw new IllegalStateException("The API answered " + response.statusCode() + ": " + errorOf(response.body()));
    }
    try {
      return JSON.readValue(response.body(), type);
    } catch (IOException e) {
      throw new IllegalStateException("The API answered what is not a " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  private static String errorOf(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      return node.hasNonNull("error") ? node.get("error").asText() : body;
    } catch (IOException e) {
      return body;
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
