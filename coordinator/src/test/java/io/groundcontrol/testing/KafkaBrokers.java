package io.groundcontrol.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import io.groundcontrol.kafka.embedded.EmbeddedKafka;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Starts the broker for a test JVM: a Testcontainers Kafka when a Docker engine is there,
 * otherwise an {@link EmbeddedKafka} on a temporary directory.
 *
 * <p>System property {@value #MODE_PROPERTY} forces the choice ({@code embedded} or
 * {@code container}); {@value #IMAGE_PROPERTY} names the container image.
 */
public final class KafkaBrokers {

    static final String MODE_PROPERTY = "groundcontrol.test.kafka";
    static final String IMAGE_PROPERTY = "groundcontrol.test.kafka.image";
    private static final String DEFAULT_IMAGE = "apache/kafka:4.1.0";

    private KafkaBrokers() {
    }

    static RunningKafkaBroker start() {
        String mode = System.getProperty(MODE_PROPERTY, "auto");
        return switch (mode) {
            case "embedded" -> embedded();
            case "container" -> container();
            case "auto" -> dockerAvailable() ? container() : embedded();
            default -> throw new IllegalArgumentException(
                    "Expected " + MODE_PROPERTY + " to be embedded, container or auto, but got '" + mode + "'");
        };
    }

    /**
     * What the test broker sets over the dev defaults: group sessions as short as 1 s are allowed
     * (Kafka's floor is 6 s), for a test that kills a coordinator and needs no product-length failover
     * ({@link GroundcontrolFixture#failingOverQuickly}); and a new streams group
     * ({@code group.protocol=streams}) is assigned at once, as a consumer group is on the dev
     * broker, not 3 s after its first member joins.
     */
    static final Map<String, String> TEST_SETTINGS = Map.of("group.min.session.timeout.ms", "1000",
            "group.streams.initial.rebalance.delay.ms", "0");

    private static RunningKafkaBroker embedded() {
        return embedded(Map.of());
    }

    /**
     * A broker of its own, embedded, with {@code brokerProperties} over the dev defaults (a topic
     * creation policy, say) and the {@link #TEST_SETTINGS}: for a test that needs settings the shared
     * broker must not have.
     * Closing it stops it and deletes its data.
     */
    public static RunningKafkaBroker embedded(Map<String, String> brokerProperties) {
        Path dir;
        try {
            dir = Files.createTempDirectory("groundcontrol-test-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> properties = new HashMap<>(TEST_SETTINGS);
        properties.putAll(brokerProperties);
        EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dir).brokerProperties(properties).build().start();
        return new RunningKafkaBroker(kafka.bootstrapServers(), () -> {
            kafka.close();
            TestDirs.deleteRecursively(dir);
        });
    }

    @SuppressWarnings("resource") // closed by the returned broker
    private static RunningKafkaBroker container() {
        KafkaContainer kafka = new KafkaContainer(DockerImageName.parse(System.getProperty(IMAGE_PROPERTY, DEFAULT_IMAGE)))
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
        TEST_SETTINGS.forEach((name, value) ->
                kafka.withEnv("KAFKA_" + name.toUpperCase(Locale.ROOT).replace('.', '_'), value));
        kafka.start();
        return new RunningKafkaBroker(kafka.getBootstrapServers(), kafka::stop);
    }

    /**
     * Asks Testcontainers only when a Docker endpoint is plausible: without one its probing
     * logs errors and costs seconds on every test JVM.
     */
    private static boolean dockerAvailable() {
        boolean plausible = System.getenv("DOCKER_HOST") != null
                || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"));
        if (!plausible) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
