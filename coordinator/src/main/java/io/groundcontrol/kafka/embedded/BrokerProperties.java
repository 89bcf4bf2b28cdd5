package io.groundcontrol.kafka.embedded;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The broker configuration of a single dev node: one KRaft process that is both broker and controller.
 *
 * <p>Keys are the documented broker config names rather than Kafka's internal constant classes,
 * which move between releases.
 */
final class BrokerProperties {

    static final int NODE_ID = 1;
    static final String BROKER_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    static final String INTERNAL_LISTENER = "INTERNAL";
    static final String HOST = "127.0.0.1";

    /**
     * The broker's wait before it retries adding a partition to a transaction whose previous one is
     * still writing its markers (transaction protocol 2, KAFKA-18654). Kafka's default is 20 ms, and
     * an exactly-once stream thread that writes within a millisecond or two of its last commit meets
     * it, and its next commit waits for it; see README "Latency and commit settings".
     */
    static final String ADD_PARTITIONS_RETRY_BACKOFF_CONFIG = "add.partitions.to.txn.retry.backoff.ms";

    /**
     * {@link #ADD_PARTITIONS_RETRY_BACKOFF_CONFIG} of a dev node: as short a hand-off tail as 1 ms gave,
     * without 1 ms's cost under load (BENCHMARKS.md, session of 2026-12-05).
     */
    static final String ADD_PARTITIONS_RETRY_BACKOFF_MS = "5";

    private BrokerProperties() {
    }

    /**
     * Builds the full config; {@code overrides} win over every default here.
     *
     * @param dataDir        log and metadata directory
     * @param brokerPort     port of the client listener
     * @param controllerPort port of the controller listener
     * @param partitions     default partition count of new topics
     * @param overrides      extra broker properties
     */
    static Properties of(Path dataDir, int brokerPort, int controllerPort, int partitions,
                         Map<String, String> overrides) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        // A static voter set (kraft.version 0) stores no controller endpoint in the metadata log,
        // so a restart on a formatted dir may use a different controller port.
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        p.put("listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort);
        p.put("listener.security.protocol.map",
                BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("log.dirs", dataDir.toAbsolutePath().toString());

        // One replica of everything, including the internal topics behind groups and transactions.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "1");
        p.put("min.insync.replicas", "1");
        p.put("default.replication.factor", "1");
        p.put("num.partitions", String.valueOf(partitions));
        p.put("auto.create.topics.enable", "false");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put(ADD_PARTITIONS_RETRY_BACKOFF_CONFIG, ADD_PARTITIONS_RETRY_BACKOFF_MS);

        // Sized for a laptop: the cleaner's 128 MiB default buffer alone would double the footprint.
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
        p.put("log.segment.bytes", String.valueOf(16 * 1024 * 1024));
        p.put("log.index.size.max.bytes", String.valueOf(1024 * 1024));
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("group.coordinator.threads", "1");
        p.put("share.coordinator.threads", "1");

        p.putAll(overrides);
        return p;
    }

    /**
     * The config of a secured node (see {@link BrokerSecurity}): the client listener speaks SASL_SSL with
     * SCRAM, the inter-broker and controller listeners TLS with client certificates, and the standard
     * authorizer admits only the broker's certificate as super user.
     *
     * @param internalPort port of the inter-broker listener, where the super user connects
     */
    static Properties secured(Path dataDir, int brokerPort, int internalPort, int controllerPort, int partitions,
                              BrokerSecurity security, Map<String, String> overrides) {
        Properties p = of(dataDir, brokerPort, controllerPort, partitions, Map.of());
        String client = BROKER_LISTENER;
        p.put("listeners", client + "://" + HOST + ":" + brokerPort + ","
                + INTERNAL_LISTENER + "://" + HOST + ":" + internalPort + ","
                + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", client + "://" + HOST + ":" + brokerPort + ","
                + INTERNAL_LISTENER + "://" + HOST + ":" + internalPort);
        p.put("listener.security.protocol.map",
                client + ":SASL_SSL," + INTERNAL_LISTENER + ":SSL," + CONTROLLER_LISTENER + ":SSL");
        p.put("inter.broker.listener.name", INTERNAL_LISTENER);
        String mechanisms = BrokerSecurity.SCRAM_MECHANISM + (security.plainUsers().isEmpty() ? "" : ",PLAIN");
        p.put("sasl.enabled.mechanisms", mechanisms);
        String lower = client.toLowerCase(java.util.Locale.ROOT);
        p.put("listener.name." + lower + ".sasl.enabled.mechanisms", mechanisms);
        if (!security.plainUsers().isEmpty()) {
            StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
            security.plainUsers().forEach((user, password) ->
                    jaas.append(" user_").append(user).append("=\"").append(password).append('"'));
            p.put("listener.name." + lower + ".plain.sasl.jaas.config", jaas.append(';').toString());
        }
        p.put("listener.name." + lower + "." + BrokerSecurity.SCRAM_MECHANISM.toLowerCase(java.util.Locale.ROOT)
                + ".sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", security.keystore().toAbsolutePath().toString());
        p.put("ssl.keystore.password", security.keystorePassword());
        p.put("ssl.key.password", security.keystorePassword());
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", security.truststore().toAbsolutePath().toString());
        p.put("ssl.truststore.password", security.truststorePassword());
        p.put("listener.name." + INTERNAL_LISTENER.toLowerCase(java.util.Locale.ROOT) + ".ssl.client.auth", "required");
        p.put("listener.name." + CONTROLLER_LISTENER.toLowerCase(java.util.Locale.ROOT) + ".ssl.client.auth", "required");
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("super.users", security.brokerPrincipal());
        p.putAll(overrides);
        return p;
    }
}
