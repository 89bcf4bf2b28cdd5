package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.lang.reflect.Proxy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command routes, called without a server: what a start's idempotency key makes them answer. */
class CommandRoutesTest {
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
