package io.groundcontrol.testing;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a real Kafka broker: one per test JVM, started on first use and stopped when the
 * whole test run ends. See {@link KafkaBrokers} for which kind of broker.
 *
 * <p>Either register it and call the broker through it:
 * <pre>{@code
 * @RegisterExtension
 * static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
 * ... KAFKA.bootstrapServers() ...
 * }</pre>
 * or annotate the class with {@link WithKafkaBroker} and take a {@link KafkaBroker} parameter
 * in a constructor, lifecycle or test method.
 *
 * <p>Its {@link KafkaBroker} methods work from {@code @BeforeAll} on (from {@code @BeforeEach}
 * when the field is not static).
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver, KafkaBroker {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaBrokerExtension.class);

    private volatile KafkaBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = shared(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        broker = shared(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return shared(context);
    }

    /** The root store closes the broker, as an {@link AutoCloseable}, after the last test of the JVM. */
    private static KafkaBroker shared(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(RunningKafkaBroker.class, type -> KafkaBrokers.start(), RunningKafkaBroker.class);
    }

    private KafkaBroker broker() {
        KafkaBroker current = broker;
        if (current == null) {
            throw new IllegalStateException("Expected the Kafka broker to be started, but it is not yet: "
                    + "use it from @BeforeAll on, with the extension in a static @RegisterExtension field");
        }
        return current;
    }

    @Override
    public String bootstrapServers() {
        return broker().bootstrapServers();
    }

    @Override
    public Admin admin() {
        return broker().admin();
    }

    @Override
    public void createTopic(String name, int partitions) {
        broker().createTopic(name, partitions);
    }

    @Override
    public void createTopics(String... names) {
        broker().createTopics(names);
    }

    @Override
    public int partitionCount(String topic) {
        return broker().partitionCount(topic);
    }

    @Override
    public String uniquePrefix(String base) {
        return broker().uniquePrefix(base);
    }
}
