package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plan routes, called without a server: what a request body makes them answer. */
class PlanRoutesTest {
  private static final String HUGE_TIMEOUT = """
      name: p
      stages:
        - name: a
          component: sql
          timeout: 999999999999d
          start_timeout: 99999999999999999999ms
      """;

  @Test
  void aPlanWithADurationBeyondTheMaximumIs400NamingStageAndFieldBeforeAnythingIsApplied() throws Exception {
    ApiRoute apply = new PlanRoutes(() -> {
      throw new AssertionError("an invalid plan must not reach the backend");
    }).routes().stream()
        .filter(route -> route.method() == HandlerType.POST && route.path().equals("/api/v1/plans"))
        .findFirst().orElseThrow();

    ApiException answer = catchThrowableOfType(ApiException.class, () -> apply.handler().handle(yamlBody(HUGE_TIMEOUT)));

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.getMessage()).isEqualTo("Expected a valid plan, but it has 2 problems");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> problems = (List<Map<String, Object>>) answer.details().get("problems");
    assertThat(problems).extracting(problem -> problem.get("stage") + " " + problem.get("field"))
        .containsExactly("a timeout", "a start_timeout");
    assertThat(problems).extracting(problem -> problem.get("message")).allSatisfy(
        message -> assertThat((String) message).startsWith("expected a duration of at most 1000000d"));
  }

  /** A request with {@code body} as YAML; any other call on it fails the test. */
  private static Context yamlBody(String body) {
    return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "contentType" -> "application/yaml";
          case "body" -> body;
          default -> throw new AssertionError("unexpected call: Context." + method.getName());
        });
  }
}
