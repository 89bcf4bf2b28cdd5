package io.groundcontrol.ui;

import io.groundcontrol.apikey.Role;
import io.groundcontrol.client.ApiKeyCache.Principal;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.util.Optional;
import java.util.function.Function;

/**
 * Who uses the UI: the API key given at sign-in, kept in an HttpOnly, SameSite=Strict cookie,
 * Secure when browsers reach the UI over https, so a stray {@code http://} never sends the key.
 * The cookie holds the key itself, not a session id, so every coordinator instance can serve the
 * user with nothing kept in one process's memory; the key is checked again on every request, so
 * a revoked key is signed out at once. The API checks the key's role again for every call.
 *
 * @param key the API key, sent to the API as a bearer token
 */
public record Session(String key, String name, Role role) {
  static final String COOKIE = "groundcontrol_key";

  /** Whether this user may start and operate missions; the API refuses them otherwise anyway. */
  public boolean canOperate() {
    return role.allows(Role.OPERATOR);
  }

  /** The signed-in user of the request, if its cookie holds a key that is known and not revoked. */
  static Optional<Session> of(Context ctx, Function<String, Optional<Principal>> keys) {
    String key = ctx.cookie(COOKIE);
    if (key == null || key.isBlank()) {
      return Optional.empty();
    }
    return keys.apply(key).map(principal -> new Session(key, principal.name(), principal.role()));
  }

  /** @param secure whether browsers reach the UI over https */
  static void remember(Context ctx, String key, boolean secure) {
    ctx.cookie(cookie(key, -1, secure));
  }

  static void forget(Context ctx, boolean secure) {
    ctx.cookie(cookie("", 0, secure));
  }

  private static Cookie cookie(String value, int maxAge, boolean secure) {
    return new Cookie(COOKIE, value, "/ui", maxAge, secure, true, null, SameSite.STRICT);
  }
}
