package io.groundcontrol.coordinator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * A stable consumer-group identity for each coordinator instance (static membership, KIP-345),
 * kept in a file beside its state dir's stores. A restarted instance then takes its partitions back
 * as soon as it joins: without it, the group waited for the previous incarnation's session to
 * expire (10 s) before assigning anything, so every restart (a deploy, a crash) stalled all missions
 * that long. Failover to another instance is unchanged: a dead member's partitions move when its
 * session expires, as before.
 *
 * <p>Not applied when the user names an instance id (any {@code group.instance.id} key) or runs the
 * streams rebalance protocol (KIP-1071), which has no static membership.
 */
public final class StaticMembership {
  /** The key Kafka Streams reads its main consumers' instance id from; it appends {@code -<thread index>}. */
  public static final String INSTANCE_ID_CONFIG = StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);

  private static final List<String> INSTANCE_ID_KEYS = List.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
      StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), INSTANCE_ID_CONFIG);
  private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");

  private StaticMembership() {}

  /**
   * Sets this instance's id in {@code props} unless they name one or choose the streams protocol.
   *
   * @param stateDir the instance's state dir; the id lives in {@code <applicationId>.instance-id} in it
   * @throws UncheckedIOException if the id file can be neither read nor written
   */
  public static void apply(Properties props, Path stateDir, String applicationId) {
    if (namesInstanceId(props) || streamsProtocol(props)) {
      return;
    }
    props.put(INSTANCE_ID_CONFIG, instanceId(stateDir, applicationId));
  }

  /**
   * Checks user settings: an instance id cannot go with the streams protocol.
   *
   * @throws IllegalArgumentException saying which keys clash
   */
  public static void check(Map<String, String> overrides) {
    Properties props = new Properties();
    props.putAll(overrides);
    if (namesInstanceId(props) && streamsProtocol(props)) {
      throw new IllegalArgumentException("group.instance.id (static membership) needs group.protocol=classic: "
          + "the streams rebalance protocol has no static members");
    }
  }

  /** The id kept for {@code applicationId} in {@code stateDir}, created on first use. */
  static String instanceId(Path stateDir, String applicationId) {
    Path file = stateDir.resolve(applicationId + ".instance-id");
    try {
      if (Files.exists(file)) {
        String kept = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (VALID_ID.matcher(kept).matches()) {
          return kept;
        }
      }
      String id = applicationId + "-" + UUID.randomUUID().toString().substring(0, 8);
      Files.createDirectories(stateDir);
      Path written = Files.createTempFile(stateDir, applicationId, ".instance-id.tmp");
      Files.writeString(written, id + "\n", StandardCharsets.UTF_8);
      try {
        Files.move(written, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(written, file, StandardCopyOption.REPLACE_EXISTING);
      }
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not keep the coordinator's instance id in " + file + ": " + e.getMessage(), e);
    }
  }

  private static boolean namesInstanceId(Properties props) {
    return INSTANCE_ID_KEYS.stream().anyMatch(key -> {
      Object value = props.get(key);
      return value != null && !value.toString().isBlank();
    });
  }

  private static boolean streamsProtocol(Properties props) {
    Object protocol = props.get(StreamsConfig.GROUP_PROTOCOL_CONFIG);
    return protocol != null && protocol.toString().strip().toLowerCase(Locale.ROOT).equals("streams");
  }
}
