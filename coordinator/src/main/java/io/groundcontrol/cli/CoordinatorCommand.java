package io.groundcontrol.cli;

import io.groundcontrol.api.ApiServer;
import io.groundcontrol.client.ClusterBrokers;
import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.client.NoAnswerException;
import io.groundcontrol.coordinator.Coordinator;
import io.groundcontrol.coordinator.CoordinatorConfig;
import io.groundcontrol.coordinator.CoordinatorStoppedException;
import io.groundcontrol.coordinator.TopicSetup;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import io.groundcontrol.mission.MissionLimits;
import io.groundcontrol.coordinator.SchemaSetTag.Schemas;
import io.groundcontrol.schema.wire.SchemaSet;
import io.groundcontrol.schema.wire.WrittenSchemas;
import java.util.List;
import java.util.stream.Collectors;
import io.groundcontrol.schema.wire.TopicNames;
import io.groundcontrol.ui.PublicOrigin;
import io.javalin.util.JavalinException;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** `groundcontrol coordinator`: one coordinator instance against an existing cluster. */
@Command(
    name = "coordinator",
    mixinStandardHelpOptions = true,
    description = "Run a coordinator instance against an external Kafka cluster (production mode). Start more "
        + "instances with the same --application-id to share the work.")
final class CoordinatorCommand implements Callable<Integer> {
  @Option(names = "--bootstrap-servers", defaultValue = "${env:GROUNDCONTROL_BOOTSTRAP_SERVERS}",
      description = "Kafka bootstrap servers (env GROUNDCONTROL_BOOTSTRAP_SERVERS; or bootstrap.servers in --kafka-config).")
  String bootstrapServers;

  @Mixin KafkaClientOptions kafka;

  @Option(names = "--state-dir", defaultValue = ".groundcontrol/coordinator",
      description = "Local directory of the mission stores (default: ${DEFAULT-VALUE}).")
  Path stateDir;

  @Option(names = "--application-id",
      description = "Kafka Streams application id, shared by all instances of one installation and by no other "
          + "(default: <topic prefix>-coordinator, so groundcontrol-coordinator with the default prefix).")
  String applicationId;

  @Option(names = "--topic-prefix", defaultValue = "groundcontrol", converter = TopicPrefixConverter.class,
      description = "Topic prefix (default: ${DEFAULT-VALUE}).")
  String topicPrefix;

  @Option(names = "--partitions", defaultValue = "6",
      description = "Partitions of mission topics if this instance creates them (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--threads", defaultValue = "1", description = "Stream threads (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--commit-interval-ms", defaultValue = "20",
      description = "Commit interval; under exactly-once it bounds a busy stream thread's transactions, an idle one commits sooner (default: ${DEFAULT-VALUE}).")
  long commitIntervalMs;

  @Option(names = "--at-least-once", description = "Use at_least_once instead of exactly_once_v2.")
  boolean atLeastOnce;

  @Option(names = "--max-output-bytes", defaultValue = "65536",
      description = "Most bytes of outputs one stage may report, at most 786432; beyond it the stage fails, "
          + "not retryable (default: ${DEFAULT-VALUE}).")
  int maxOutputBytes;

  @Option(names = "--retention", defaultValue = "7d", converter = RetentionConverter.class,
      description = "How long an ended mission stays readable (API, CLI, UI) after its last change; then it is "
          + "removed from the coordinator's stores, and its history stays in the events topic. E.g. 12h, 30d; "
          + "0 keeps missions for ever (default: ${DEFAULT-VALUE}).")
  Duration retention;

  @Option(names = "--results-retention", defaultValue = "7d", converter = RetentionConverter.class,
      description = "How long the results index keeps a result for reuse at least; longer if a plan's stages "
          + "reuse results up to an older age (their max_age). Then it is forgotten, unless a stage computes it "
          + "or waits for it, and a later stage with the same component and params runs. E.g. 30d; 0 keeps "
          + "results for ever (default: ${DEFAULT-VALUE}).")
  Duration resultsRetention;

  @Option(names = "--api-port", defaultValue = "8080", description = "Port of the HTTP API (default: ${DEFAULT-VALUE}).")
  int apiPort;

  @Option(names = "--api-bind", defaultValue = "0.0.0.0",
      description = "Interface the HTTP API listens on (default: ${DEFAULT-VALUE}).")
  String apiBind;

  @Option(names = "--advertised-host", defaultValue = "${env:GROUNDCONTROL_ADVERTISED_HOST}",
      description = "Host name other instances reach this one's API at (env GROUNDCONTROL_ADVERTISED_HOST; "
          + "default: this machine's host name).")
  String advertisedHost;

