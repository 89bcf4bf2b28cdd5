package io.groundcontrol.testing;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** A started broker of either kind, with the helpers of {@link KafkaBroker}; closing it stops the broker. */
public final class RunningKafkaBroker implements KafkaBroker, AutoCloseable {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static final long TOPIC_TIMEOUT_SECONDS = 30;

    private final String bootstrapServers;
    private final Stopper stopper;
    private Admin admin;

    /**
     * @param bootstrapServers where clients reach the broker
     * @param stopper          stops the broker and frees what it holds
     */
    RunningKafkaBroker(String bootstrapServers, Stopper stopper) {
        this.bootstrapServers = bootstrapServers;
        this.stopper = stopper;
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        }
        return admin;
    }

    @Override
    public void createTopic(String name, int partitions) {
        create(List.of(new NewTopic(name, Optional.of(partitions), Optional.empty())));
    }

    @Override
    public void createTopics(String... names) {
        create(Arrays.stream(names).map(n -> new NewTopic(n, Optional.of(1), Optional.empty())).toList());
    }

    private void create(List<NewTopic> topics) {
        try {
            admin().createTopics(topics).all().get(TOPIC_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            awaitKnown(topics.stream().map(NewTopic::name).toList());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating " + topics, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not create " + topics, e);
        }
    }

    @Override
    public int partitionCount(String topic) {
        try {
            return awaitKnown(List.of(topic)).get(topic).partitions().size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while describing " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not describe " + topic, e);
        }
    }

    /**
     * Waits until the broker describes every new topic, and returns what it said: a create is
     * acknowledged before the broker's own metadata has the topic, and a client that comes at once
     * may be told it is unknown.
     */
    private Map<String, TopicDescription> awaitKnown(List<String> names)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TOPIC_TIMEOUT_SECONDS);
        while (true) {
            try {
                return admin().describeTopics(names).allTopicNames().get(TOPIC_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                TimeUnit.MILLISECONDS.sleep(20); // poll interval while the metadata catches up
            }
        }
    }

    @Override
    public String uniquePrefix(String base) {
        return base + "-" + PREFIXES.incrementAndGet();
    }

    @Override
    public synchronized void close() throws IOException {
        if (admin != null) {
            admin.close();
        }
        stopper.stop();
    }

    /** Stops a broker and frees what it holds, such as its directory. */
    @FunctionalInterface
    interface Stopper {
        void stop() throws IOException;
    }
}
