package io.groundcontrol.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.groundcontrol.query.MissionDocument;
import io.groundcontrol.query.MissionFilter;
import io.groundcontrol.query.MissionPage;
import io.groundcontrol.query.SchedulePage;
import io.groundcontrol.trigger.TriggerPage;
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

  /**
   * The API answered, but not with what was asked (a refused key, a bad option, a URL that is not
   * the API's): its message is the one line to show, with the status and the API's own reason.
   */
  public static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message);
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
    return unknownMission(response, missionId) ? Optional.empty() : Optional.of(read(response, MissionDocument.class));
  }

  /** A 404 naming the mission: any other 404 is a path this API does not have (a wrong base URL). */
  private static boolean unknownMission(HttpResponse<String> response, String missionId) {
    if (response.statusCode() != 404) {
      return false;
    }
    try {
      JsonNode node = JSON.readTree(response.body());
      return node != null && missionId.equals(node.path("missionId").asText(null));
    } catch (IOException e) {
      return false;
    }
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

  /** Every applied schedule, from the scheduler's store: its next fires, pause and last mission with its status. */
  public SchedulePage schedules() {
    return read(get("/schedules"), SchedulePage.class);
  }

  /** The applied event triggers, each with whether the answering coordinator instance reads its topic. */
  public TriggerPage triggers() {
    return read(get("/triggers"), TriggerPage.class);
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
    String url = response.request().uri().toString();
    if (response.statusCode() != 200) {
      String error = errorOf(response.body());
      throw new Refused("The API answered " + response.statusCode() + " for " + url
          + (error.isEmpty() ? ", with no reason in its answer" + (response.statusCode() >= 500
              ? " (the log of the coordinator, or of a proxy in front of it, may say why)" : "") : ": " + error)
          + (response.statusCode() == 404 ? " (check --api-url: it ends in /api/v1)" : ""));
    }
    try {
      return JSON.readValue(response.body(), type);
    } catch (IOException e) {
      throw new Refused("The API at " + url + " answered what is not a " + type.getSimpleName() + ": "
          + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  /** The API's reason, or the start of what else answered (a proxy's HTML page) on one line. */
  private static String errorOf(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      if (node != null && node.hasNonNull("error")) {
        return node.get("error").asText();
      }
    } catch (IOException e) {
      // Not JSON: show what it is.
    }
    String line = body.replaceAll("\\s+", " ").strip();
    return line.length() <= 200 ? line : line.substring(0, 200) + "...";
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
