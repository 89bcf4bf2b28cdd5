package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** A plain HTTP client for API tests: real requests, no client library of ours in between. */
final class Http {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** One answer. */
  record Response(int status, String body, HttpResponse<String> raw) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("Expected JSON, but got: " + body, e);
      }
    }

    Response expect(int expected) {
      assertThat(status).as("status of answer " + body).isEqualTo(expected);
      return this;
    }
  }

  private Http() {}

  static Response get(String url, String key) {
    return send(HttpRequest.newBuilder(URI.create(url)).GET(), key);
  }

  static Response post(String url, String key, String json) {
    return post(url, key, json, "application/json");
  }

  static Response post(String url, String key, String body, String contentType) {
    return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body)), key);
  }

  static Response send(HttpRequest.Builder request, String key) {
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    try {
      HttpResponse<String> response = CLIENT.send(request.timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body(), response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** GETs {@code url} until the answer passes {@code done}; fails with the last answer after {@code timeout}. */
  static Response poll(String url, String key, Predicate<Response> done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Response last = null;
    while (System.nanoTime() < deadline) {
      last = get(url, key);
      if (done.test(last)) {
        return last;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
    }
    throw new AssertionError("No answer from " + url + " passed within " + timeout + "; last: "
        + (last == null ? "none" : last.status() + " " + last.body()));
  }
}
