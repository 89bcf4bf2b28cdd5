package io.groundcontrol.mission;

import io.groundcontrol.plan.OneLine;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Mission ids derived from what started a mission, so that starting it again names the same
 * mission and is answered by the plan's {@code on_duplicate} instead of starting a second one. Ids
 * use letters, digits, '.', '_', '-' and '~' only:
 *
 * <ul>
 *   <li>{@code k.<plan>.<key>}: {@code mission start --key}; a key with other characters, or
 *       longer than 64, becomes {@code ~} and 20 hex digits of its SHA-256;
 *   <li>{@code s.<schedule>.<yyyyMMddTHHmmssZ>}: a schedule's fire at that nominal time (UTC),
 *       {@code <yyyyMMddTHHmmssSSSZ>} for one with milliseconds (an interval from a start_at that
 *       has them); {@code s.<schedule>.manual-<yyyyMMddTHHmmssSSSZ>} for {@code schedule trigger};
 *   <li>{@code t.<trigger>.<key>}: an event trigger's key, shortened like a start key;
 *       {@code t.<trigger>.<key>.<yyyyMMddTHHmmssSSSZ>} for a trigger with a dedup window, the
 *       time its window began; {@code t.<trigger>.batch.<n>} for a trigger's n-th batch.
 * </ul>
 */
public final class MissionIds {
  /** Longest mission id: the HTTP API carries an id in one path segment of its routes. */
  public static final int MAX_LENGTH = 200;
  /** What a mission id may hold besides ASCII letters and digits. */
  public static final String SYMBOLS = "._~:@+-";
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._~:@+-]{1," + MAX_LENGTH + "}");
  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final DateTimeFormatter NOMINAL =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
  private static final String SCHEDULED = "s.";

  private MissionIds() {}

  /**
   * Why {@code id} cannot name a mission, or empty if it can. A mission is named by 1 to
   * {@link #MAX_LENGTH} letters, digits or {@link #SYMBOLS}, and not by {@code .} or {@code ..}:
   * what the API can carry in a path segment and serve back (its server refuses encoded separators
   * and {@code ;} in a path), what logs print as is, and no NUL, which separates stage keys in
   * the store. Every id this class derives is one.
   */
  public static Optional<String> problem(String id) {
    if (VALID.matcher(id).matches() && !id.equals(".") && !id.equals("..")) {
      return Optional.empty();
    }
    return Optional.of("Expected a mission id of 1 to " + MAX_LENGTH + " letters, digits or any of " + SYMBOLS
        + ", but got '" + OneLine.escape(id) + "'");
  }

  /** The mission a start of {@code plan} with idempotency key {@code key} names. */
  public static String forKey(String plan, String key) {
    return "k." + plan + "." + safe(key);
  }

  /**
   * The mission of a schedule's fire at {@code nominal}: its milliseconds count only when it has
   * some, so the ids of whole-second times (every cron time) stay as they were, and a start_at
   * moved by less than a second names other missions than the fires before it.
   */
  public static String forFire(String schedule, Instant nominal) {
    return SCHEDULED + schedule + "." + (nominal.getNano() == 0 ? NOMINAL : MILLIS).format(nominal);
  }

  /** The mission of a schedule fired by hand at {@code at}. */
  public static String forManualFire(String schedule, Instant at) {
    return SCHEDULED + schedule + ".manual-" + MILLIS.format(at);
  }

  /** The mission an event trigger starts for dedup key {@code key}. */
  public static String forTrigger(String trigger, String key) {
    return "t." + trigger + "." + safe(key);
  }

  /** The mission of an event trigger's key whose dedup window began at {@code windowStart}. */
  public static String forTriggerWindow(String trigger, String key, Instant windowStart) {
    return forTrigger(trigger, key) + "." + MILLIS.format(windowStart);
  }

  /** The mission of an event trigger's {@code number}-th batch (from 1). */
  public static String forTriggerBatch(String trigger, long number) {
    return "t." + trigger + ".batch." + number;
  }

  /**
   * The schedule a mission id was derived from by {@link #forFire} or {@link #forManualFire};
   * schedule names hold no '.', so the name ends at the next one.
   */
  public static Optional<String> scheduleOf(String missionId) {
    if (!missionId.startsWith(SCHEDULED)) {
      return Optional.empty();
    }
    int end = missionId.indexOf('.', SCHEDULED.length());
    return end <= SCHEDULED.length() ? Optional.empty() : Optional.of(missionId.substring(SCHEDULED.length(), end));
  }

  private static String safe(String key) {
    if (PLAIN_KEY.matcher(key).matches()) {
      return key;
    }
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return "~" + HexFormat.of().formatHex(hash).substring(0, 20);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
