package io.groundcontrol.bench;

import io.groundcontrol.api.ApiServer;
import io.groundcontrol.apikey.Role;
import io.groundcontrol.cli.GroundcontrolCli;
import io.groundcontrol.client.ApiClient;
import io.groundcontrol.client.ApiKeyRegistry;
import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.client.MissionLog;
import io.groundcontrol.client.PlanPublisher;
import io.groundcontrol.coordinator.CoordinatorConfig;
import io.groundcontrol.mission.Mission;
import io.groundcontrol.plan.PlanFiles;
import io.groundcontrol.query.MissionFilter;
import io.groundcontrol.query.MissionIndex;
import io.groundcontrol.query.MissionPage;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.StartMission;
import io.groundcontrol.schema.wire.AvroSerde;
import io.groundcontrol.schema.wire.TopicNames;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Measures the read side with many missions stored: starts N missions for real through the
 * coordinator (a one-stage plan; half start with the stage excluded and finish at once, half stay
 * RUNNING with the stage dispatched), waits until the coordinator has read every start, then times
 * {@code GET /missions} (first page, filtered pages, deep pages), {@code GET /missions/{id}},
 * `mission list` and `mission show` (in this JVM, through the API), for contrast rebuilding every
 * mission from the log as `mission list` did before, and last a restart of the coordinator on its
 * state dir until every partition's mission index (which has no changelog) lists its missions again.
 *
 * <p>Run: {@code java -cp 'coordinator/target/groundcontrol.jar:coordinator/target/lib/*'
 * io.groundcontrol.bench.ReadSideBenchmark 100000}
 */
public final class ReadSideBenchmark {
  private static final int PARTITIONS = 3;
  private static final int RUNS = 20;

  private ReadSideBenchmark() {}

