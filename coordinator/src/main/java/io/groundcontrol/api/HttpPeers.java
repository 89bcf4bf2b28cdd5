package io.groundcontrol.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.groundcontrol.query.LocalPage;
import io.groundcontrol.query.MissionDocument;
import io.groundcontrol.query.MissionFilter;
import io.groundcontrol.query.Peers;
import io.groundcontrol.query.QueryUnavailableException;
import io.groundcontrol.query.ScheduleDocument;
import io.groundcontrol.query.SchedulePage;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Asks other instances over their internal HTTP routes ({@link InternalRoutes}), passing on the
 * caller's key. A peer that does not answer within {@link #TIMEOUT} (dead, or stopping) is
 * unavailable: the caller is asked to retry, never kept waiting.
 */
final class HttpPeers implements Peers {
  static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final Duration RETRY = Duration.ofSeconds(2);

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Override
  public Optional<MissionDocument> mission(HostInfo peer, String missionId, int partition, String credentials) {
    String path = InternalRoutes.MISSION.replace("{id}", encode(missionId)) + "?partition=" + partition;
    return one(peer, path, credentials, MissionDocument.class, InternalRoutes.MISSION_FIELD, missionId);
  }

  @Override
  public LocalPage page(HostInfo peer, MissionFilter filter, String cursor, int limit, Collection<Integer> partitions,
      String credentials) {
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("partitions", joined(partitions));
    query.put("limit", limit);
    query.put("cursor", cursor);
    query.put("status", filter.status());
    query.put("plan", filter.plan());
    query.put("startedAfter", filter.startedAfter());
    query.put("startedBefore", filter.startedBefore());
    String params = query.entrySet().stream().filter(e -> e.getValue() != null)
        .map(e -> e.getKey() + "=" + encode(e.getValue().toString())).collect(Collectors.joining("&"));
    return read(peer, get(peer, InternalRoutes.PAGE + "?" + params, credentials), LocalPage.class);
  }

  @Override
  public List<ScheduleDocument> schedules(HostInfo peer, Collection<Integer> partitions, String credentials) {
    String path = InternalRoutes.SCHEDULES + "?partitions=" + encode(joined(partitions));
    return read(peer, get(peer, path, credentials), SchedulePage.class).schedules();
  }

  @Override
  public Optional<ScheduleDocument> schedule(HostInfo peer, String name, int partition, String credentials) {
    String path = InternalRoutes.SCHEDULE.replace("{name}", encode(name)) + "?partition=" + partition;
    return one(peer, path, credentials, ScheduleDocument.class, InternalRoutes.SCHEDULE_FIELD, name);
  }

  /**
   * What {@code peer} holds at {@code path}; empty if it answers that it does not have {@code name}
   * (a 404 whose body names it in {@code field}). Any other 404 is not taken for "unknown": the
   * address may be another service's, or another instance's advertised under the same name.
   */
  private <T> Optional<T> one(HostInfo peer, String path, String credentials, Class<T> type, String field,
      String name) {
    HttpResponse<String> response = get(peer, path, credentials);
    if (response.statusCode() == 404) {
      if (InternalRoutes.saysAbsent(response.body(), field, name)) {
        return Optional.empty();
      }
      throw new QueryUnavailableException("Instance " + address(peer) + " answered 404 without naming '" + name + "': "
          + "is a Groundcontrol coordinator's API at that address? Check that instance's --advertised-host and "
          + "--api-port", RETRY);
    }
    return Optional.of(read(peer, response, type));
  }

  private static String joined(Collection<Integer> partitions) {
    return partitions.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  private HttpResponse<String> get(HostInfo peer, String path, String credentials) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + peer.host() + ":" + peer.port() + path))
        .timeout(TIMEOUT)
        .header("Authorization", credentials == null ? "" : credentials)
        .GET().build();
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 401 || response.statusCode() == 403) {
        throw new ApiException(response.statusCode(), "Instance " + address(peer) + " refused the key: "
            + said(response.body()));
      }
      return response;
    } catch (IOException e) {
      throw new QueryUnavailableException("Instance " + address(peer) + " did not answer (" + e + "); it may be stopping",
          RETRY);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QueryUnavailableException("Interrupted while asking " + address(peer), RETRY);
    }
  }

  private static <T> T read(HostInfo peer, HttpResponse<String> response, Class<T> type) {
    if (response.statusCode() != 200) {
      throw new QueryUnavailableException("Instance " + address(peer) + " answered " + response.statusCode() + ": "
          + said(response.body()), RETRY);
    }
    try {
      return Json.MAPPER.readValue(response.body(), type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Instance " + address(peer) + " answered what is not a " + type.getSimpleName()
          + ": " + e.getOriginalMessage(), e);
    }
  }

  /** A peer as the operator gave it ({@code --advertised-host} and {@code --api-port}), not HostInfo's toString. */
  private static String address(HostInfo peer) {
    return peer.host() + ":" + peer.port();
  }

  /** The API's own words in an error answer ({@code {"status": 503, "error": "..."}}), else the body as it came. */
  private static String said(String body) {
    try {
      JsonNode error = Json.MAPPER.readTree(body).get("error");
      return error != null && error.isTextual() ? error.asText() : body;
    } catch (JsonProcessingException e) {
      return body;
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
