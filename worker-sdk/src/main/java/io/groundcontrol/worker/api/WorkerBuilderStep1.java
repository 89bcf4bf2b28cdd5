package io.groundcontrol.worker.api;

import io.groundcontrol.schema.wire.TopicNames;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * The first step of building a {@link Worker}: which component it serves. The required settings
 * come in order (component, Kafka connection, handler), then any options, then {@link
 * WorkerBuilderStep4#open()}. Every setting is checked when it is given, and an invalid one throws
 * {@link IllegalArgumentException} or {@link NullPointerException} saying what was wrong.
 *
 * <p>A builder is not thread-safe; it can open more than one worker.
 */
public interface WorkerBuilderStep1 {

  /**
   * The component whose stages this worker runs, as named in plans. The worker consumes the topic
   * {@link TopicNames#instructions(String)} for it, in the consumer group named after it.
   *
   * @param component lower-case letters, digits, '.', '_' and '-'; see {@link
   *     TopicNames#COMPONENT_NAME}
   * @throws IllegalArgumentException if the name is not valid
   */
  WorkerBuilderStep2 component(String component);

  /** The second step: how to reach Kafka. */
  interface WorkerBuilderStep2 {

    /**
     * The Kafka cluster to connect to, with default client settings otherwise.
     *
     * @param bootstrapServers {@code host:port} pairs separated by commas
     * @throws IllegalArgumentException if blank
     */
    WorkerBuilderStep3 bootstrapServers(String bootstrapServers);

    /**
     * Kafka client properties, for connections that need more than bootstrap servers (TLS, SASL,
     * client tuning). They are given to both the consumer and the producer; each ignores (and logs)
     * what it does not know. They must include {@code bootstrap.servers}.
     *
     * <p>The worker sets the properties its guarantees rest on, and rejects a different value for
     * any of them: {@code group.id} (the component), {@code enable.auto.commit=false}, {@code
     * isolation.level=read_committed}, {@code acks=all}, {@code enable.idempotence=true}, {@code
     * partitioner.ignore.keys=false}, and the key and value (de)serializers; it rejects any {@code
     * partitioner.class}, since a report must land on the partition of its mission id (murmur2 of the
     * key, Kafka's default). It also chooses defaults that can be overridden here: {@code
     * auto.offset.reset=earliest} (a new component must see instructions dispatched before its first
     * worker started), {@code linger.ms=0} (reports are few and latency matters), {@code
     * partition.assignment.strategy} cooperative-sticky (a rebalance moves only the partitions it must,
     * so running stages are rarely redelivered; {@link WorkerBuilderStep4#eagerRebalances} for a
     * component shared with Python workers), and {@code client.id} from the worker id.
     *
     * <p>On a secured cluster, give the same settings as the Kafka client properties file of the
     * other commands ({@code --kafka-config}), e.g. {@code security.protocol=SASL_SSL},
     * {@code sasl.mechanism=SCRAM-SHA-512}, {@code sasl.jaas.config}, {@code ssl.truststore.location}
     * (load the file with {@link Properties#load} and pass it to {@link #kafkaProperties(Properties)}).
     * The principal needs the worker role's ACLs:
     * {@code groundcontrol acl print --role worker --component C --principal P}. A refused login or a missing ACL, whether for reading instructions or for writing reports,
     * stops the worker at once with one logged line naming what was refused ({@link Worker#isOpen()}
     * turns false); it is not retried, and a report Kafka refused is not sent again: its instruction
     * is left uncommitted for the partition's next owner.
     *
     * @param properties the properties; copied
     * @throws IllegalArgumentException if {@code bootstrap.servers} is missing or a property the
     *     worker sets is given a different value
     * @throws NullPointerException if the map, a key or a value is null
     */
    WorkerBuilderStep3 kafkaProperties(Map<String, ?> properties);

    /**
     * As {@link #kafkaProperties(Map)}, from a Kafka client properties file loaded with {@link
     * Properties#load}, such as the {@code --kafka-config} file of the other commands. Its defaults
     * ({@link Properties#Properties(Properties)}) count too, overridden by its own entries.
     *
     * @param properties the properties; copied
     * @throws IllegalArgumentException as {@link #kafkaProperties(Map)} does, or if a key is not a string
     * @throws NullPointerException if {@code properties} is null
     */
    WorkerBuilderStep3 kafkaProperties(Properties properties);
  }

  /** The third step: what to run. */
  interface WorkerBuilderStep3 {

    /**
     * The code that runs each stage attempt; see {@link StageHandler} for threading, cancellation
     * and what exceptions mean.
     *
     * @throws NullPointerException if null
     */
    WorkerBuilderStep4 handler(StageHandler handler);
  }

  /** The last step: options, each with a default, then {@link #open()}. */
  interface WorkerBuilderStep4 {

    /**
     * How many handler calls may run at once, each on its own thread. Default 1.
     *
     * @throws IllegalArgumentException if less than 1
     */
    WorkerBuilderStep4 parallelism(int parallelism);

    /**
     * The id this worker reports under, shown to people as who ran a stage. Default: the host name
     * and a random suffix, different for every worker opened.
     *
     * @throws IllegalArgumentException if blank
     */
    WorkerBuilderStep4 workerId(String workerId);

    /**
     * The topic names to use, for an installation with a topic prefix other than {@code
     * groundcontrol}. Default {@link TopicNames#DEFAULT}.
     *
     * @throws NullPointerException if null
     */
    WorkerBuilderStep4 topicNames(TopicNames topicNames);

    /**
     * How often to report a heartbeat for each running attempt, counted from its started report, so
     * that the coordinator can tell a long stage from a lost worker. The interval travels with the
     * started report and every heartbeat, so the coordinator knows how long a silence means the
     * worker is gone. Default 5 seconds.
     *
     * @throws IllegalArgumentException if under a millisecond (the interval is sent in whole
     *     milliseconds), or longer than a day
     */
    WorkerBuilderStep4 heartbeatInterval(Duration heartbeatInterval);

    /**
     * How long a handler must have run before its attempt is reported started. An attempt that ends
     * sooner is reported only by its final report (finished or failed), and the coordinator records
     * it as started by this worker and ended at the same moment. That saves the coordinator one
     * transaction per quick stage, and the final report no longer waits for the started report's
     * commit. Heartbeats begin with the started report, so a longer delay also postpones the
     * coordinator's watch on the worker; until then, a worker that dies is noticed only when Kafka
     * gives its partitions to another worker, which runs the attempt again.
     *
     * <p>The started report goes out at the worker's first look for due reports after the delay
     * (on a thread of its own, as heartbeats): at most the delay later, and at most 100 ms later.
     * Zero (or less than a millisecond) reports started just before the handler is called, on its
     * thread. Default: the {@linkplain #heartbeatInterval heartbeat interval}, but at most 100 ms.
     * A started report that Kafka refuses (at the send or on delivery) is sent again 1 s later, with
     * no heartbeat before it, unless the attempt has ended by then or a heartbeat sent meanwhile
     * was delivered (the coordinator starts the attempt at it). A delivery that timed out may have
     * been written after all: the started report then comes twice, and the coordinator ignores the
     * second (it changes nothing and leaves no event in the mission's history).
     *
     * @throws IllegalArgumentException if negative, or longer than a day
     * @throws NullPointerException if null
     */
    WorkerBuilderStep4 startedReportDelay(Duration startedReportDelay);

    /**
     * How long {@link Worker#close()} waits for running handlers before interrupting them, and then
     * again for the last reports to be acknowledged. Zero interrupts at once. Default 10 seconds.
     * A timeout over about 292 years (the most nanoseconds a {@code long} holds), such as {@code
     * ChronoUnit.FOREVER.getDuration()}, counts as 292 years: it waits for handlers however long
     * they take.
     *
     * @throws IllegalArgumentException if negative
     */
    WorkerBuilderStep4 closeTimeout(Duration closeTimeout);

    /**
     * How soon after this worker dies (a crash, a kill, a lost network) Kafka gives its instruction
     * partitions to another worker of the component: the consumer's {@code session.timeout.ms}, with
     * {@code heartbeat.interval.ms} a quarter of it. The instructions it had taken are then delivered
     * again to the worker that gets them, which is what makes a dead worker's stages run elsewhere.
     * A {@code session.timeout.ms} or {@code heartbeat.interval.ms} given in {@link
     * WorkerBuilderStep2#kafkaProperties kafkaProperties} takes precedence.
     *
     * <p>Default 6 seconds, the shortest a broker allows by default ({@code
     * group.min.session.timeout.ms}); with it, a dead worker's partitions move in about 6 to 8
     * seconds. A shorter value needs a broker configured to allow it. Kafka 4's {@code consumer}
     * group protocol is not the default here: its broker-side session timeout may not go below 45
     * seconds unless the broker is reconfigured.
     *
     * @throws IllegalArgumentException if under one second or over a day
     * @throws NullPointerException if null
     */
    WorkerBuilderStep4 failoverTimeout(Duration failoverTimeout);

    /**
     * Lets this worker serve its component together with Python workers ({@code worker-sdk-python}),
     * or any worker on librdkafka's default assignors, at the cost of eager rebalances. By default
     * the worker's consumer joins the component's group with the cooperative-sticky assignor only,
     * which librdkafka's default ({@code range,roundrobin}) does not offer, and the broker refuses
     * whichever kind joins second ({@code INCONSISTENT_GROUP_PROTOCOL}). With this option it offers
     * cooperative-sticky and range ({@code partition.assignment.strategy} {@code
     * CooperativeStickyAssignor,RangeAssignor}): the group uses cooperative-sticky while only Java
     * workers are in it, range once a Python worker joins; a Java worker without the option can
     * still join while no Python worker is in the group, so the option can be rolled onto a
     * component's Java workers one by one before the first Python worker starts.
     *
     * <p>The cost: the consumer rebalances eagerly. Each time a worker of the component joins or
     * leaves, this worker gives up all its partitions, commits what was reported, and reads its
     * next partitions from their committed offsets: RUNs it had read but not started are read
     * again, and an attempt still running here is not run again (its redelivered RUN is answered
     * by its report, as in the Python SDK); an attempt whose partition moves to another worker runs
     * on here, as with cooperative rebalancing (see {@link Worker}). Without Python workers in the
     * group, leave it off.
     *
     * @throws IllegalArgumentException if {@link WorkerBuilderStep2#kafkaProperties kafkaProperties}
     *     set {@code partition.assignment.strategy}, or {@code group.protocol=consumer} (whose
     *     broker-side assignment takes no assignor)
     */
    WorkerBuilderStep4 eagerRebalances();

    /**
     * The clock that stamps reports ({@code reportedAt}, and {@code startedAt} in the started report).
     * Default the system UTC clock; a test may pass one it controls. The started-report delay,
     * heartbeats and resends are timed on {@link System#nanoTime()}, not on this clock, so a wall
     * clock stepped back or forward (by NTP, after a VM resumed) neither silences heartbeats, which
     * would get the worker declared lost, nor sends them early.
     *
     * @throws NullPointerException if null
     */
    WorkerBuilderStep4 clock(Clock clock);

    /**
     * Creates the Kafka clients and starts consuming on a new poll thread; returns at once.
     *
     * @return the open worker; close it to stop
     * @throws org.apache.kafka.common.KafkaException if the Kafka clients cannot be created, e.g.
     *     for an invalid property
     */
    Worker open();
  }
}
