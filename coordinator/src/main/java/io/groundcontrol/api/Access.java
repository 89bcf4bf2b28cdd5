package io.groundcontrol.api;

import io.groundcontrol.apikey.Role;
import io.groundcontrol.client.ApiKeyCache;
import io.groundcontrol.client.ApiKeyCache.Principal;
import io.javalin.http.Context;
import java.util.Optional;

/** Who calls: the key in {@code Authorization: Bearer <key>}, checked against the known keys. */
final class Access {
  private static final String PRINCIPAL = "groundcontrol.principal";

  private Access() {}

  /**
   * The caller, if its key is known and its role allows {@code needed}.
   *
   * @throws ApiException 401 without a valid key, 403 if the key's role is below {@code needed}
   */
  static Principal require(Context ctx, ApiKeyCache keys, Role needed) {
    String key = bearer(credentials(ctx)).orElseThrow(() -> unauthorized("Expected an API key in 'Authorization: Bearer <key>', "
        + "but the request has none (create one with `groundcontrol apikey create`)"));
    Principal principal = keys.authenticate(key).orElseThrow(() -> unauthorized(
        "Expected a valid API key, but this one is unknown or revoked"));
    if (!principal.role().allows(needed)) {
      throw new ApiException(403, "Expected a key with role " + needed + " or above for "
          + ctx.method() + " " + ctx.path() + ", but key '" + principal.name() + "' has role " + principal.role());
    }
    ctx.attribute(PRINCIPAL, principal);
    return principal;
  }

  /**
   * Whether {@code credentials} (an Authorization header) still name a known, unrevoked key whose
   * role allows {@code needed}: for what outlives the request {@link #require} checked, an open stream.
   */
  static boolean allows(ApiKeyCache keys, String credentials, Role needed) {
    return bearer(credentials).flatMap(keys::authenticate).filter(principal -> principal.role().allows(needed))
        .isPresent();
  }

  /** The caller checked by {@link #require}. */
  static Principal principal(Context ctx) {
    return ctx.attribute(PRINCIPAL);
  }

  /** The Authorization header as received, to pass on to another instance. */
  static String credentials(Context ctx) {
    return ctx.header("Authorization");
  }

  private static Optional<String> bearer(String header) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    return Optional.of(header.substring(7).trim());
  }

  private static ApiException unauthorized(String message) {
    return new ApiException(401, message);
  }
}
