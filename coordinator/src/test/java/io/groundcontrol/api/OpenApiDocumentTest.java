package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.groundcontrol.apikey.Role;
import io.groundcontrol.query.MissionDocument;
import io.groundcontrol.query.ScheduleDocument;
import io.groundcontrol.query.StageDocument;
import io.groundcontrol.query.StageStatuses;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.OverlapPolicy;
import io.groundcontrol.schema.ScheduledMissionStatus;
import io.groundcontrol.trigger.TriggerStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The OpenAPI document served and checked in says exactly what the route table does. */
class OpenApiDocumentTest {
  private static final String INTERNAL = "/internal/";

  @Test
  void everyPublicRouteIsDocumentedWithItsRoleAndNothingElseIs() throws Exception {
    Map<String, String> routes = new TreeMap<>();
    for (ApiRoute route : ApiServer.routes(() -> null, () -> false)) {
      if (!route.path().startsWith(INTERNAL)) {
        routes.put(route.method().name() + " " + route.path(), access(route.role()));
      }
    }
    routes.put("GET " + EventStreams.PATH, access(Role.VIEWER));

    assertThat(documented()).isEqualTo(routes);
  }

  @Test
  void theDocumentIsOpenApi3WithAnOperationIdForEveryOperation() throws Exception {
    JsonNode doc = Json.MAPPER.readTree(OperationRoutes.load());
    assertThat(doc.get("openapi").asText()).startsWith("3.");
    doc.get("paths").forEach(path -> path.forEach(operation ->
        assertThat(operation.hasNonNull("operationId")).as(operation.toString()).isTrue()));
  }

  @Test
  void everyStatusTheApiAnswersIsInItsEnum() throws Exception {
    JsonNode doc = Json.MAPPER.readTree(OperationRoutes.load());
    JsonNode schemas = doc.path("components").path("schemas");

    assertThat(values(schemas.path("Stage").path("properties").path("status")))
        .containsExactlyInAnyOrderElementsOf(StageStatuses.shown());
    assertThat(values(schemas.path("Mission").path("properties").path("status")))
        .containsExactlyInAnyOrderElementsOf(names(MissionStatus.values()));
    assertThat(values(doc.path("paths").path("/api/v1/missions").path("get").path("parameters").path(0).path("schema")))
        .containsExactlyInAnyOrderElementsOf(names(MissionStatus.values()));
    assertThat(values(schemas.path("Trigger").path("properties").path("state")))
        .containsExactlyInAnyOrderElementsOf(names(TriggerStatus.State.values()));
    assertThat(values(schemas.path("Schedule").path("properties").path("overlap")))
        .containsExactlyInAnyOrderElementsOf(names(OverlapPolicy.values()));
    List<String> lastMission = new ArrayList<>(names(ScheduledMissionStatus.values()));
    lastMission.add("null");
    assertThat(values(schemas.path("Schedule").path("properties").path("lastMissionStatus")))
        .containsExactlyInAnyOrderElementsOf(lastMission);
  }

  @Test
  void theDocumentedFieldsAreThoseTheApiWrites() throws Exception {
    JsonNode schemas = Json.MAPPER.readTree(OperationRoutes.load()).path("components").path("schemas");

    assertThat(fields(schemas.path("Stage"))).isEqualTo(components(StageDocument.class));
    assertThat(fields(schemas.path("Mission"))).isEqualTo(components(MissionDocument.class));
    assertThat(fields(schemas.path("Schedule"))).isEqualTo(components(ScheduleDocument.class));
    assertThat(fields(schemas.path("Trigger"))).isEqualTo(components(TriggerStatus.class));
  }

