package io.groundcontrol.client;

import io.groundcontrol.coordinator.PlanKeys;
import io.groundcontrol.coordinator.TopicSetup;
import io.groundcontrol.plan.PlanValidator;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.wire.AvroSerde;
import io.groundcontrol.schema.wire.TopicNames;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Applies plans: validates, creates the instruction topics of its components, then writes the plan
 * under {@code name@version} and under {@code name}. In that order, so that a coordinator that
 * sees a plan can always find its version and dispatch to existing topics.
 */
public final class PlanPublisher implements AutoCloseable {
  private final Admin admin;
  private final KafkaProducer<String, Plan> producer;
  private final TopicNames topics;
  private final TopicSetup setup;

  /**
   * A publisher to the installation named by {@code topics}.
   *
   * @param partitions partitions of topics it creates if the installation has none yet (else the
   *     count its mission-commands topic has); replication follows the cluster's size
   */
  public PlanPublisher(KafkaConnection kafka, TopicNames topics, int partitions) {
    this.admin = kafka.admin();
    this.producer = new KafkaProducer<>(
        KafkaClients.producer(kafka), new StringSerializer(), AvroSerde.of(Plan.class).serializer());
    this.topics = topics;
    this.setup = TopicSetup.forInstallation(admin, topics, partitions);
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

  private void publish(Plan plan) {
    setup.ensureCoreTopics(admin, topics);
    setup.ensureInstructionTopics(admin, topics, plan);
    try {
      producer.send(new ProducerRecord<>(topics.plans(), PlanKeys.versioned(plan.getName(), plan.getVersion()), plan))
          .get(30, TimeUnit.SECONDS);
      producer.send(new ProducerRecord<>(topics.plans(), plan.getName(), plan)).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while applying plan '" + plan.getName() + "'", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Could not apply plan '" + plan.getName() + "': " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    producer.close();
    admin.close();
  }
}
