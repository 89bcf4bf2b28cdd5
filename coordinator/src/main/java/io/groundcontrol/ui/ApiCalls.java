package io.groundcontrol.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.groundcontrol.plan.ExactJson;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Supplier;

/**
 * The web UI's way to the HTTP API of its own instance: every read and command goes through
 * {@code /api/v1} with the signed-in user's key, so roles, rejections, idempotency and the
 * forwarding to the instance owning a mission are the API's, never a second copy of them.
 */
final class ApiCalls {
  /** Numbers exact, so a plan's default is shown and sent back with every digit. */
  static final ObjectMapper JSON = ExactJson.mapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** An answer of the API: its status, body text and content type. */
  record Answer(int status, String body, String contentType, String disposition) {
    boolean ok() {
      return status >= 200 && status < 300;
    }

    /** The body as JSON; an {@link ApiError} if the status is an error. */
    JsonNode json() {
      if (!ok()) {
        throw ApiError.of(this);
      }
      return parse(body);
    }
  }

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Supplier<String> baseUrl;

  /** @param baseUrl the API's base, e.g. {@code http://127.0.0.1:8080/api/v1} */
  ApiCalls(Supplier<String> baseUrl) {
    this.baseUrl = baseUrl;
  }

  Answer get(String key, String path) {
    return send(request(key, path).GET().build());
  }

  Answer post(String key, String path, Object body, Map<String, String> headers) {
    HttpRequest.Builder request = request(key, path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(write(body)));
    headers.forEach(request::header);
    return send(request.build());
  }

  /** {@code path} with the non-null query parameters, URL-encoded. */
  static String withQuery(String path, Map<String, String> query) {
    StringJoiner joined = new StringJoiner("&", path + "?", "").setEmptyValue(path);
    query.forEach((name, value) -> {
      if (value != null && !value.isBlank()) {
        joined.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
      }
    });
    return joined.toString();
  }

  /** One path segment, encoded. */
  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private HttpRequest.Builder request(String key, String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl.get() + path)).timeout(TIMEOUT)
        .header("Authorization", "Bearer " + key).header("Accept", "application/json");
  }

  private Answer send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Answer(response.statusCode(), response.body(),
          response.headers().firstValue("Content-Type").orElse("application/json"),
          response.headers().firstValue("Content-Disposition").orElse(null));
    } catch (IOException e) {
      throw new ApiError(503, "Expected the API at " + baseUrl.get() + " to answer, but " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiError(503, "Interrupted while waiting for the API");
    }
  }

  static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ApiError(502, "Expected JSON from the API, but " + e.getOriginalMessage());
    }
  }

  static String write(Object body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Could not write JSON: " + e.getMessage(), e);
    }
  }
}
