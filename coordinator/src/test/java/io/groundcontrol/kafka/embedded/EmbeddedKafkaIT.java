package io.groundcontrol.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.groundcontrol.testing.KafkaBroker;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.testing.WithKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir
    Path dataDir;

    @Test
    void transactionCommittedByOneClientIsReadByReadCommittedGroupConsumer() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dataDir).build().start()) {
            report("fresh start", kafka);
            createTopic(kafka.bootstrapServers(), "missions");

            try (KafkaProducer<String, String> producer = transactionalProducer(kafka.bootstrapServers())) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("missions", "m-1", "aborted"));
                producer.abortTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("missions", "m-1", "created"));
                producer.send(new ProducerRecord<>("missions", "m-1", "started"));
                producer.commitTransaction();
            }

            String group = "readers";
            assertThat(readValues(kafka.bootstrapServers(), group, "missions", 2)).containsExactly("created", "started");
            try (Admin admin = admin(kafka.bootstrapServers())) {
                assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values())
                        .singleElement()
                        .satisfies(committed -> assertThat(committed.offset()).isPositive());
            }
        }
    }

    @Test
    void restartOnTheSameDataDirKeepsClusterTopicsAndRecords() throws Exception {
        String clusterId;
        EmbeddedKafka first = EmbeddedKafka.builder().dataDir(dataDir).build().start();
        try {
            report("fresh start", first);
            clusterId = first.clusterId();
            createTopic(first.bootstrapServers(), "plans");
            try (KafkaProducer<String, String> producer = transactionalProducer(first.bootstrapServers())) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("plans", "p-1", "v1"));
                producer.commitTransaction();
            }
        } finally {
            first.close();
            first.close();
        }
        assertThatThrownBy(first::bootstrapServers).isInstanceOf(IllegalStateException.class);

        try (EmbeddedKafka second = EmbeddedKafka.builder().dataDir(dataDir).build().start()) {
            report("restart", second);
            assertThat(second.clusterId()).isEqualTo(clusterId);
            try (Admin admin = admin(second.bootstrapServers())) {
                assertThat(admin.listTopics().names().get()).contains("plans");
            }
            assertThat(readValues(second.bootstrapServers(), "after-restart", "plans", 1)).containsExactly("v1");
        }
    }

    @Test
    void sharedBrokerFromTheExtensionServesClients() throws Exception {
        String prefix = KAFKA.uniquePrefix("embedded-it");
        assertThat(KAFKA.uniquePrefix("embedded-it")).isNotEqualTo(prefix);
        String topic = prefix + ".events";
        KAFKA.createTopic(topic, 2);
        assertThat(KAFKA.admin().describeTopics(Set.of(topic)).allTopicNames().get().get(topic).partitions()).hasSize(2);

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, 0, "k", "hello")).get();
        }
        assertThat(readValues(KAFKA.bootstrapServers(), prefix + ".group", topic, 1)).containsExactly("hello");
    }

    @Nested
    @WithKafkaBroker
    class AnnotatedTests {

        @Test
        void receiveTheSameSharedBrokerAsAParameter(KafkaBroker broker) {
            assertThat(broker.bootstrapServers()).isEqualTo(KAFKA.bootstrapServers());
        }
    }

    private static void report(String what, EmbeddedKafka kafka) {
        Runtime rt = Runtime.getRuntime();
        long usedMiB = (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024);
        System.out.printf("EmbeddedKafka %s: ready in %d ms at %s, JVM heap used %d MiB%n",
                what, kafka.startupTime().toMillis(), kafka.bootstrapServers(), usedMiB);
    }

    private static Admin admin(String bootstrapServers) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    private static void createTopic(String bootstrapServers, String topic) throws Exception {
        try (Admin admin = admin(bootstrapServers)) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty()))).all().get();
        }
    }

    private static KafkaProducer<String, String> transactionalProducer(String bootstrapServers) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-" + UUID.randomUUID()),
                new StringSerializer(), new StringSerializer());
    }

    /** Reads until {@code count} values arrived, committing offsets as a group member would. */
    private static List<String> readValues(String bootstrapServers, String group, String topic, int count) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
            consumer.commitSync();
        }
        return values;
    }
}