  @Option(names = "--public-url", defaultValue = "${env:GROUNDCONTROL_PUBLIC_URL}",
      description = "Where browsers reach the web UI when a reverse proxy stands in front, e.g. "
          + "https://groundcontrol.example.com (env GROUNDCONTROL_PUBLIC_URL): forms must come from it, and over "
          + "https the sign-in cookie is Secure. Default: the address in each request's Host header.")
  String publicUrl;

  private String advertisedHost() {
    if (advertisedHost != null && !advertisedHost.isBlank()) {
      return advertisedHost;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  @Spec
  CommandSpec spec;

  @Option(names = "--standby-replicas", defaultValue = "0",
      description = "Warm copies of each store on other instances, so a survivor takes over a dead instance's "
          + "missions and queues without restoring them from Kafka first; 1 when running 2 or more instances "
          + "(default: ${DEFAULT-VALUE}).")
  int standbyReplicas;

  @Option(names = "--write-schemas", paramLabel = "ID", converter = SchemaSetConverter.class,
      description = "For a rolling upgrade: write every record with the schemas of an older build, its record "
          + "schema id as its groundcontrol --version prints it, so that instances of that build still running read "
          + "what this one writes, and share the group with them. Fields that build lacks are not written. Once no "
          + "instance of it runs, restart each instance without this option (README, \"Upgrading\"). Default: this "
          + "build's schemas.")
  SchemaSet writeSchemas;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "A Kafka Streams property of the coordinator, applied after Groundcontrol's own, e.g. "
          + "poll.ms=1 (a shorter idle hand-off for more CPU when idle; see BENCHMARKS.md). Repeatable.")
  Map<String, String> overrides = new LinkedHashMap<>();

  /** How long the start waits for Kafka's first answer before it gives up on an unreachable cluster. */
  Duration firstAnswer = NoAnswerException.FIRST_ANSWER;

  /**
   * Test-only, hidden: how long the start waits for instances of another build to leave the group
   * before it refuses ({@link OtherBuildCheck#WAIT}, a stopped instance's session and a heartbeat).
   * A real-broker test whose other build never leaves shortens it: the refusal is what it checks, and
   * the wait itself is {@code OtherBuildCheckTest}'s.
   */
  @Option(names = "--other-build-wait-ms", hidden = true)
  long otherBuildWaitMs = OtherBuildCheck.WAIT.toMillis();

  @Override
  public Integer call() throws InterruptedException {
    if (maxOutputBytes < 1 || maxOutputBytes > MissionLimits.MAX_MAX_OUTPUT_BYTES) {
      throw new ParameterException(spec.commandLine(), "Expected --max-output-bytes of 1 to "
          + MissionLimits.MAX_MAX_OUTPUT_BYTES + " (a stage's outputs, with its finished event around them, must fit "
          + "in one Kafka record of 1 MB), but got " + maxOutputBytes);
    }
    StreamsOverrides.check(spec, overrides);
    writeOlderSchemas();
    TopicNames topics = new TopicNames(topicPrefix);
    boolean defaultedId = applicationId == null;
    // Resolved once, here, so that every line the command prints names the id in use.
    if (defaultedId) {
      applicationId = CoordinatorConfig.defaultApplicationId(topics);
    }
    Map<String, String> streams = new LinkedHashMap<>();
    streams.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, Integer.toString(standbyReplicas));
    streams.putAll(overrides);
    KafkaConnection connection = kafka.connection(bootstrapServers);
    CoordinatorConfig config = new CoordinatorConfig(
        connection.bootstrapServers(), applicationId, topics, stateDir,
        !atLeastOnce, commitIntervalMs, threads, streams, connection.settings(),
        new MissionLimits(maxOutputBytes, retention, resultsRetention));
    // The addresses are checked first: they fail at once, where Kafka may take a while to answer.
    Optional<PublicOrigin> publicOrigin = publicOrigin();
    String host = advertisedHost();
    AdvertisedAddress advertised = new AdvertisedAddress(host, apiPort, apiBind);
    advertised.warnings().forEach(warning -> System.err.println("warning: " + warning));
    advertised.takenBy().ifPresent(reason -> {
      throw InstanceStartException.refused(reason);
    });
    ApiServer api = listen(host, publicOrigin);
    Coordinator coordinator;
    try {
      TopicSetup setup;
      Admin admin = connection.admin();
      try {
        setup = TopicSetup.forBrokers(partitions, ClusterBrokers.count(admin, firstAnswer));
        checkApplicationId(admin, topics, defaultedId, connection.bootstrapServers());
        checkOtherBuilds(admin);
      } finally {
        // Every call was awaited or given up on: close() would wait for one Kafka never answered (30 s measured).
        admin.close(Duration.ZERO);
      }
      coordinator = Coordinator.start(api.configure(config), setup, Duration.ofMinutes(2));
    } catch (RuntimeException e) {
      api.close();
      throw started(e);
    }
    try {
      api.attach(coordinator);
    } catch (RuntimeException e) {
      api.close();
      coordinator.close();
      throw started(e);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      api.close();
      coordinator.close();
      stopped.countDown();
    }, "groundcontrol-coordinator-shutdown"));
    System.out.println("Coordinator " + applicationId + " running against " + connection + ", API at "
        + api.baseUrl() + ". Ctrl-C stops.");
    // A refused credential or ACL, or streams that could not be restarted, stop the instance: exit
    // with its one-line reason instead of idling.
    while (!stopped.await(1, TimeUnit.SECONDS)) {
      Optional<String> reason = coordinator.stopped();
      if (reason.isPresent()) {
        System.err.println("error: " + reason.get());
        api.close();
        coordinator.close();
        return 1;
      }
    }
    return 0;
  }

  /**
   * Refuses an application id another installation uses, or one this installation's state is not
   * under; prints what the check warns of.
   */
  private void checkApplicationId(Admin admin, TopicNames topics, boolean defaultedId, String bootstrapServers) {
    ApplicationIdCheck.Verdict verdict;
    try {
      verdict = ApplicationIdCheck.check(admin, topics, applicationId, defaultedId, bootstrapServers);
    } catch (IllegalStateException e) {
      System.err.println("warning: could not check that application id " + applicationId + " is this installation's "
          + "alone (" + e.getMessage() + "); starting anyway");
      return;
    }
    verdict.refusal().ifPresent(reason -> {
      throw InstanceStartException.refused(reason);
    });
    verdict.warnings().forEach(warning -> System.err.println("warning: " + warning));
  }

  /** Refuses to join instances of a build that writes other record schemas (see {@link OtherBuildCheck}). */
  private void checkOtherBuilds(Admin admin) {
    Optional<String> refusal;
    try {
      refusal = OtherBuildCheck.check(OtherBuildCheck.of(admin, applicationId), applicationId, Schemas.ofThisProcess(),
          Duration.ofMillis(otherBuildWaitMs), System::nanoTime, waiting -> System.err.println("warning: " + waiting));
    } catch (IllegalStateException e) {
      System.err.println("warning: could not check that group " + applicationId + " runs no coordinator of another "
          + "build (" + e.getMessage() + "); starting anyway");
      return;
    }
    refusal.ifPresent(reason -> {
      throw InstanceStartException.refused(reason);
    });
  }

  /**
   * Makes every record this process writes take the versions of {@link #writeSchemas}, before
   * anything is written, and says what that drops.
   */
  private void writeOlderSchemas() {
    if (writeSchemas == null) {
      return;
    }
    List<WrittenSchemas.Change> changes;
    try {
      changes = WrittenSchemas.writeAs(writeSchemas, new KeptCurrentVersions()::kept);
    } catch (IllegalArgumentException e) {
      throw InstanceStartException.refused("--write-schemas " + writeSchemas.id() + ": " + e.getMessage());
    }
    System.out.println("Writing record schemas " + writeSchemas.id() + " (--write-schemas), which instances of that "
        + "build read" + (changes.isEmpty() ? ": this build's own" : ": " + changes.stream()
            .map(WrittenSchemas.Change::described).collect(Collectors.joining("; "))));
  }

  private Optional<PublicOrigin> publicOrigin() {
    if (publicUrl == null || publicUrl.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(PublicOrigin.parse(publicUrl));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--public-url: " + e.getMessage());
    }
  }

  private ApiServer listen(String host, Optional<PublicOrigin> publicOrigin) {
    try {
      return ApiServer.start(new ApiServer.Settings(apiBind, apiPort, host, Duration.ofSeconds(10), publicOrigin));
    } catch (JavalinException e) {
      throw InstanceStartException.listening(apiBind, apiPort, e);
    }
  }

  /** A failure to start as one line; {@link KafkaRefusals} still finds a refusal or a Kafka timeout among its causes. */
  private static RuntimeException started(RuntimeException error) {
    return error instanceof IllegalStateException failed && !(error instanceof CoordinatorStoppedException)
        ? InstanceStartException.starting(failed)
        : error;
  }
}
