package io.groundcontrol.api;

import io.groundcontrol.client.WriteNotTakenException;
import io.groundcontrol.query.QueryUnavailableException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.EndpointNotFound;
import io.javalin.router.exception.HttpResponseExceptionMapper;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the server answers a failure: on the API's paths always {@code {"status": .., "error": ..}},
 * an unknown route and a body over the size limit included; never a stack trace.
 */
final class ApiErrors {
  /** How soon to ask again after Kafka did not take a write: a broker away is usually away for a while. */
  static final Duration RETRY_NOT_TAKEN = Duration.ofSeconds(5);

  /** Where the API's paths begin. */
  static final String API_PATHS = "/api/";
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

  private ApiErrors() {}

  /** Maps every failure of the server being configured to its answer. */
  static void install(JavalinConfig config) {
    long maxBody = config.http.maxRequestSize;
    // Jetty refuses some requests (a path that is not percent-encoded UTF-8, a URI too long) before any route.
    config.jetty.modifyServer(server -> server.setErrorHandler(new EarlyErrors()));
    config.routes.exception(EndpointNotFound.class, (e, ctx) -> refuse(ctx, 404,
        "Expected a route at " + ctx.method() + " " + ctx.path() + ", but there is none (see /api/v1/openapi.json)"));
    config.routes.exception(HttpResponseException.class, (e, ctx) -> {
      if (e.getStatus() == 413) {
        refuse(ctx, 413, "Expected a request body of at most " + maxBody + " bytes, but this one is larger");
      } else {
        HttpResponseExceptionMapper.INSTANCE.handle(e, ctx);
      }
    });
    config.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage(), e.details()));
    config.routes.exception(QueryUnavailableException.class, (e, ctx) -> unavailable(ctx, e.getMessage(), e.retryAfter()));
    // The cluster is the problem, not the request; the message says whether sending it again is safe.
    config.routes.exception(WriteNotTakenException.class, (e, ctx) -> unavailable(ctx, e.getMessage(), RETRY_NOT_TAKEN));
    config.routes.exception(InvalidStateStoreException.class, (e, ctx) -> {
      // A store moved between finding it and reading it: the same as no owner yet.
      ctx.header("Retry-After", "1");
      error(ctx, 503, "A store is moving between instances (" + e.getMessage() + "); retry", Map.of("retryAfterSeconds", 1));
    });
    config.routes.exception(Exception.class, (e, ctx) -> {
      // The caller learns that it failed and how to find it in the log, never the stack trace.
      String incident = UUID.randomUUID().toString();
      LOG.error("{} {} failed (incident {})", ctx.method(), ctx.path(), incident, e);
      error(ctx, 500, "Expected to answer, but the request failed unexpectedly; the coordinator's log has "
          + "the details under incident " + incident, Map.of("incident", incident));
    });
  }

  /** 503 with Retry-After: the request may succeed later, unchanged. */
  private static void unavailable(Context ctx, String message, Duration retryAfter) {
    long seconds = Math.max(1, retryAfter.toSeconds());
    ctx.header("Retry-After", Long.toString(seconds));
    error(ctx, 503, message, Map.of("retryAfterSeconds", seconds));
  }

  /** An error in the API's JSON shape on the API's paths; one line of text elsewhere (the UI's). */
  private static void refuse(Context ctx, int status, String message) {
    if (ctx.path().startsWith(API_PATHS)) {
      error(ctx, status, message, Map.of());
    } else {
      ctx.status(status).contentType("text/plain; charset=utf-8").result(message);
    }
  }

  /** The API's error body, {@code {"status": .., "error": ..}}. */
  static Map<String, Object> shape(int status, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status);
    body.put("error", message);
    return body;
  }

  private static void error(Context ctx, int status, String message, Map<String, Object> details) {
    Map<String, Object> body = shape(status, message);
    body.putAll(details);
    if (status == 401) {
      ctx.header("WWW-Authenticate", "Bearer");
    }
    Json.send(ctx, status, body);
  }
}
