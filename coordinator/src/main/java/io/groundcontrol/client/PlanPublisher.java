package io.groundcontrol.client;

import io.groundcontrol.coordinator.PlanKeys;
import io.groundcontrol.coordinator.TopicSetup;
import io.groundcontrol.plan.PlanValidator;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.wire.AvroSerde;
import io.groundcontrol.schema.wire.TopicNames;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Applies plans: validates, creates the instruction topics of its components, then writes the plan
 * under {@code name@version} and under {@code name}. In that order, so that a coordinator that
 * sees a plan can always find its version and dispatch to existing topics.
 */
public final class PlanPublisher implements AutoCloseable {
  private final Admin admin;
  private final Producer<String, Plan> producer;
  private final TopicNames topics;
  private final InstallationSetup setup;
  private final WriteWait wait;

  /**
   * A publisher to the installation named by {@code topics}, whose applies wait as a tool's do
   * ({@link WriteWait#TOOLS}).
   *
   * @param partitions partitions of topics it creates if the installation has none yet (else the
   *     count its mission-commands topic has); replication follows the cluster's size
   */
  public PlanPublisher(KafkaConnection kafka, TopicNames topics, int partitions) {
    this(kafka, topics, partitions, WriteWait.TOOLS);
  }

  /** As {@link #PlanPublisher(KafkaConnection, TopicNames, int)}, each apply waiting at most {@code wait} for Kafka. */
  public PlanPublisher(KafkaConnection kafka, TopicNames topics, int partitions, WriteWait wait) {
    this(wait.admin(kafka), new KafkaProducer<>(
        wait.producer(kafka), new StringSerializer(), AvroSerde.of(Plan.class).serializer()), topics, partitions, wait);
  }

  private PlanPublisher(Admin admin, Producer<String, Plan> producer, TopicNames topics, int partitions,
      WriteWait wait) {
    this(admin, producer, topics, new InstallationSetup(admin, topics, partitions), wait);
  }

  /** A publisher through the given clients: how tests stand in for a cluster that does not answer. */
  PlanPublisher(Admin admin, Producer<String, Plan> producer, TopicNames topics, TopicSetup setup, WriteWait wait) {
    this(admin, producer, topics, new InstallationSetup(setup), wait);
  }

  private PlanPublisher(Admin admin, Producer<String, Plan> producer, TopicNames topics, InstallationSetup setup,
      WriteWait wait) {
    this.admin = admin;
    this.producer = producer;
    this.topics = topics;
    this.setup = setup;
    this.wait = wait;
  }

  /**
   * Applies {@code plan}.
   *
   * @param source where the plan came from, for error messages
   * @throws io.groundcontrol.plan.InvalidPlanException listing every problem, if the plan is invalid
   */
  public void apply(Plan plan, String source) {
    PlanValidator.requireValid(plan, source);
    publish(plan);
  }

  /**
   * Applies {@code plan}, read back from an installation's plans topic, elsewhere (a replay's
   * target): checked as the coordinator checks a stored plan ({@link PlanValidator#requireRunnable}),
   * so that a plan applied before a newer rule, which its missions still run under, copies too.
   *
   * @throws io.groundcontrol.plan.InvalidPlanException listing every problem, if the plan cannot run
   */
  public void copy(Plan plan) {
    PlanValidator.requireRunnable(plan);
    publish(plan);
  }

  /**
   * Creates the topics, then writes the version and the latest, all within the wait.
   *
   * @throws WriteNotTakenException if Kafka did not take it in time
   */
  private void publish(Plan plan) {
    WriteWait.Write write = wait.begin("plan '" + plan.getName() + "' version " + plan.getVersion(),
        "It may still be written: applying the same plan again is safe (it writes the same version again)");
    write.step(() -> {
      TopicSetup installation = setup.of(write);
      installation.ensureCoreTopics(admin, topics, write.remaining());
      installation.ensureInstructionTopics(admin, topics, plan, write.remaining());
    });
    write.await(producer.send(
        new ProducerRecord<>(topics.plans(), PlanKeys.versioned(plan.getName(), plan.getVersion()), plan)));
    write.await(producer.send(new ProducerRecord<>(topics.plans(), plan.getName(), plan)));
  }

  @Override
  public void close() {
    producer.close();
    admin.close();
  }
}