  /**
   * The statuses the server answers whatever the route: a request line over the limit (414); a path
   * the HTTP server refuses (400, where a path parameter makes it the operation's); a body over the
   * limit (413); a missing, unknown or weak key, an unexpected failure, and an instance whose
   * coordinator is not attached yet (401, 403, 500, 503), wherever a key is checked.
   */
  @Test
  void everyOperationListsTheStatusesTheServerAnswersWhateverTheRoute() throws Exception {
    JsonNode paths = Json.MAPPER.readTree(OperationRoutes.load()).get("paths");
    List<String> missing = new ArrayList<>();
    paths.properties().forEach(path -> path.getValue().properties().forEach(op -> {
      List<String> expected = new ArrayList<>(List.of("414"));
      if (path.getKey().contains("{")) {
        expected.add("400");
      }
      if (op.getKey().equals("post")) {
        expected.add("413");
      }
      if (op.getValue().path("security").size() > 0) {
        expected.addAll(List.of("401", "403", "500", "503"));
      }
      expected.stream().filter(status -> !op.getValue().path("responses").has(status))
          .forEach(status -> missing.add(op.getKey().toUpperCase() + " " + path.getKey() + " " + status));
    }));

    assertThat(missing).as("operations missing a status").isEmpty();
  }

  /** The server refuses a field a request body does not take (FAIL_ON_UNKNOWN_PROPERTIES): so does the document. */
  @Test
  void everyRequestBodyTakesTheFieldsOfItsTypeAndNoOther() throws Exception {
    JsonNode schemas = Json.MAPPER.readTree(OperationRoutes.load()).path("components").path("schemas");
    Map<String, Class<? extends Record>> bodies = Map.of("StartRequest", CommandRoutes.StartRequest.class,
        "ReasonRequest", CommandRoutes.ReasonRequest.class, "RetryRequest", CommandRoutes.RetryRequest.class,
        "PauseRequest", ScheduleRoutes.PauseRequest.class, "TriggerRequest", ScheduleRoutes.TriggerRequest.class);

    bodies.forEach((name, type) -> {
      assertThat(fields(schemas.path(name))).as(name).isEqualTo(components(type));
      assertThat(schemas.path(name).path("additionalProperties").isBoolean()
          && !schemas.path(name).path("additionalProperties").asBoolean()).as(name + " has additionalProperties: false").isTrue();
    });
  }

  @Test
  void aRejectionsReasonCodeIsInTheErrorsEnum() throws Exception {
    JsonNode error = Json.MAPPER.readTree(OperationRoutes.load()).path("components").path("schemas").path("Error");

    assertThat(values(error.path("properties").path("reasonCode"))).containsExactlyInAnyOrderElementsOf(
        names(io.groundcontrol.schema.RejectionReason.values()));
  }

  private static List<String> values(JsonNode schema) {
    assertThat(schema.path("enum").isArray()).as(schema.toString()).isTrue();
    List<String> values = new ArrayList<>();
    schema.path("enum").forEach(value -> values.add(value.asText()));
    return values;
  }

  private static List<String> names(Enum<?>[] values) {
    return Arrays.stream(values).map(Enum::name).toList();
  }

  private static List<String> fields(JsonNode schema) {
    List<String> fields = new ArrayList<>();
    schema.path("properties").fieldNames().forEachRemaining(fields::add);
    return fields;
  }

  private static List<String> components(Class<? extends Record> record) {
    return Arrays.stream(record.getRecordComponents()).map(c -> c.getName()).toList();
  }

  /** "METHOD path" of every documented operation, with the role its description names, or "public". */
  private static Map<String, String> documented() throws Exception {
    JsonNode paths = Json.MAPPER.readTree(OperationRoutes.load()).get("paths");
    Map<String, String> documented = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> path = it.next();
      for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
        Map.Entry<String, JsonNode> op = ops.next();
        boolean secured = op.getValue().path("security").size() > 0;
        String description = op.getValue().path("description").asText("");
        String role = secured ? description.replaceAll("^Needs a key with role ([A-Z]+) or above\\.$", "$1") : "public";
        documented.put(op.getKey().toUpperCase() + " " + path.getKey(), role);
      }
    }
    return documented;
  }

  private static String access(Role role) {
    return role == null ? "public" : role.name();
  }
}