  public static void main(String[] args) throws Exception {
    int missions = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    TopicNames topics = new TopicNames("readbench");
    try (ApiStack stack = ApiStack.start("readbench", topics, PARTITIONS)) {
      String bootstrap = stack.bootstrapServers();
      KafkaConnection connection = stack.connection();
      ApiServer api = stack.api();
      CoordinatorConfig config = stack.config();
      String key;
      try (ApiKeyRegistry keys = new ApiKeyRegistry(connection, topics, Clock.systemUTC());
          PlanPublisher plans = new PlanPublisher(connection, topics, PARTITIONS)) {
        key = keys.create("bench", Role.ADMIN);
        plans.apply(PlanFiles.parse("name: trivial\nstages:\n  - name: only\n    component: noop\n", "bench",
            PlanFiles.Format.YAML), "bench");
      }
      while (!api.accepts(key)) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
      }
      LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2));
      long begin = System.nanoTime();
      List<String> ids = startMissions(bootstrap, topics, missions);
      awaitConsumed(bootstrap, topics, config.applicationId());
      System.out.printf("%,d missions started and decided in %.1f s%n", missions, (System.nanoTime() - begin) / 1e9);

      ApiClient client = new ApiClient(api.baseUrl(), key);
      measure("GET /missions (first page of 50, all)", () -> client.missions(MissionFilter.ALL, null, 50));
      measure("GET /missions?status=RUNNING&limit=50",
          () -> client.missions(new MissionFilter(MissionStatus.RUNNING, null, null, null), null, 50));
      measure("GET /missions?status=FINISHED&plan=trivial&limit=500",
          () -> client.missions(new MissionFilter(MissionStatus.FINISHED, "trivial", null, null), null, 500));
      MissionPage deep = client.missions(MissionFilter.ALL, null, 500);
      for (int i = 0; i < 100 && deep.nextCursor() != null; i++) {
        deep = client.missions(MissionFilter.ALL, deep.nextCursor(), 500);
      }
      String cursor = deep.nextCursor();
      measure("GET /missions?limit=50 after 50,000 (a cursor deep in the list)",
          () -> client.missions(MissionFilter.ALL, cursor, 50));
      List<String> sample = new ArrayList<>(ids);
      Collections.shuffle(sample);
      int[] next = {0};
      measure("GET /missions/{id} (random mission)", () -> client.mission(sample.get(next[0]++ % sample.size())));
      String[] listArgs = {"mission", "list", "--api-url", api.baseUrl(), "--api-key", key};
      measure("mission list (CLI in this JVM, through the API)", () -> cli(listArgs));
      measure("mission show ID (CLI in this JVM, through the API)",
          () -> cli(new String[] {"mission", "show", sample.get(next[0]++), "--api-url", api.baseUrl(), "--api-key", key}));

      String ui = io.groundcontrol.ui.WebUi.urlBeside(api.baseUrl());
      measure("GET /ui/missions (web UI: first page, rendered)", () -> page(ui + "/missions", key));
      measure("GET /ui/missions?status=RUNNING (web UI)", () -> page(ui + "/missions?status=RUNNING", key));
      measure("GET /ui/missions/{id} (web UI: random mission, rendered)",
          () -> page(ui + "/missions/" + sample.get(next[0]++ % sample.size()), key));

      long foldBegin = System.nanoTime();
      Map<String, Mission> folded;
      try (MissionLog log = new MissionLog(connection, topics)) {
        folded = MissionLog.rebuild(log.readAll(p -> { }), p -> { });
      }
      System.out.printf("%-70s %8.1f ms (once; %,d missions)%n", "Before: fold the whole log, as `mission list` did",
          (System.nanoTime() - foldBegin) / 1e6, folded.size());

      long restartBegin = System.nanoTime();
      KafkaStreams restarted = stack.restartCoordinator().streams();
      double running = (System.nanoTime() - restartBegin) / 1e6;
      awaitIndexComplete(restarted);
      System.out.printf("%-70s %8.1f ms (running after %.1f ms)%n",
          "Restart on the same state dir until every partition's index is listed", (System.nanoTime() - restartBegin) / 1e6,
          running);
    }
  }

  /** Waits until the mission index of every partition lists all its missions (MissionIndex#isComplete). */
  private static void awaitIndexComplete(KafkaStreams streams) {
    for (int partition = 0; partition < PARTITIONS; partition++) {
      StoreQueryParameters<ReadOnlyKeyValueStore<String, String>> params = StoreQueryParameters
          .fromNameAndType(MissionIndex.STORE, QueryableStoreTypes.<String, String>keyValueStore()).withPartition(partition);
      while (true) {
        try {
          if (MissionIndex.isComplete(streams.store(params))) {
            break;
          }
        } catch (InvalidStateStoreException e) {
          // not queryable yet: still starting
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
    }
  }

  private static List<String> startMissions(String bootstrap, TopicNames topics, int count) throws Exception {
    Map<String, Object> props = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 20,
        ProducerConfig.ACKS_CONFIG, "all");
    Actor actor = new Actor(ActorKind.USER, "bench", null);
    List<String> ids = new ArrayList<>(count);
    try (KafkaProducer<String, MissionCommand> producer = new KafkaProducer<>(props, new StringSerializer(),
        AvroSerde.of(MissionCommand.class).serializer())) {
      for (int i = 0; i < count; i++) {
        String id = String.format("bench-%06d", i);
        List<String> exclude = i % 2 == 0 ? List.of("only") : List.of();
        producer.send(new ProducerRecord<>(topics.missionCommands(), id,
            new MissionCommand(id, actor, Instant.now(), StartMission.newBuilder().setPlanName("trivial").setExcludedStages(exclude).build())));
        ids.add(id);
      }
      producer.flush();
    }
    return ids;
  }

  /** Waits until the coordinator has committed every start command. */
  private static void awaitConsumed(String bootstrap, TopicNames topics, String group) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
      for (int p = 0; p < PARTITIONS; p++) {
        latest.put(new TopicPartition(topics.missionCommands(), p), OffsetSpec.latest());
      }
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get();
      while (true) {
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        boolean done = ends.entrySet().stream().allMatch(e -> committed.containsKey(e.getKey())
            && committed.get(e.getKey()).offset() >= e.getValue().offset());
        if (done) {
          return;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
      }
    }
  }

  /** A web UI page as a signed-in browser gets it. */
  private static Object page(String url, String key) {
    try {
      java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).header("Cookie", "groundcontrol_key=" + key).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(url + " answered " + response.statusCode());
      }
      return response.body().length();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Object cli(String[] args) {
    PrintStream out = System.out;
    System.setOut(new PrintStream(new ByteArrayOutputStream()));
    try {
      int code = GroundcontrolCli.commandLine().execute(args);
      if (code != 0) {
        throw new IllegalStateException("exit " + code);
      }
      return code;
    } finally {
      System.setOut(out);
    }
  }

  static void measure(String what, Supplier<Object> call) {
    call.get();
    List<Double> millis = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      long begin = System.nanoTime();
      call.get();
      millis.add((System.nanoTime() - begin) / 1e6);
    }
    Collections.sort(millis);
    System.out.printf("%-70s p50 %6.1f ms, max %6.1f ms (%d runs)%n", what, millis.get(RUNS / 2), millis.get(RUNS - 1), RUNS);
  }
}
