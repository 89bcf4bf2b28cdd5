package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.groundcontrol.apikey.Role;
import io.groundcontrol.client.ApiKeyCache;
import io.groundcontrol.client.WriteNotTakenException;
import io.groundcontrol.coordinator.MissionStateCodec;
import io.groundcontrol.mission.Mission;
import io.groundcontrol.mission.MissionIds;
import io.groundcontrol.query.MissionQueries;
import io.groundcontrol.query.QueryUnavailableException;
import io.groundcontrol.query.StandbyHereStreams;
import io.groundcontrol.schema.Cause;
import io.groundcontrol.schema.CauseKind;
import io.groundcontrol.schema.MissionCancelled;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.RejectionReason;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.plan.PlanFiles;
import io.groundcontrol.schema.wire.TopicNames;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The command routes, called without a server: what a start's idempotency key makes them answer,
 * what a command sent with {@code Prefer: respond-async} answers once Kafka took it,
 * and what a decided command answers when only a standby copy of its mission can be read.
 */
class CommandRoutesTest {
  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  private static final HostInfo SELF = new HostInfo("self", 8080);

  /** This instance holds the mission's partition as a standby; its owner (which decided) has died since. */
  private final StandbyHereStreams streams = new StandbyHereStreams(SELF, () -> new HostInfo("owner", 8080));

  private final ApiRoute start = new CommandRoutes(() -> {
    throw new AssertionError("a refused start must not reach the backend");
  }).routes().stream()
      .filter(route -> route.method() == HandlerType.POST && route.path().equals("/api/v1/missions"))
      .findFirst().orElseThrow();

