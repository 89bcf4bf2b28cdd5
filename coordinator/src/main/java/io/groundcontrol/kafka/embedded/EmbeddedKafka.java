package io.groundcontrol.kafka.embedded;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real, single-node Apache Kafka running inside this JVM: one KRaft process acting as both
 * broker and controller, listening on 127.0.0.1 only.
 *
 * <p>Meant for {@code groundcontrol dev} and for tests. Every internal topic has one replica,
 * so transactions, consumer groups and Kafka Streams exactly-once all work on it.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dir).port(0).build().start()) {
 *     String bootstrap = kafka.bootstrapServers(); // "127.0.0.1:41234"
 * }
 * }</pre>
 *
 * <p>The data directory is formatted on first use and reused as is afterwards, keeping the
 * cluster id, topics and records across restarts. Only one node may use a directory at a time.
 *
 * <p>An instance starts at most once; to restart, build a new one on the same directory.
 * All methods are thread-safe.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int ATTEMPTS_WITH_CHOSEN_PORTS = 3;

    /** A failed start leaves the instance CLOSED, like {@link #close()}. */
    private enum State { NEW, RUNNING, CLOSED }

    private final DataDirectory dataDirectory;
    private final int requestedPort;
    private final int defaultPartitions;
    private final Map<String, String> brokerProperties;
    private final Duration startupTimeout;
    private final BrokerSecurity security;

    private State state = State.NEW;
    private KafkaRaftServer server;
    private int port;
    private int internalPort;
    private String clusterId;
    private Duration startupTime;

    private EmbeddedKafka(Builder builder) {
        this.dataDirectory = new DataDirectory(builder.dataDir);
        this.requestedPort = builder.port;
        this.defaultPartitions = builder.defaultPartitions;
        this.brokerProperties = Map.copyOf(builder.brokerProperties);
        this.startupTimeout = builder.startupTimeout;
        this.security = builder.security;
    }

    /** @return a builder; only {@link Builder#dataDir(Path)} is required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Formats the data directory if it is not yet formatted, starts the node and returns once a
     * client can reach it ({@code describeCluster} lists the broker).
     *
     * @return this instance, running
     * @throws EmbeddedKafkaException if formatting or startup fails, or the node is not ready within the startup timeout
     * @throws IllegalStateException  if this instance was already started
     */
    public synchronized EmbeddedKafka start() {
        if (state != State.NEW) {
            throw new IllegalStateException("Expected a new EmbeddedKafka, but it is " + state);
        }
        long begin = System.nanoTime();
        state = State.CLOSED;
        try {
            dataDirectory.formatIfNeeded();
        } catch (IOException | RuntimeException e) {
            throw new EmbeddedKafkaException("Could not format Kafka data directory " + dataDirectory.path(), e);
        }
        startServer();
        state = State.RUNNING;
        try {
            clusterId = security == null
                    ? ReadinessProbe.awaitReady(bootstrapServers(), Map.of(), startupTimeout)
                    : ReadinessProbe.awaitReady(superUserBootstrapServers(), security.superUserClientSettings(),
                            startupTimeout);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        startupTime = Duration.ofNanos(System.nanoTime() - begin);
        LOG.info("Kafka ready at {} in {} ms (cluster {}, data in {})",
                bootstrapServers(), startupTime.toMillis(), clusterId, dataDirectory.path());
        return this;
    }

    private void startServer() {
        int attempts = requestedPort == 0 ? ATTEMPTS_WITH_CHOSEN_PORTS : 1;
        for (int attempt = 1; ; attempt++) {
            int[] free = FreePorts.several(3);
            int brokerPort = requestedPort == 0 ? free[0] : requestedPort;
            int controllerPort = free[1] == brokerPort ? free[0] : free[1];
            int superUserPort = free[2] == brokerPort ? free[0] : free[2];
            KafkaRaftServer candidate = null;
            try {
                candidate = new KafkaRaftServer(new KafkaConfig(security == null
                        ? BrokerProperties.of(dataDirectory.path(), brokerPort, controllerPort, defaultPartitions,
                                brokerProperties)
                        : BrokerProperties.secured(dataDirectory.path(), brokerPort, superUserPort, controllerPort,
                                defaultPartitions, security, brokerProperties), false),
                        Time.SYSTEM);
                candidate.startup();
                server = candidate;
                port = brokerPort;
                internalPort = superUserPort;
                return;
            } catch (RuntimeException e) {
                if (candidate != null) {
                    stopQuietly(candidate);
                }
                boolean portTaken = causedByBind(e);
                // Another process may grab a port between choosing and binding it; choose again.
                if (portTaken && attempt < attempts) {
                    LOG.info("Port taken while starting Kafka, retrying with other ports: {}", e.toString());
                    continue;
                }
                throw new EmbeddedKafkaException("Could not start Kafka on 127.0.0.1:" + brokerPort
                        + (portTaken ? " (port already in use)" : "") + " with data in " + dataDirectory.path(), e);
            }
        }
    }

    private static boolean causedByBind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    /** @return {@code "127.0.0.1:PORT"}, the address clients use */
    public synchronized String bootstrapServers() {
        return BrokerProperties.HOST + ":" + port();
    }

    /**
     * @return {@code "127.0.0.1:PORT"} of the inter-broker listener of a {@linkplain Builder#secured secured}
     *         node, where the super user connects with {@link BrokerSecurity#superUserClientSettings()}
     * @throws IllegalStateException if the node is not secured
     */
    public synchronized String superUserBootstrapServers() {
        requireRunning();
        if (security == null) {
            throw new IllegalStateException("Expected a secured EmbeddedKafka, but this one is plaintext");
        }
        return BrokerProperties.HOST + ":" + internalPort;
    }

    /** @return how the node is secured, if it is */
    public java.util.Optional<BrokerSecurity> security() {
        return java.util.Optional.ofNullable(security);
    }

    /** @return the port of the client listener, the one actually bound when {@code port(0)} was asked for */
    public synchronized int port() {
        requireRunning();
        return port;
    }

    /** @return the id stored in the data directory when it was first formatted */
    public synchronized String clusterId() {
        requireRunning();
        return clusterId;
    }

    /** @return time {@link #start()} took, from formatting to the broker answering clients */
    public synchronized Duration startupTime() {
        requireRunning();
        return startupTime;
    }

    /** @return the absolute data directory */
    public Path dataDir() {
        return dataDirectory.path();
    }

    private void requireRunning() {
        if (state != State.RUNNING) {
            throw new IllegalStateException("Expected EmbeddedKafka to be running, but it is " + state);
        }
    }

    /**
     * Shuts the node down and waits for it to stop; the data directory stays for a later start.
     * Calling it again, or on an instance never started, does nothing.
     */
    @Override
    public synchronized void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        if (server != null) {
            stopQuietly(server);
            server = null;
            LOG.info("Kafka node with data in {} stopped", dataDirectory.path());
        }
    }

    private static void stopQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Kafka did not shut down cleanly", e);
        }
    }

    /** Configures an {@link EmbeddedKafka}. */
    public static final class Builder {

        private Path dataDir;
        private int port;
        private int defaultPartitions = 1;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();
        private Duration startupTimeout = Duration.ofSeconds(60);
        private BrokerSecurity security;

        private Builder() {
        }

        /**
         * Secures the node as {@link BrokerSecurity} describes: SASL_SSL (SCRAM-SHA-512) for clients,
         * the standard authorizer, TLS with client certificates between broker and controller.
         */
        public Builder secured(BrokerSecurity security) {
            this.security = Objects.requireNonNull(security, "security");
            return this;
        }

        /**
         * @param dataDir where topics and cluster metadata live; created and formatted if absent or empty,
         *                reused without formatting if formatted before
         */
        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        /** @param port client port on 127.0.0.1; 0 (the default) picks a free one */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("Expected port between 0 and 65535, but got " + port);
            }
            this.port = port;
            return this;
        }

        /** @param partitions partition count of topics created without one ({@code num.partitions}); default 1 */
        public Builder defaultPartitions(int partitions) {
            if (partitions < 1) {
                throw new IllegalArgumentException("Expected at least 1 default partition, but got " + partitions);
            }
            this.defaultPartitions = partitions;
            return this;
        }

        /**
         * Sets a broker config, overriding the dev defaults.
         * Listener, node and directory settings are chosen by this class; overriding them is unsupported.
         *
         * @param name  a broker config name, e.g. {@code "log.retention.ms"}
         * @param value its value
         */
        public Builder brokerProperty(String name, String value) {
            brokerProperties.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** @param properties broker configs, as for {@link #brokerProperty(String, String)} */
        public Builder brokerProperties(Map<String, String> properties) {
            properties.forEach(this::brokerProperty);
            return this;
        }

        /** @param timeout how long {@link EmbeddedKafka#start()} waits for the broker to answer; default 60 s */
        public Builder startupTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("Expected a positive startup timeout, but got " + timeout);
            }
            this.startupTimeout = timeout;
            return this;
        }

        /**
         * @return a configured, not yet started node
         * @throws IllegalStateException if no data directory was given
         */
        public EmbeddedKafka build() {
            if (dataDir == null) {
                throw new IllegalStateException("Expected a data directory, but none was given: call dataDir(Path)");
            }
            return new EmbeddedKafka(this);
        }
    }
}
