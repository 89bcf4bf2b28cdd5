package io.groundcontrol.client;

import io.groundcontrol.coordinator.TopicSetup;
import io.groundcontrol.schema.wire.TopicNames;
import org.apache.kafka.clients.admin.Admin;

/**
 * The topic setup of the installation a publisher writes to, asked of the cluster within the first
 * write that needs it ({@link TopicSetup#forInstallation}) rather than when the publisher is made:
 * made by a command, those questions would wait out Kafka's own timeouts before the write's wait
 * began. Kept once known: an installation's partition count does not change.
 */
final class InstallationSetup {
  private final Admin admin;
  private final TopicNames topics;
  private final int partitions;
  private volatile TopicSetup known;

  /** The setup of the installation named by {@code topics}, or {@code partitions} if it has no topics yet. */
  InstallationSetup(Admin admin, TopicNames topics, int partitions) {
    this.admin = admin;
    this.topics = topics;
    this.partitions = partitions;
  }

  /** A setup given outright, as tests give one. */
  InstallationSetup(TopicSetup known) {
    this(null, null, known.partitions());
    this.known = known;
  }

  /** The setup, asking the cluster within what is left of {@code write}'s wait the first time. */
  TopicSetup of(WriteWait.Write write) {
    TopicSetup setup = known;
    if (setup == null) {
      setup = TopicSetup.forInstallation(admin, topics, partitions, write.remaining());
      known = setup;
    }
    return setup;
  }
}
