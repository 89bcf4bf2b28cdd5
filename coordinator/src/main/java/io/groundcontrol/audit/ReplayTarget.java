package io.groundcontrol.audit;

import io.groundcontrol.client.PlanPublisher;
import io.groundcontrol.coordinator.PlanKeys;
import io.groundcontrol.coordinator.TopicSetup;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.wire.AvroCodec;
import io.groundcontrol.schema.wire.WireFormatException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/** Readies a replay's target prefix: its input topics, and the plan version the mission ran, copied from the source. */
final class ReplayTarget {
  private final InputReplayer.Request request;
  private final Consumer<String> problems;

  private ReplayTarget(InputReplayer.Request request, Consumer<String> problems) {
    this.request = request;
    this.problems = problems;
  }

  /**
   * Creates the target's topics and applies plan {@code name} at {@code version} there, as its latest version.
   *
   * @param partitions partitions of the topics created: the source's count
   * @return the plan copied
   * @throws IllegalStateException if the source no longer holds that plan version
   */
  static Plan prepare(InputReplayer.Request request, String name, String version, int partitions, Consumer<String> problems) {
    ReplayTarget target = new ReplayTarget(request, problems);
    Plan plan = target.readPlan(name, version);
    target.createInputTopics(partitions);
    try (PlanPublisher publisher = new PlanPublisher(request.kafka(), request.target(), partitions)) {
      publisher.copy(plan);
    }
    return plan;
  }

  private Plan readPlan(String name, String version) {
    String key = PlanKeys.versioned(name, version);
    AtomicReference<Plan> found = new AtomicReference<>();
    AvroCodec<Plan> codec = AvroCodec.of(Plan.class);
    try (TopicSnapshot plans = TopicSnapshot.open(request.kafka(), request.source().plans(),
        "no plans were ever applied with prefix " + request.source().prefix())) {
      plans.forEach(record -> {
        if (key.equals(record.key()) && record.value() != null) {
          try {
            found.set(codec.decode(record.value()));
          } catch (WireFormatException e) {
            problems.accept(record.topic() + "-" + record.partition() + " offset " + record.offset() + ": " + e.getMessage());
          }
        }
      });
    }
    if (found.get() == null) {
      throw new IllegalStateException("Expected plan '" + name + "' version " + version + " under key '" + key + "' in "
          + request.source().plans() + ", but it is not there");
    }
    return found.get();
  }

  /**
   * Creates the target's input topics, if missing, keeping records without a time limit: replayed
   * inputs carry their original timestamps, which time-based retention could delete at once, before
   * a coordinator started later reads them.
   */
  private void createInputTopics(int partitions) {
    try (Admin admin = request.kafka().admin()) {
      short replicas = TopicSetup.forCluster(admin, partitions).replicationFactor();
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (String topic : List.of(request.target().missionCommands(), request.target().stageReports())) {
        if (!existing.contains(topic)) {
          missing.add(new NewTopic(topic, partitions, replicas).configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")));
        }
      }
      admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("Could not create the input topics of prefix " + request.target().prefix() + ": "
            + e.getCause().getMessage(), e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating the input topics", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("Timed out creating the input topics of prefix " + request.target().prefix(), e);
    }
  }
}
