package io.groundcontrol.testing;

import org.apache.kafka.clients.admin.Admin;

/**
 * A running Kafka broker shared by every test in the JVM.
 *
 * <p>Because the broker is shared, a test names its topics from {@link #uniquePrefix(String)}
 * and never deletes or reconfigures topics it did not create.
 */
public interface KafkaBroker {

    /** @return the {@code host:port} list for clients */
    String bootstrapServers();

    /** @return an admin client owned by the broker; callers must not close it */
    Admin admin();

    /**
     * Creates a topic and waits until the broker has it.
     *
     * @param name       topic name, ideally under a {@link #uniquePrefix(String)}
     * @param partitions partition count
     */
    void createTopic(String name, int partitions);

    /** Creates single-partition topics and waits until the broker has them. */
    void createTopics(String... names);

    /**
     * The partition count of {@code topic}, which something other than this broker's own
     * {@link #createTopic} may have created a moment ago: a creation is acknowledged before the broker
     * describes the topic, so this waits until it does.
     */
    int partitionCount(String topic);

    /**
     * @param base a readable name, e.g. the test's subject
     * @return {@code base + "-" + n} with an {@code n} not handed out before in this JVM
     */
    String uniquePrefix(String base);
}
