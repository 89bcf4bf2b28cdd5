package io.groundcontrol.apikey;

import io.groundcontrol.schema.ApiKey;
import io.groundcontrol.schema.ApiRole;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API keys and their stored form. A key reads {@code gc_<id>_<secret>}: the id (12 hex digits)
 * finds the stored record, the secret (32 random bytes, base64url) proves the holder. Only a
 * salted SHA-256 of the secret is stored.
 *
 * <p>Why a fast salted hash and not bcrypt or an HMAC with a server secret: the secret is 256
 * random bits, not a password a person chose, so guessing it is hopeless however fast the hash
 * is, and a slow hash would only slow every request. The salt makes equal secrets hash apart.
 * An HMAC would need a server secret on every instance, one more secret to distribute and
 * rotate, without making a 256-bit secret any harder to guess.
 */
public final class ApiKeySecrets {
  private static final Pattern KEY = Pattern.compile("gc_([0-9a-f]{12})_([A-Za-z0-9_-]{43})");
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeySecrets() {}

  /** A new key and the record to store for it; the key itself is shown once and never stored. */
  public record Issued(String key, ApiKey stored) {}

  /** Issues a key for {@code name} with {@code role}, created at {@code now}. */
  public static Issued issue(String name, ApiRole role, Instant now) {
    byte[] idBytes = new byte[6];
    RANDOM.nextBytes(idBytes);
    byte[] secretBytes = new byte[32];
    RANDOM.nextBytes(secretBytes);
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    String id = HexFormat.of().formatHex(idBytes);
    String secret = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
    ApiKey stored = ApiKey.newBuilder()
        .setId(id).setName(name).setRole(role)
        .setSalt(ByteBuffer.wrap(salt)).setHash(ByteBuffer.wrap(hash(salt, secret)))
        .setCreatedAt(now).setRevokedAt(null)
        .build();
    return new Issued("gc_" + id + "_" + secret, stored);
  }

  /** The id of a well-formed key; empty if {@code key} does not look like one. */
  public static Optional<String> idOf(String key) {
    Matcher m = key == null ? null : KEY.matcher(key);
    return m != null && m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** Whether {@code key} is the key {@code stored} was issued for (revocation is not checked here). */
  public static boolean matches(String key, ApiKey stored) {
    Matcher m = key == null ? null : KEY.matcher(key);
    if (m == null || !m.matches() || !m.group(1).equals(stored.getId())) {
      return false;
    }
    byte[] expected = bytes(stored.getHash());
    return MessageDigest.isEqual(expected, hash(bytes(stored.getSalt()), m.group(2)));
  }

  private static byte[] hash(byte[] salt, String secret) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(salt);
      return digest.digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java runtime has SHA-256", e);
    }
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }
}
