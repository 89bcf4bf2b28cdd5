package io.groundcontrol.trigger;

import io.groundcontrol.coordinator.CoordinatorConfig;
import io.groundcontrol.coordinator.CoordinatorTopics;
import io.groundcontrol.coordinator.CoordinatorTopology;
import io.groundcontrol.coordinator.PlanKeys;
import io.groundcontrol.schedule.ScheduleFile;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.Trigger;
import io.groundcontrol.schema.wire.TopicNames;
import io.groundcontrol.testing.DriverOffsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The whole coordinator topology reading trigger topic {@code exports}, with one plan and the
 * triggers of a schedules file applied at {@link #T0}, the driver's wall-clock start.
 */
final class TriggerDriver implements AutoCloseable {
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  final TopologyTestDriver driver;
  final TestInputTopic<String, String> exports;
  final TestOutputTopic<String, MissionEvent> events;
  final TestOutputTopic<byte[], byte[]> deadLetters;
  /** The triggers topic: a tombstone under a trigger's name removes it. */
  final TestInputTopic<String, Trigger> triggers;

  TriggerDriver(Path stateDir, String schedulesFile, Plan plan) {
    this(stateDir, schedulesFile, plan, true);
  }

  TriggerDriver(Path stateDir, String schedulesFile, Plan plan, boolean exactlyOnce) {
    CoordinatorTopics topics = new CoordinatorTopics(TopicNames.DEFAULT);
    CoordinatorConfig config = new CoordinatorConfig("unused:9092",
        CoordinatorConfig.defaultApplicationId(TopicNames.DEFAULT), TopicNames.DEFAULT, stateDir, exactlyOnce,
        CoordinatorConfig.DEFAULT_COMMIT_INTERVAL_MS, 1, Map.of());
    driver = new TopologyTestDriver(CoordinatorTopology.build(config, Set.of("exports")), config.streamsProperties(), T0);
    TestInputTopic<String, Plan> plans = driver.createInputTopic(topics.plans().name(), new StringSerializer(),
        topics.plans().valueSerde().serializer());
    plans.pipeInput(plan.getName(), plan, T0);
    plans.pipeInput(PlanKeys.versioned(plan.getName(), plan.getVersion()), plan, T0);
    triggers = driver.createInputTopic(topics.triggers().name(), new StringSerializer(),
        topics.triggers().valueSerde().serializer());
    for (Trigger trigger : ScheduleFile.parse(schedulesFile, "test.yaml").triggers()) {
      triggers.pipeInput(trigger.getName(), trigger, T0);
    }
    exports = driver.createInputTopic("exports", new StringSerializer(), new StringSerializer());
    events = driver.createOutputTopic(topics.events().name(), new StringDeserializer(),
        topics.events().valueSerde().deserializer());
    deadLetters = driver.createOutputTopic(topics.names().deadLetters(), new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  /**
   * Makes the next record piped to {@code exports} land at {@code offset}, as a record read again
   * after a crash (at-least-once) or one of a topic deleted and created again. The driver numbers
   * each partition's records itself and has no way to read one again, hence the reflection.
   */
  void rewindExports(long offset) {
    DriverOffsets.setNext(driver, "exports", offset);
  }

  @Override
  public void close() {
    driver.close();
  }
}
