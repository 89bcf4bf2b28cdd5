package io.groundcontrol.bench;

import io.groundcontrol.api.ApiServer;
import io.groundcontrol.apikey.Role;
import io.groundcontrol.client.ApiKeyRegistry;
import io.groundcontrol.client.ComponentPublisher;
import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.client.PlanPublisher;
import io.groundcontrol.client.SchedulePublisher;
import io.groundcontrol.coordinator.CoordinatorConfig;
import io.groundcontrol.plan.PlanFiles;
import io.groundcontrol.schedule.ScheduleFile;
import io.groundcontrol.schema.ComponentSettings;
import io.groundcontrol.schema.Schedule;
import io.groundcontrol.schema.wire.TopicNames;
import io.groundcontrol.ui.WebUi;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures the components and schedules reads with many entries: applies S schedules (half
 * cron, half interval, a tenth paused) and C components' settings, waits until the scheduler
 * holds every schedule, then times {@code GET /api/v1/schedules}, one schedule,
 * {@code GET /api/v1/components}, the web UI's two pages and a {@code /metrics} scrape.
 *
 * <p>Run: {@code java -cp 'coordinator/target/groundcontrol.jar:coordinator/target/lib/*'
 * io.groundcontrol.bench.OperationsPagesBenchmark 2000 500}
 */
public final class OperationsPagesBenchmark {
  private static final int PARTITIONS = 3;

  private OperationsPagesBenchmark() {}

  public static void main(String[] args) throws Exception {
    int scheduleCount = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
    int componentCount = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    TopicNames topics = new TopicNames("opsbench");
    try (ApiStack stack = ApiStack.start("opsbench", topics, PARTITIONS)) {
      KafkaConnection connection = stack.connection();
      ApiServer api = stack.api();
      String key;
      long begin = System.nanoTime();
      try (ApiKeyRegistry keys = new ApiKeyRegistry(connection, topics, Clock.systemUTC());
          PlanPublisher plans = new PlanPublisher(connection, topics, PARTITIONS);
          ComponentPublisher components = new ComponentPublisher(connection, topics, PARTITIONS);
          SchedulePublisher schedules = new SchedulePublisher(connection, topics, PARTITIONS)) {
        key = keys.create("bench", Role.ADMIN);
        plans.apply(PlanFiles.parse("name: trivial\nstages:\n  - name: only\n    component: noop\n", "bench",
            PlanFiles.Format.YAML), "bench");
        List<ComponentSettings> settings = new ArrayList<>();
        for (int i = 0; i < componentCount; i++) {
          settings.add(new ComponentSettings(String.format("component-%04d", i), i % 2 == 0 ? 1 + i % 16 : null,
              Map.of("trivial", 1 + i % 3)));
        }
        components.apply(settings);
        schedules.apply(new ScheduleFile(schedules(scheduleCount), List.of()));
      }
      String base = api.baseUrl();
      String ui = WebUi.urlBeside(base);
      awaitSchedules(base, key, scheduleCount);
      System.out.printf("%,d schedules and %,d components applied and taken in in %.1f s%n", scheduleCount,
          componentCount, (System.nanoTime() - begin) / 1e9);

      String metrics = base.replace("/api/v1", "/metrics");
      ReadSideBenchmark.measure("GET /api/v1/schedules (all " + scheduleCount + ")", () -> api(base + "/schedules", key));
      ReadSideBenchmark.measure("GET /api/v1/schedules/{name}", () -> api(base + "/schedules/s-00042", key));
      ReadSideBenchmark.measure("GET /ui/schedules (web UI, rendered)", () -> page(ui + "/schedules", key));
      ReadSideBenchmark.measure("GET /api/v1/components (all " + componentCount + ")", () -> api(base + "/components", key));
      ReadSideBenchmark.measure("GET /ui/components (web UI, rendered)", () -> page(ui + "/components", key));
      ReadSideBenchmark.measure("GET /metrics", () -> api(metrics, key));
    }
  }

  private static List<Schedule> schedules(int count) {
    List<Schedule> all = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Schedule.Builder schedule = Schedule.newBuilder().setName(String.format("s-%05d", i)).setPlan("trivial")
          .setPaused(i % 10 == 9);
      if (i % 2 == 0) {
        schedule.setCron((i % 60) + " " + (i % 24) + " * * *").setTimeZone("Europe/Copenhagen");
      } else {
        schedule.setEveryMs(Duration.ofHours(1 + i % 12).toMillis());
      }
      all.add(schedule.build());
    }
    return all;
  }

  private static void awaitSchedules(String base, String key, int count) {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (System.nanoTime() < deadline) {
      try {
        String body = (String) api(base + "/schedules", key);
        if (body.split("\"name\"", -1).length - 1 >= count) {
          return;
        }
      } catch (IllegalStateException e) {
        // not ready yet (503 while starting)
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
    }
    throw new IllegalStateException("The scheduler did not take in " + count + " schedules within 5 minutes");
  }

  private static Object api(String url, String key) {
    return get(url, "Authorization", "Bearer " + key);
  }

  /** A web UI page as a signed-in browser gets it. */
  private static Object page(String url, String key) {
    return get(url, "Cookie", "groundcontrol_key=" + key);
  }

  /** An answer's body; throws unless it is 200. */
  private static Object get(String url, String header, String value) {
    try {
      java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).header(header, value).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
