package io.groundcontrol.ui;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What came of an operation (done, queued, or the coordinator's rejection), shown once on the page
 * the operation leads to. It travels in a cookie that lives a minute, is scoped to that page and
 * is signed with the user's key, never in the URL: so neither a link nor a cookie set by a
 * sibling site can put its own text where the coordinator's messages appear.
 */
final class Notice {
  static final String COOKIE = "groundcontrol_notice";
  private static final int MAX_AGE_SECONDS = 60;
  private static final int MAX_CHARS = 1000;
  private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();

  private Notice() {}

  /** Sends the user to {@code page}, which shows {@code text} as its notice. */
  static void redirect(Context ctx, Session session, String page, String text) {
    String shown = text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) + "…" : text;
    byte[] bytes = shown.getBytes(StandardCharsets.UTF_8);
    ctx.cookie(cookie(page, ENCODE.encodeToString(bytes) + "." + ENCODE.encodeToString(sign(session, bytes)),
        MAX_AGE_SECONDS));
    ctx.redirect(page);
  }

  /** The notice sent to this page, if any and signed with the user's key; it is shown once. */
  static String take(Context ctx, Session session) {
    String value = ctx.cookie(COOKIE);
    if (value == null || value.isEmpty()) {
      return null;
    }
    ctx.cookie(cookie(ctx.path(), "", 0));
    String[] parts = value.split("\\.", -1);
    try {
      byte[] bytes = Base64.getUrlDecoder().decode(parts[0]);
      boolean signed = parts.length == 2 && MessageDigest.isEqual(sign(session, bytes), Base64.getUrlDecoder().decode(parts[1]));
      return signed ? new String(bytes, StandardCharsets.UTF_8) : null;
    } catch (IllegalArgumentException notBase64) {
      return null;
    }
  }

  private static byte[] sign(Session session, byte[] text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(session.key().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(text);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  private static Cookie cookie(String page, String value, int maxAge) {
    return new Cookie(COOKIE, value, page, maxAge, false, true, null, SameSite.STRICT);
  }
}
