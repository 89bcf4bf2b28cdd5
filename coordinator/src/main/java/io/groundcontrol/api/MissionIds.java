package io.groundcontrol.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The mission id an idempotency key stands for: the same key always names the same mission, so
 * starting it twice starts it once. A stand-in until key-derived ids from `mission start --key`
 * (triggers) reach main; then this should call theirs so the CLI and the API agree.
 */
final class MissionIds {
  private MissionIds() {}

  static String fromKey(String idempotencyKey) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(idempotencyKey.getBytes(StandardCharsets.UTF_8));
      return "k-" + HexFormat.of().formatHex(digest, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java runtime has SHA-256", e);
    }
  }
}