  /**
   * A blank key (an unset variable) would make every such start the first one, as they derive the
   * same id: refused, naming where it came from; so are two different keys.
   */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''    | k1 | Expected a non-blank idempotency key in header Idempotency-Key, but it is blank",
      "'   ' | k1 | Expected a non-blank idempotency key in header Idempotency-Key, but it is blank",
      "      | '' | Expected a non-blank idempotency key in field 'idempotencyKey', but it is blank",
      "k1    | k2 | Expected one idempotency key, but header Idempotency-Key and field 'idempotencyKey' give two "
          + "different ones"})
  void aBlankOrAmbiguousIdempotencyKeyIsRefusedBeforeTheStartIsSent(String header, String field, String error) {
    String body = "{\"plan\": \"p\", \"idempotencyKey\": \"" + field + "\"}";

    ApiException answer = catchThrowableOfType(ApiException.class, () -> start.handler().handle(request(header, body)));

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.getMessage()).isEqualTo(error);
  }

  @AfterEach
  void close() {
    streams.close(Duration.ZERO);
  }

  /**
   * The owner decided the cancel (event 4) and died before the standby here caught up: its copy
   * still ends at event 3, RUNNING. Shown as the mission after the cancel, it would say the cancel
   * did nothing; the answer says it was decided and where to read the mission instead.
   */
  @Test
  void aStandbyCopyBehindTheDecisionIsNotShownAsTheMissionAfterIt() throws Exception {
    standbyHolds(3, MissionStatus.RUNNING);

    JsonNode answer = answerToCancelDecidedAt(4);

    assertThat(answer.get("missionId").asText()).isEqualTo("m-1");
    assertThat(answer.has("status")).as("no mission state from before the decision").isFalse();
    assertThat(answer.get("message").asText())
        .isEqualTo("Decided, but the mission cannot be read here right now (the copy that answered, a standby's, "
            + "holds it only up to event 3, before the decision (event 4)); read it at /api/v1/missions/m-1");
  }

  /** A standby copy that holds the decision is the mission after it, marked stale as any read of it. */
  @Test
  void aStandbyCopyHoldingTheDecisionIsShown() throws Exception {
    standbyHolds(4, MissionStatus.CANCELLED);

    JsonNode answer = answerToCancelDecidedAt(4);

    assertThat(answer.get("status").asText()).isEqualTo("CANCELLED");
    assertThat(answer.get("sequence").asLong()).isEqualTo(4);
    assertThat(answer.get("stale").asBoolean()).isTrue();
  }

  /**
   * The body of the answer to a cancel of m-1 that the coordinator decides with event {@code
   * sequence}, checked to keep the cancel's status (200).
   */
  private JsonNode answerToCancelDecidedAt(long sequence) throws Exception {
    AtomicInteger status = new AtomicInteger();
    AtomicReference<String> sent = new AtomicReference<>();
    cancel(sequence).handler().handle(cancelRequest(status, sent));
    assertThat(status.get()).as("the status of a decided cancel").isEqualTo(200);
    return Json.parse(sent.get());
  }

  private void standbyHolds(long sequence, MissionStatus status) {
    streams.standbyCopy().put("m-1", MissionStateCodec.toStored(Mission.restore(
        "m-1", "diamond", "v1", status, Map.of(), sequence, T0, T0, null, List.of())));
  }

  /** The cancel route, with a coordinator that decides every command with a MissionCancelled of {@code sequence}. */
  private ApiRoute cancel(long sequence) {
    CommandSender decides = (actor, missionId, command, wait) -> Optional.of(new MissionEvent(missionId, sequence,
        T0.plusSeconds(1), new Cause(CauseKind.COMMAND, actor, 0), new MissionCancelled("enough")));
    MissionQueries queries =
        new MissionQueries(() -> streams, SELF, TopicNames.DEFAULT, 1, new StandbyHereStreams.SilentPeers());
    Backend backend = new Backend(() -> streams, null, null, null, SELF, null, TopicNames.DEFAULT, queries, null, null,
        null, null, decides, null, null, null, null, null, Duration.ofSeconds(10));
    return new CommandRoutes(() -> backend).routes().stream()
        .filter(route -> route.path().equals("/api/v1/missions/{id}/cancel")).findFirst().orElseThrow();
  }

  /**
   * A start with {@code Prefer: respond-async} answers 202 once Kafka took it, without the
   * coordinator's decision (which never comes here: without the preference it would wait the 10 s);
   * its idempotency key still names the mission.
   */
  @Test
  void aStartPreferringRespondAsyncAnswers202OnceKafkaTookIt() throws Exception {
    List<String> written = new ArrayList<>();
    Map<String, String> answerHeaders = new HashMap<>();
    AtomicInteger status = new AtomicInteger();
    AtomicReference<String> sent = new AtomicReference<>();
    Map<String, String> headers = Map.of("Prefer", "wait=5, Respond-Async", "Idempotency-Key", "k1");

    long began = System.nanoTime();
    route("/api/v1/missions", (actor, issuedAt, missionId, command) -> written.add(missionId)).handler()
        .handle(request(headers, "{\"plan\": \"p\"}", status, sent, answerHeaders));

    assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(5));
    assertThat(written).containsExactly(MissionIds.forKey("p", "k1"));
    assertThat(status.get()).isEqualTo(202);
    assertThat(answerHeaders).containsEntry("Preference-Applied", "respond-async");
    JsonNode answer = Json.parse(sent.get());
    assertThat(answer.get("missionId").asText()).isEqualTo(MissionIds.forKey("p", "k1"));
    assertThat(answer.get("message").asText()).isEqualTo("The command is queued (Kafka took it); as asked (Prefer: "
        + "respond-async), the answer does not wait for the coordinator's decision: follow the mission to see what "
        + "it decides");
  }

  /** The other commands take the preference the same way: a cancel answers 202 once written. */
  @Test
  void aCancelPreferringRespondAsyncAnswers202OnceKafkaTookIt() throws Exception {
    List<String> written = new ArrayList<>();
    Map<String, String> answerHeaders = new HashMap<>();
    AtomicInteger status = new AtomicInteger();

    route("/api/v1/missions/{id}/cancel", (actor, issuedAt, missionId, command) -> written.add(missionId)).handler()
        .handle(request(Map.of("Prefer", "respond-async"), "{\"reason\": \"enough\"}", status,
            new AtomicReference<>(), answerHeaders));

    assertThat(written).containsExactly("m-1");
    assertThat(status.get()).isEqualTo(202);
    assertThat(answerHeaders).containsEntry("Preference-Applied", "respond-async");
  }

  /** Not waiting for the decision does not mean not waiting for Kafka: a command it refused is a 503 as before. */
  @Test
  void aStartPreferringRespondAsyncThatKafkaRefusedIsA503() {
    CommandGateway.Commands refuses = (actor, issuedAt, missionId, command) -> {
      throw new WriteNotTakenException("command for mission '" + missionId + "'", "...",
          new org.apache.kafka.common.errors.TimeoutException("Topic mission-commands not present in metadata"));
    };

    QueryUnavailableException answer = catchThrowableOfType(QueryUnavailableException.class,
        () -> route("/api/v1/missions", refuses).handler().handle(request(Map.of("Prefer", "respond-async"),
            "{\"plan\": \"p\", \"missionId\": \"m-9\"}", new AtomicInteger(), new AtomicReference<>(),
            new HashMap<>())));

    assertThat(answer).isNotNull();
    assertThat(answer.retryAfter()).isEqualTo(ApiErrors.RETRY_NOT_TAKEN);
  }

  /** RFC 7240 lets a client send its preferences on several {@code Prefer} lines: each is read. */
  @Test
  void aRespondAsyncOnASecondPreferLineIsTaken() throws Exception {
    Map<String, String> answerHeaders = new HashMap<>();
    AtomicInteger status = new AtomicInteger();

    route("/api/v1/missions", (CommandGateway.Commands) (actor, issuedAt, missionId, command) -> { }).handler()
        .handle(request(Map.of("Prefer", "wait=5\nrespond-async"), "{\"plan\": \"p\"}", status,
            new AtomicReference<>(), answerHeaders));

    assertThat(status.get()).isEqualTo(202);
    assertThat(answerHeaders).containsEntry("Preference-Applied", "respond-async");
  }

  /**
   * A start this instance's plans say the coordinator will refuse waits for the decision despite
   * the preference, so that the refusal comes back (here as the coordinator decides it) instead of
   * a 202 for a mission that never starts.
   */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"plan\": \"nope\"}                          | UNKNOWN_PLAN  | 404",
      "{\"plan\": \"p\", \"exclude\": [\"scroe\"]}  | UNKNOWN_STAGE | 400",
      "{\"plan\": \"p\", \"params\": {\"day\": 1}} | INVALID_INPUT | 400"})
  void aStartPreferringRespondAsyncThatItsPlanRefusesWaitsForTheRefusal(String body, RejectionReason reason,
      int expected) {
    List<Duration> waits = new ArrayList<>();
    CommandSender decides = (actor, missionId, command, wait) -> {
      waits.add(wait);
      return wait.isZero() ? Optional.empty() : Optional.of(new MissionEvent(missionId, 1L, T0,
          new Cause(CauseKind.COMMAND, actor, 0), new InputRejected("start", "refused", reason)));
    };

    ApiException answer = catchThrowableOfType(ApiException.class, () -> routeSending("/api/v1/missions", decides).handler()
        .handle(request(Map.of("Prefer", "respond-async"), body, new AtomicInteger(), new AtomicReference<>(),
            new HashMap<>())));

    assertThat(waits).containsExactly(Duration.ofSeconds(10));
    assertThat(answer).isNotNull();
    assertThat(answer.status()).isEqualTo(expected);
  }

  /**
   * The route at {@code path} with a gateway that writes commands to {@code commands} and a
   * coordinator that never decides.
   */
  private ApiRoute route(String path, CommandGateway.Commands commands) {
    return routeSending(path, new CommandGateway(commands, listener -> () -> { }));
  }

  /** The route at {@code path}, with {@code sender} sending its commands; plan p (stage score) is applied. */
  private ApiRoute routeSending(String path, CommandSender sender) {
    Plan plan = PlanFiles.parse("name: p\nstages:\n  - name: score\n    component: ml\n", "p.yaml",
        PlanFiles.Format.YAML);
    streams.plans().put("p", plan);
    streams.plans().put("p@" + plan.getVersion(), plan);
    MissionQueries queries =
        new MissionQueries(() -> streams, SELF, TopicNames.DEFAULT, 1, new StandbyHereStreams.SilentPeers());
    Backend backend = new Backend(() -> streams, null, null, null, SELF, null, TopicNames.DEFAULT, queries, null, null,
        null, null, sender, null, null, null, null, null, Duration.ofSeconds(10));
    return new CommandRoutes(() -> backend).routes().stream()
        .filter(route -> route.method() == HandlerType.POST && route.path().equals(path)).findFirst().orElseThrow();
  }

  /**
   * An operator's request on mission m-1 with {@code headers} and a JSON {@code body}, whose answer's
   * status, body and headers land in {@code status}, {@code sent} and {@code answerHeaders}.
   */
  private static Context request(Map<String, String> headers, String body, AtomicInteger status,
      AtomicReference<String> sent, Map<String, String> answerHeaders) {
    return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "pathParam" -> "m-1";
          case "body" -> body;
          case "attribute" -> new ApiKeyCache.Principal("k-1", "ops", Role.OPERATOR);
          case "header" -> {
            if (args.length == 2) {
              answerHeaders.put((String) args[0], (String) args[1]);
              yield proxy;
            }
            yield headers.get((String) args[0]);
          }
          case "req" -> Proxy.newProxyInstance(HttpServletRequest.class.getClassLoader(),
              new Class<?>[] {HttpServletRequest.class}, (request, call, callArgs) -> {
                if (!call.getName().equals("getHeaders")) {
                  throw new AssertionError("unexpected call: HttpServletRequest." + call.getName());
                }
                String lines = headers.get((String) callArgs[0]);
                return Collections.enumeration(lines == null ? List.of() : List.of(lines.split("\n")));
              });
          case "contentType" -> proxy;
          case "status" -> {
            status.set((Integer) args[0]);
            yield proxy;
          }
          case "result" -> {
            sent.set((String) args[0]);
            yield proxy;
          }
          default -> throw new AssertionError("unexpected call: Context." + method.getName());
        });
  }

  /** An operator's cancel of m-1, whose answer's status and body land in {@code status} and {@code sent}. */
  private static Context cancelRequest(AtomicInteger status, AtomicReference<String> sent) {
    return request(Map.of(), "{\"reason\": \"enough\"}", status, sent, new HashMap<>());
  }

  /** A request with a JSON {@code body} and {@code key} as its Idempotency-Key header (null: none). */
  private static Context request(String key, String body) {
    return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "body" -> body;
          case "header" -> args.length == 1 && "Idempotency-Key".equals(args[0]) ? key : null;
          default -> throw new AssertionError("unexpected call: Context." + method.getName());
        });
  }
}
