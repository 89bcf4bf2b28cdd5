package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groundcontrol.apikey.ApiKeySecrets;
import io.groundcontrol.client.ApiKeyCache;
import io.groundcontrol.client.ComponentPublisher;
import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.client.LiveTable;
import io.groundcontrol.client.PlanPublisher;
import io.groundcontrol.query.MissionQueries;
import io.groundcontrol.query.Peers;
import io.groundcontrol.query.ScheduleQueries;
import io.groundcontrol.schema.ApiKey;
import io.groundcontrol.schema.ApiRole;
import io.groundcontrol.schema.wire.TopicNames;
import io.javalin.Javalin;
import io.javalin.http.Handler;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Randomised requests (fixed seeds) to every route of openapi.json, on the real route table, key
 * check and error mapping, with no broker: whatever a route would ask the coordinator (its
 * streams, the command gateways, the publishers) answers a marker status 299 instead, so a request
 * that gets 299 passed every check the API makes before touching the coordinator.
 *
 * <p>Invariants, for every request:
 * <ol>
 *   <li>never a 5xx, never a stack trace or a Java class name in a body;</li>
 *   <li>on /api/, every 4xx is JSON {@code {"status": <the status>, "error": "..."}};</li>
 *   <li>a status the route's operation in openapi.json does not list is a violation (the marker
 *       299 aside);</li>
 *   <li>a body field of the wrong type is a 400 whose error names the field, never accepted;</li>
 *   <li>the same request twice gets the same answer (incident ids aside);</li>
 *   <li>HEAD on a GET route answers the GET's status without a body (but for a request line the
 *       HTTP server cannot parse, whose method it does not know).</li>
 * </ol>
 * The server is mounted by {@link ApiServer#mount} with the real error answers, so it drifts from
 * ApiServer's own only by its backend. A failure names the seed, the step, the raw request and the
 * answer. {@code -Dapifuzz.seeds=N} runs seeds 1..N (default 20), {@code -Dapifuzz.steps=N} N
 * requests each (default 40).
 */
class ApiFuzzTest {
  private static final int SEEDS = Integer.getInteger("apifuzz.seeds", 20);
  private static final int STEPS = Integer.getInteger("apifuzz.steps", 40);
  private static final int REACHED = 299;
  private static final Pattern INCIDENT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern LEAK = Pattern.compile(
      "\\tat |\\n\\s+at [a-z]|Exception:|\\bjava\\.[a-z]+\\.|io\\.groundcontrol\\.|com\\.fasterxml|org\\.eclipse|io\\.javalin|\\$[A-Z][A-Za-z]*Request");

  /** The marker a route throws when it reaches what would be the coordinator. */
  static final class Reached extends RuntimeException {
    Reached(String what) {
      super(what, null, false, false);
    }
  }

  private static Javalin server;
  private static int port;
  private static final Map<String, String> KEYS = new LinkedHashMap<>();
  private static JsonNode doc;

  @BeforeAll
  static void start() throws Exception {
    doc = Json.MAPPER.readTree(OperationRoutes.load());
    ApiKeyCache keys = fakeKeys();
    Backend backend = fakeBackend(keys);
    Supplier<Backend> supplier = () -> backend;
    List<ApiRoute> routes = ApiServer.routes(supplier, () -> true);
    EventStreams streams = new EventStreams(supplier, () -> keys);
    server = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      ApiServer.mount(config, routes, () -> keys, streams, ApiFuzzTest::reaching);
      ApiErrors.install(config);
      config.routes.exception(Reached.class, (e, ctx) -> Json.send(ctx, REACHED, Map.of("reached", e.getMessage())));
    }).start("127.0.0.1", 0);
    port = server.port();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop();
    }
  }

  // ---------------------------------------------------------------- the fuzz

  /** A generated request: what it is sent as, the operation it aims at, and what is wrong with it. */
  record Req(RawHttp.Request http, String op, String badField, String note) {
    String method() {
      return http.method();
    }

    String target() {
      return http.target();
    }

    String show() {
      StringBuilder s = new StringBuilder(method()).append(' ').append(RawHttp.abbrev(target(), 300));
      for (String[] h : http.headers()) {
        s.append("\n  ").append(h[0]).append(": ").append(RawHttp.abbrev(h[1], 80));
      }
      if (http.body() != null) {
        s.append("\n  body(").append(http.body().length).append(" bytes): ")
            .append(RawHttp.abbrev(new String(http.body(), StandardCharsets.UTF_8), 300));
      }
      if (note != null) {
        s.append("\n  (").append(note).append(')');
      }
      return s.toString();
    }
  }

  /** One violation of an invariant, kept once per kind and operation. */
  record Violation(String kind, String op, long seed, int step, Req req, RawHttp.Response resp) {}

  @Test
  void everyRouteAnswersEveryBadRequestWithADocumentedJsonErrorTheSameWayEveryTime() throws Exception {
    Map<String, Violation> found = new TreeMap<>();
    List<String[]> ops = operations();
    for (long seed = 1; seed <= SEEDS; seed++) {
      Random rnd = new Random(seed);
      for (int step = 0; step < STEPS; step++) {
        String[] op = ops.get(rnd.nextInt(ops.size()));
        Req req = request(rnd, op[0], op[1]);
        RawHttp.Response resp = send(req);
        check(found, seed, step, req, resp);
        RawHttp.Response again = send(req);
        if (again.status() != resp.status()
            || !masked(again.body()).equals(masked(resp.body()))) {
          found.putIfAbsent("nondeterministic " + req.op(), new Violation("nondeterministic: second answer "
              + again.show(), req.op(), seed, step, req, resp));
        }
        if (req.method().equals("GET") && !req.target().contains("/events/stream")) {
          RawHttp.Response headResp = RawHttp.send(port,
              new RawHttp.Request("HEAD", req.target(), req.http().headers(), req.http().body()));
          // Jetty answers a request line it cannot parse before it knows the method: a HEAD gets the GET's body.
          boolean methodUnknown = refusedBeforeRouting(headResp) && headResp.body().equals(resp.body());
          if (headResp.status() != resp.status() || (!methodUnknown && !headResp.body().isEmpty())) {
            found.putIfAbsent("head " + req.op(), new Violation("HEAD differs from GET: " + headResp.show(),
                req.op(), seed, step, req, resp));
          }
        }
      }
    }
    StringBuilder report = new StringBuilder();
    for (Violation v : found.values()) {
      report.append("\n\n[").append(v.kind()).append("] ").append(v.op()).append(" (seed ").append(v.seed())
          .append(", step ").append(v.step()).append(")\n").append(v.req().show()).append("\n-> ").append(v.resp().show());
    }
    assertThat(found.keySet()).as("violations over seeds 1.." + SEEDS + " x " + STEPS + " steps:" + report).isEmpty();
  }

  private static void check(Map<String, Violation> found, long seed, int step, Req req, RawHttp.Response resp) {
    String op = req.op();
    BiConsumer<String, String> fail = (key, kind) ->
        found.putIfAbsent(key + " " + op, new Violation(kind, op, seed, step, req, resp));
    boolean api = req.target().startsWith("/api/");
    if (resp.status() >= 500) {
      fail.accept("5xx", "a " + resp.status());
    }
    if (resp.status() != REACHED && LEAK.matcher(resp.body()).find()) {
      fail.accept("leak", "a stack trace or Java name in the body");
    }
    if (api && resp.status() >= 400 && !req.method().equals("HEAD")) {
      try {
        JsonNode body = Json.MAPPER.readTree(resp.body());
        if (!resp.headers().getOrDefault("content-type", "").startsWith("application/json")
            || body == null || body.path("status").asInt() != resp.status() || !body.path("error").isTextual()
            || body.path("error").asText().isBlank()) {
          fail.accept("shape " + resp.status(), "a " + resp.status() + " that is not {status, error} JSON");
        }
      } catch (Exception e) {
        fail.accept("shape " + resp.status(), "a " + resp.status() + " that is not JSON");
      }
    }
    if (resp.status() == REACHED && req.badField() != null) {
      fail.accept("accepted " + req.badField(), "accepted a body whose field '" + req.badField() + "' breaks the documented schema");
    }
    if (resp.status() == 400 && req.badField() != null && !refusedBeforeRouting(resp)
        && !resp.body().contains(req.badField()) && !refusedForBlankIdempotencyKey(req, resp)) {
      fail.accept("unnamed " + req.badField(), "a 400 whose error does not name the bad field '" + req.badField() + "'");
    }
    JsonNode operation = documented(req.method(), op);
    if (operation != null && resp.status() != REACHED
        && !operation.path("responses").has(Integer.toString(resp.status()))) {
      fail.accept("undocumented " + resp.status(), "status " + resp.status() + " is not in openapi.json for this operation");
    }
  }

  /** Whether Jetty refused the request line (its path, its length) before any route read the body. */
  private static boolean refusedBeforeRouting(RawHttp.Response resp) {
    return (resp.status() == 400 || resp.status() == 414) && (resp.body().contains("Expected a well-formed HTTP request")
        || resp.body().contains("Expected a request line"));
  }

  /** A start with a blank Idempotency-Key header and a bad body may be refused for either. */
  private static boolean refusedForBlankIdempotencyKey(Req req, RawHttp.Response resp) {
    return req.http().headers().stream().anyMatch(h -> h[0].equals("Idempotency-Key") && h[1].isBlank())
        && resp.body().contains("Idempotency-Key");
  }

  private static JsonNode documented(String method, String op) {
    String path = op.substring(op.indexOf(' ') + 1);
    String m = method.equals("HEAD") ? "get" : method.toLowerCase(Locale.ROOT);
    JsonNode node = doc.path("paths").path(path).path(m);
    return node.isMissingNode() ? null : node;
  }

  private static RawHttp.Response send(Req req) throws Exception {
    return RawHttp.send(port, req.http());
  }

  private static String masked(String body) {
    return INCIDENT.matcher(body).replaceAll("<incident>");
  }

  // ---------------------------------------------------------------- generating requests

  private static List<String[]> operations() {
    List<String[]> ops = new ArrayList<>();
    for (Map.Entry<String, JsonNode> path : doc.path("paths").properties()) {
      for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
        ops.add(new String[] {methods.next().toUpperCase(Locale.ROOT), path.getKey()});
      }
    }
    return ops;
  }

  private static final String[] PATH_VALUES = {
      "m-1", "ok.id", "%C3%BC%C3%B1", "%F0%9F%98%80", "%2F", "a%2Fb", "..", "%2E%2E", ".", "%2e", "a%00b",
      "%ZZ", "%", "a%20b", "a;b", "a+b", "~:@", "a%3Fb", "a%23b", "%5C", "%E2%80%AE", "%FF%FE", "x".repeat(300),
      "y".repeat(9000), "a%2F..%2F..%2Fb", "%2525", "%C0%AF", "null", "-1", "__proto__"};
  private static final String[] METHODS = {"PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FOO", "GET", "POST", "HEAD"};
  private static final String[] CONTENT_TYPES = {
      "application/json", "application/json", "text/plain", "application/yaml", null, "application/json; charset=utf-16",
      "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/xml", "*/*"};

  private static Req request(Random rnd, String docMethod, String docPath) {
    String op = docMethod + " " + docPath;
    String method = rnd.nextInt(8) == 0 ? METHODS[rnd.nextInt(METHODS.length)] : docMethod;
    StringBuilder target = new StringBuilder();
    for (String segment : docPath.substring(1).split("/")) {
      target.append('/');
      if (segment.startsWith("{")) {
        target.append(rnd.nextInt(3) == 0 ? "m-" + rnd.nextInt(5) : PATH_VALUES[rnd.nextInt(PATH_VALUES.length)]);
      } else {
        target.append(segment);
      }
    }
    if (rnd.nextInt(20) == 0) {
      target.append('/');
    }
    String query = query(rnd, docMethod, docPath);
    if (!query.isEmpty()) {
      target.append('?').append(query);
    }
    List<String[]> headers = new ArrayList<>();
    String auth = auth(rnd);
    if (auth != null) {
      headers.add(new String[] {"Authorization", auth});
    }
    byte[] body = null;
    String badField = null;
    String note = null;
    if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
      JsonNode bodySchema = docMethod.equals("POST")
          ? doc.path("paths").path(docPath).path("post").path("requestBody").path("content") : null;
      String contentType = CONTENT_TYPES[rnd.nextInt(CONTENT_TYPES.length)];
      if (contentType != null) {
        headers.add(new String[] {"Content-Type", contentType});
      }
      Body generated = body(rnd, bodySchema == null ? null : bodySchema.path("application/json").path("schema"), docPath);
      body = generated.bytes();
      // A body sent as UTF-8 but labelled UTF-16 is not JSON as labelled: its field is never read.
      badField = contentType != null && contentType.contains("utf-16") ? null : generated.badField();
      note = generated.note();
      if (docPath.equals("/api/v1/missions") && rnd.nextInt(5) == 0) {
        headers.add(new String[] {"Idempotency-Key", rnd.nextBoolean() ? "" : "k\u00e9y-" + rnd.nextInt(3)});
      }
    }
    return new Req(new RawHttp.Request(method, target.toString(), headers, body), op,
        method.equals(docMethod) ? badField : null, note);
  }

  private static String query(Random rnd, String method, String path) {
    if (!method.equals("GET") || rnd.nextInt(3) == 0) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    for (JsonNode parameter : doc.path("paths").path(path).path("get").path("parameters")) {
      if (!parameter.path("in").asText().equals("query") || rnd.nextBoolean()) {
        continue;
      }
      String name = parameter.path("name").asText();
      String[] values = switch (name) {
        case "limit" -> new String[] {"-1", "0", "1", "500", "501", "1000", "1001", "abc", "1e3", "%205", "99999999999",
            "-2147483649", "", "2147483647"};
        case "status" -> new String[] {"RUNNING", "running", "nope", "", "%00", "FINISHED,FAILED"};
        case "startedAfter", "startedBefore" -> new String[] {"2026-01-01T00:00:00Z", "2026-13-01", "yesterday",
            "%2B1000000000-01-01T00:00:00Z", "", "2026-01-01", "2026-01-01T00:00:00%2B02:00", "-1000000000-01-01T00:00:00Z"};
        case "cursor" -> new String[] {"", "!!!", "AAAA", "bm90LWEtY3Vyc29y", "%FF", "a".repeat(5000), "%2F%2F"};
        case "format" -> new String[] {"csv", "CSV", "xml", "", "json"};
        default -> new String[] {"x", "", "%00"};
      };
      parts.add(name + "=" + values[rnd.nextInt(values.length)]);
      if (rnd.nextInt(6) == 0) {
        parts.add(name + "=" + values[rnd.nextInt(values.length)]);
      }
    }
    if (rnd.nextInt(6) == 0) {
      parts.add("unknown=1");
    }
    if (rnd.nextInt(12) == 0) {
      parts.add("%ZZ=%");
    }
    return String.join("&", parts);
  }

  private static String auth(Random rnd) {
    int pick = rnd.nextInt(16);
    return switch (pick) {
      case 0 -> null;
      case 1 -> "Bearer";
      case 2 -> "Bearer garbage";
      case 3 -> "Basic YWRtaW46YWRtaW4=";
      case 4 -> "Bearer " + KEYS.get("revoked");
      case 5 -> "bearer " + KEYS.get("admin");
      case 6 -> "Bearer " + KEYS.get("viewer");
      case 7 -> "Bearer " + KEYS.get("operator");
      case 8 -> "Bearer  " + KEYS.get("admin") + " ";
      default -> "Bearer " + KEYS.get("admin");
    };
  }

  record Body(byte[] bytes, String badField, String note) {
    static Body of(String text, String badField, String note) {
      return new Body(text.getBytes(StandardCharsets.UTF_8), badField, note);
    }
  }

  private static Body body(Random rnd, JsonNode schema, String path) {
    if (path.equals("/api/v1/plans") || path.equals("/api/v1/components")) {
      String[] texts = {"", "{", "[]", "null", "name: [", "{\"name\": 5, \"stages\": {}}", "\u0000", "!!binary x",
          "a: &a [*a]", "{\"name\":\"p\",\"stages\":[{\"name\":\"a\",\"component\":\"c\"}]}",
          "components:\n  x:\n    max_running: -1", "components: {}", "name: p\nstages: []", "- 1\n- 2",
          "key: !!java.net.URL [\"http://x\"]", deep(rnd.nextInt(3000) + 10, "[", "]")};
      return Body.of(texts[rnd.nextInt(texts.length)], null, null);
    }
    int kind = rnd.nextInt(14);
    ObjectNode valid = validBody(rnd, schema);
    switch (kind) {
      case 0:
        return Body.of("", null, "empty");
      case 1:
        String text = valid.toString();
        return Body.of(text.substring(0, Math.max(1, text.length() - 1 - rnd.nextInt(Math.max(1, text.length() - 1)))),
            null, "truncated");
      case 2:
        return Body.of(new String[] {"[]", "null", "\"x\"", "5", "true", "{}{}", "{'a':1}", "\uFEFF{}"}[rnd.nextInt(8)],
            null, "not an object");
      case 3:
        return Body.of(deep(rnd.nextInt(5000) + 500, "[", "]"), null, "deeply nested");
      case 4:
        return Body.of("{\"params\": {\"p\": " + deep(rnd.nextInt(1200) + 1, "{\"a\":", "}").replace("{\"a\":}", "1")
            + "}, \"plan\": \"p\"}", null, "deep params");
      case 5:
        return Body.of("{\"x\": \"" + "z".repeat(1_000_100) + "\"}", null, "over 1 MB");
      case 6: {
        byte[] bytes = valid.toString().getBytes(StandardCharsets.UTF_8);
        byte[] broken = new byte[bytes.length + 2];
        System.arraycopy(bytes, 0, broken, 0, bytes.length - 1);
        broken[bytes.length - 1] = (byte) 0xC3;
        broken[bytes.length] = (byte) 0x28;
        broken[bytes.length + 1] = '}';
        return new Body(broken, null, "invalid UTF-8");
      }
      case 7:
        valid.put("unexpectedField", 1);
        JsonNode resolved = schemaOf(schema);
        return Body.of(valid.toString(), resolved != null && resolved.path("additionalProperties").isBoolean()
            && !resolved.path("additionalProperties").asBoolean() ? "unexpectedField" : null, "extra field");
      default:
        Optional<String> field = someField(rnd, schema);
        if (field.isEmpty()) {
          return Body.of(valid.toString(), null, "valid");
        }
        String name = field.get();
        String type = schemaOf(schema).path("properties").path(name).path("type").asText();
        JsonNode wrong = wrongValue(rnd, type);
        if (wrong == null) {
          return Body.of(valid.toString(), null, "valid");
        }
        valid.set(name, wrong);
        return Body.of(valid.toString(), name, "wrong type for " + type);
    }
  }

  private static JsonNode schemaOf(JsonNode schema) {
    if (schema != null && schema.has("$ref")) {
      String ref = schema.get("$ref").asText();
      return doc.at(ref.substring(1));
    }
    return schema;
  }

  private static ObjectNode validBody(Random rnd, JsonNode schema) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    JsonNode s = schemaOf(schema);
    if (s == null) {
      return body;
    }
    for (Map.Entry<String, JsonNode> p : s.path("properties").properties()) {
      boolean required = false;
      for (JsonNode r : s.path("required")) {
        required |= r.asText().equals(p.getKey());
      }
      if (!required && rnd.nextBoolean()) {
        continue;
      }
      switch (p.getKey()) {
        case "missionId" -> body.put("missionId", "m-" + rnd.nextInt(5));
        case "idempotencyKey" -> {
          if (!body.has("missionId")) {
            body.put("idempotencyKey", "k" + rnd.nextInt(3));
          }
        }
        case "params" -> body.putObject("params").put("date", "2026-01-01").put("n", 1.50);
        case "exclude", "startFrom" -> body.putArray(p.getKey()).add("a");
        case "withDownstream" -> body.put("withDownstream", rnd.nextBoolean());
        default -> body.put(p.getKey(), "v" + rnd.nextInt(3));
      }
    }
    return body;
  }

  private static Optional<String> someField(Random rnd, JsonNode schema) {
    JsonNode s = schemaOf(schema);
    if (s == null || !s.path("properties").isObject() || s.path("properties").isEmpty()) {
      return Optional.empty();
    }
    List<String> names = new ArrayList<>();
    s.path("properties").fieldNames().forEachRemaining(names::add);
    return Optional.of(names.get(rnd.nextInt(names.size())));
  }

  /** A JSON value that is not of {@code type}; null if none fits. */
  private static JsonNode wrongValue(Random rnd, String type) {
    var f = Json.MAPPER.getNodeFactory();
    List<JsonNode> options = new ArrayList<>();
    if (!type.equals("string")) {
      options.add(f.textNode("yes"));
    }
    if (!type.equals("integer") && !type.equals("number")) {
      options.add(f.numberNode(42));
    }
    if (!type.equals("boolean")) {
      options.add(f.booleanNode(true));
    }
    if (!type.equals("object")) {
      options.add(f.objectNode().put("a", 1));
    }
    if (!type.equals("array")) {
      options.add(f.arrayNode().add(1));
    }
    return options.isEmpty() ? null : options.get(rnd.nextInt(options.size()));
  }

  private static String deep(int depth, String open, String close) {
    return open.repeat(depth) + close.repeat(depth);
  }

  // ---------------------------------------------------------------- the fakes

  private static final Set<String> FAKED = Set.of(PlanPublisher.class.getName(), CommandGateway.class.getName(),
      ScheduleGateway.class.getName(), ComponentPublisher.class.getName(), LiveWorkerSnapshots.class.getName(),
      LiveTable.class.getName(), ApiMetrics.class.getName(), KafkaConnection.class.getName(),
      "io.groundcontrol.client.MissionLog", "io.groundcontrol.client.DeadLetterLog");

  /** {@code handler}, with a null-field failure inside one of the empty fakes taken as reaching it. */
  private static Handler reaching(Handler handler) {
    return ctx -> {
      try {
        handler.handle(ctx);
      } catch (NullPointerException e) {
        // Inside a fake (any frame above the route's own code): the route got as far as the coordinator.
        for (StackTraceElement frame : e.getStackTrace()) {
          if (frame.getClassName().startsWith("io.groundcontrol.api.") && frame.getClassName().endsWith("Routes")) {
            break;
          }
          if (FAKED.stream().anyMatch(name -> frame.getClassName().startsWith(name))) {
            throw new Reached(frame.getClassName() + "." + frame.getMethodName());
          }
        }
        throw e;
      }
    };
  }

  private static ApiKeyCache fakeKeys() throws Exception {
    ApiKeyCache cache = allocate(ApiKeyCache.class);
    Map<String, ApiKey> stored = new ConcurrentHashMap<>();
    for (String[] k : new String[][] {{"admin", "ADMIN"}, {"operator", "OPERATOR"}, {"viewer", "VIEWER"}, {"revoked", "ADMIN"}}) {
      ApiKeySecrets.Issued issued = ApiKeySecrets.issue("fuzz-" + k[0], ApiRole.valueOf(k[1]), Instant.EPOCH);
      ApiKey key = issued.stored();
      if (k[0].equals("revoked")) {
        key.setRevokedAt(Instant.EPOCH.plusSeconds(1));
      }
      stored.put(key.getId(), key);
      KEYS.put(k[0], issued.key());
    }
    set(cache, "keys", stored);
    set(cache, "caughtUp", new CountDownLatch(0));
    return cache;
  }

  @SuppressWarnings("unchecked") // LiveTable allocated raw: it is never read
  private static Backend fakeBackend(ApiKeyCache keys) throws Exception {
    Supplier<KafkaStreams> streams = () -> {
      throw new Reached("the coordinator's streams");
    };
    HostInfo self = new HostInfo("127.0.0.1", 1);
    Peers peers = allocate(HttpPeers.class);
    TopicNames topics = new TopicNames("fuzz");
    return new Backend(streams, () -> {
      throw new Reached("stopped");
    }, () -> {
      throw new Reached("stall");
    }, () -> {
      throw new Reached("hanging");
    }, self, allocate(KafkaConnection.class), topics,
        new MissionQueries(streams, self, topics, 4, peers), new ScheduleQueries(streams, self, topics.schedules(), 4, peers),
        () -> {
          throw new Reached("triggers");
        }, keys, null, allocate(CommandGateway.class), allocate(ScheduleGateway.class), allocate(PlanPublisher.class),
        allocate(LiveTable.class), new ComponentSources(allocate(LiveTable.class), allocate(LiveWorkerSnapshots.class), allocate(ComponentPublisher.class)),
        allocate(ApiMetrics.class), Duration.ofSeconds(1));
  }

  @SuppressWarnings("unchecked")
  private static <T> T allocate(Class<T> type) throws Exception {
    Field f = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
    f.setAccessible(true);
    Object unsafe = f.get(null);
    return (T) unsafe.getClass().getMethod("allocateInstance", Class.class).invoke(unsafe, type);
  }

  private static void set(Object target, String field, Object value) throws Exception {
    Field f = target.getClass().getDeclaredField(field);
    f.setAccessible(true);
    f.set(target, value);
  }
}
