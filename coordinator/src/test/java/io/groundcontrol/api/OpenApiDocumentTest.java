package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.groundcontrol.apikey.Role;
import java.util.Iterator;
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
