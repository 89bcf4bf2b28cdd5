package io.groundcontrol.api;

import io.groundcontrol.coordinator.Coordinator;
import io.groundcontrol.coordinator.CoordinatorConfig;
import io.groundcontrol.coordinator.TopicSetup;
import io.groundcontrol.testing.TestDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/** One coordinator instance with its HTTP API, in this JVM, with state of its own. */
final class ApiInstance implements AutoCloseable {
  private static final Duration READY = Duration.ofSeconds(90);

  final ApiServer api;
  final Coordinator coordinator;

  private ApiInstance(ApiServer api, Coordinator coordinator) {
    this.api = api;
    this.coordinator = coordinator;
  }

  /** Starts an instance of the installation {@code config} describes (its state dir is replaced). */
  static ApiInstance start(CoordinatorConfig config, int partitions) {
    return start(config, partitions, Duration.ofSeconds(20), UnaryOperator.identity());
  }

  /**
   * Starts an instance whose commands wait {@code commandWait} for a decision and whose backend
   * passes through {@code faults}.
   */
  static ApiInstance start(CoordinatorConfig config, int partitions, Duration commandWait,
      UnaryOperator<Backend> faults) {
    ApiServer api = ApiServer.start(new ApiServer.Settings("127.0.0.1", 0, "127.0.0.1", commandWait), faults);
    try {
      CoordinatorConfig own = new CoordinatorConfig(config.bootstrapServers(), config.applicationId(), config.topics(),
          TestDirs.create("gc-api-state-"), config.exactlyOnce(), config.commitIntervalMs(),
          config.streamThreads(), config.overrides(), config.clientSettings());
      Coordinator coordinator = Coordinator.start(api.configure(own), new TopicSetup(partitions, (short) 1),
          Duration.ofSeconds(90));
      api.attach(coordinator);
      return new ApiInstance(api, coordinator);
    } catch (RuntimeException e) {
      api.close();
      throw e;
    }
  }

  /** Waits until {@code path} answers 200 to {@code key} on every instance. */
  static void awaitEverywhere(List<ApiInstance> instances, String path, String key) {
    for (ApiInstance instance : instances) {
      Http.poll(instance.base() + path, key, r -> r.status() == 200, READY);
    }
  }

  /** Applies plans (JSON) through the first instance and waits until every instance shows each. */
  static void applyPlans(List<ApiInstance> instances, String admin, List<String> plans) {
    for (String plan : plans) {
      Http.post(instances.get(0).base() + "/api/v1/plans", admin, plan).expect(201);
    }
    for (String plan : plans) {
      try {
        awaitEverywhere(instances, "/api/v1/plans/" + Json.MAPPER.readTree(plan).get("name").asText(), admin);
      } catch (java.io.IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  String base() {
    return "http://127.0.0.1:" + api.advertised().port();
  }

  @Override
  public void close() {
    api.close();
    coordinator.close();
  }
}
