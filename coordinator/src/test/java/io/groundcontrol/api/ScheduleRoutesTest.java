package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.groundcontrol.trigger.TriggerStatus;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The trigger list, called without a server: an inert trigger is listed with why. */
class ScheduleRoutesTest {
  @Test
  void anInertTriggerIsListedWithItsTopicAndWhy() throws Exception {
    TriggerStatus inert = new TriggerStatus("rescore", "exports", "score", 3, TriggerStatus.State.INERT,
        "the cluster lets the coordinator (User:gc) describe its topic 'exports' but not read it; grant READ ...");
    TriggerStatus active = new TriggerStatus("audit", "orders", "score", 0, TriggerStatus.State.ACTIVE, null);
    Backend backend = new Backend(null, null, null, null, null, null, null, null, null, () -> List.of(active, inert),
        null, null, null, null, null, null, null, null, null);
    ApiRoute list = new ScheduleRoutes(() -> backend).routes().stream()
        .filter(route -> route.method() == HandlerType.GET && route.path().equals("/api/v1/triggers"))
        .findFirst().orElseThrow();
    AtomicReference<String> sent = new AtomicReference<>();

    list.handler().handle(answering(sent));

    JsonNode triggers = Json.parse(sent.get()).get("triggers");
    assertThat(triggers).hasSize(2);
    assertThat(triggers.get(0).get("state").asText()).isEqualTo("ACTIVE");
    assertThat(triggers.get(0).get("reason").isNull()).isTrue();
    assertThat(triggers.get(1).get("name").asText()).isEqualTo("rescore");
    assertThat(triggers.get(1).get("topic").asText()).isEqualTo("exports");
    assertThat(triggers.get(1).get("priority").asInt()).isEqualTo(3);
    assertThat(triggers.get(1).get("state").asText()).isEqualTo("INERT");
    assertThat(triggers.get(1).get("reason").asText()).contains("User:gc").contains("not read it");
    assertThat(triggers.get(1).has("line")).isFalse();
  }

  /** A request whose answer's body lands in {@code sent}; any other call on it fails the test. */
  private static Context answering(AtomicReference<String> sent) {
    return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "status", "contentType" -> proxy;
          case "result" -> {
            sent.set((String) args[0]);
            yield proxy;
          }
          default -> throw new AssertionError("unexpected call: Context." + method.getName());
        });
  }
}
