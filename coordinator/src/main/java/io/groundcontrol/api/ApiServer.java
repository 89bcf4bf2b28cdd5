package io.groundcontrol.api;

import io.groundcontrol.client.ApiKeyCache;
import io.groundcontrol.client.ComponentPublisher;
import io.groundcontrol.client.EventFeed;
import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.client.LiveTable;
import io.groundcontrol.client.LiveWorkers;
import io.groundcontrol.client.LogFeed;
import io.groundcontrol.client.MissionCommands;
import io.groundcontrol.client.PlanPublisher;
import io.groundcontrol.client.SchedulePublisher;
import io.groundcontrol.client.WriteWait;
import io.groundcontrol.coordinator.Coordinator;
import io.groundcontrol.coordinator.CoordinatorConfig;
import io.groundcontrol.query.MissionQueries;
import io.groundcontrol.query.QueryUnavailableException;
import io.groundcontrol.query.ScheduleQueries;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.ComponentStatus;
import io.groundcontrol.schema.ScheduleEvent;
import io.groundcontrol.schema.wire.AvroSerde;
import io.groundcontrol.schema.wire.TopicNames;
import io.groundcontrol.ui.PublicOrigin;
import io.groundcontrol.ui.WebUi;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API of one coordinator instance ({@code /api/v1}, JSON), with health, metrics and the
 * routes instances use to ask each other. Started before the coordinator, because the
 * coordinator must be told its address ({@code application.server}) before it starts; until
 * {@link #attach} every route but liveness answers 503.
 *
 * <p>Javalin 7: a small, well-kept library on Jetty 12 that runs on Java 17, whose routes are
 * plain lambdas registered from data, so the route table can be checked against the OpenAPI
 * document; server-sent events are built in.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
  private static final Duration RETRY_STARTING = Duration.ofSeconds(2);

  /**
   * Where the API listens and how other instances reach it.
   *
   * @param bindHost interface to listen on ({@code 0.0.0.0} for all)
   * @param port port; 0 for any free one
   * @param advertisedHost host name other instances and clients use to reach this one
   * @param commandWait longest wait of a command's answer for the coordinator's decision
   * @param publicOrigin where browsers reach the web UI, if not at the address the coordinator
   *     sees (behind a reverse proxy)
   */
  public record Settings(String bindHost, int port, String advertisedHost, Duration commandWait,
      Optional<PublicOrigin> publicOrigin) {
    /** Settings for a UI that browsers reach at the address the coordinator sees. */
    public Settings(String bindHost, int port, String advertisedHost, Duration commandWait) {
      this(bindHost, port, advertisedHost, commandWait, Optional.empty());
    }

    /** Listening on localhost only, for `dev`, `demo` and tests. */
    public static Settings local(int port) {
      return new Settings("127.0.0.1", port, "127.0.0.1", Duration.ofSeconds(10));
    }

    /** Checks the values. */
    public Settings {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("Expected an API port from 0 to 65535, but got " + port);
      }
      if (advertisedHost == null || advertisedHost.isBlank()) {
        throw new IllegalArgumentException("Expected a host name to advertise to other instances, but got none");
      }
      publicOrigin = publicOrigin == null ? Optional.empty() : publicOrigin;
    }
  }

  private final Settings settings;
  private final UnaryOperator<Backend> faults;
  private final Javalin app;
  private volatile Backend backend;
  private final List<AutoCloseable> owned = new ArrayList<>();

  private ApiServer(Settings settings, UnaryOperator<Backend> faults) {
    this.settings = settings;
    this.faults = faults;
    List<ApiRoute> routes = routes(this::backend, () -> backend != null);
    EventStreams streams = own(new EventStreams(this::backend, () -> backend().keys()));
    this.app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.startup.showOldJavalinVersionWarning = false;
      mount(config, routes, () -> backend().keys(), streams, UnaryOperator.identity());
      new WebUi(this::baseUrl, key -> backend().keys().authenticate(key), settings.publicOrigin()).mount(config);
      ApiErrors.install(config);
    });
  }

  /** Starts listening; every route but liveness answers 503 until {@link #attach}. */
  public static ApiServer start(Settings settings) {
    return start(settings, UnaryOperator.identity());
  }

  /**
   * Starts a server whose backend passes through {@code faults} once attached: how tests inject
   * a failure behind the routes.
   */
  static ApiServer start(Settings settings, UnaryOperator<Backend> faults) {
    ApiServer server = new ApiServer(settings, faults);
    server.app.start(settings.bindHost(), settings.port());
    return server;
  }

  /**
   * The routes of the public API and the internal ones, in one table (the event stream, an SSE
   * route, is {@link EventStreams#PATH}).
   */
  static List<ApiRoute> routes(Supplier<Backend> backend, Supplier<Boolean> attached) {
    List<ApiRoute> all = new ArrayList<>();
    all.addAll(new OperationRoutes(backend, attached).routes());
    all.addAll(new PlanRoutes(backend).routes());
    all.addAll(new MissionRoutes(backend).routes());
    all.addAll(new CommandRoutes(backend).routes());
    all.addAll(new ComponentRoutes(backend, Clock.systemUTC()).routes());
    all.addAll(new ScheduleRoutes(backend).routes());
    all.addAll(new InternalRoutes(backend).routes());
    return all;
  }

  /** This instance's address for other instances: the coordinator's {@code application.server}. */
  public HostInfo advertised() {
    return new HostInfo(settings.advertisedHost(), app.port());
  }

  /** The base URL of the API, e.g. {@code http://127.0.0.1:8080/api/v1}. */
  public String baseUrl() {
    return "http://" + settings.advertisedHost() + ":" + app.port() + "/api/v1";
  }

  /** {@code config} with this server as the instance's {@code application.server}. */
  public CoordinatorConfig configure(CoordinatorConfig config) {
    HostInfo self = advertised();
    return config.withOverride(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
  }

  /**
   * Starts answering for {@code coordinator}, which must have been configured by {@link #configure}:
   * reads the API keys and starts following the event log.
   */
  public void attach(Coordinator coordinator) {
    CoordinatorConfig config = coordinator.config();
    TopicNames topics = config.topics();
    KafkaConnection kafka = config.connection();
    int partitions = partitionsOf(kafka, topics.missionCommands());
    ApiKeyCache keys = own(new ApiKeyCache(kafka, topics));
    EventFeed feed = own(new EventFeed(kafka, topics));
    // A write Kafka does not take within the command wait (the cluster away) is answered 503 then.
    WriteWait writes = new WriteWait(settings.commandWait());
    MissionCommands commands = own(new MissionCommands(kafka, topics,
        new Actor(ActorKind.USER, "api", settings.advertisedHost()), Clock.systemUTC(), writes));
    CommandGateway gateway = own(new CommandGateway(commands, feed));
    PlanPublisher plans = own(new PlanPublisher(kafka, topics, partitions, writes));
    LiveTable<PlanApply> planApplies = own(LiveTable.ofRecords(kafka, topics.plans(), PlanApply::of));
    LogFeed<ScheduleEvent> scheduleEvents = own(new LogFeed<>(kafka, topics.scheduleEvents(),
        AvroSerde.of(ScheduleEvent.class).deserializer()));
    SchedulePublisher schedulePublisher = own(new SchedulePublisher(kafka, topics, partitions, writes));
    ScheduleGateway scheduleGateway = own(new ScheduleGateway(schedulePublisher, scheduleEvents));
    ComponentSources components = new ComponentSources(
        own(new LiveTable<>(kafka, topics.componentStatus(), AvroSerde.of(ComponentStatus.class).deserializer())),
        own(new LiveWorkerSnapshots(own(new LiveWorkers(kafka, topics)), Clock.systemUTC())),
        own(new ComponentPublisher(kafka, topics, partitions, writes)));
    HostInfo self = advertised();
    // Asked at each use: the coordinator replaces its streams when its trigger topics change.
    Supplier<KafkaStreams> streams = coordinator::streams;
    ApiMetrics metrics = own(new ApiMetrics(streams, self, feed, components.statuses()));
    HttpPeers peers = new HttpPeers();
    MissionQueries queries = new MissionQueries(streams, self, topics, partitions, peers);
    ScheduleQueries schedules = new ScheduleQueries(streams, self, topics.schedules(),
        partitionsOf(kafka, topics.schedules()), peers);
    try {
      if (!keys.awaitCaughtUp(Duration.ofSeconds(30))) {
        LOG.warn("API keys not read to the end within 30 s; keys created before may be refused, and "
            + "/health/ready answers 503, until they are");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    this.backend = faults.apply(new Backend(streams, coordinator::restartDue, coordinator::stall, coordinator::hanging, self, kafka, topics, queries, schedules,
        coordinator::triggers, keys, feed, gateway, scheduleGateway, plans, planApplies, components, metrics, settings.commandWait()));
  }

  /** Whether this instance accepts {@code key} now (known, not revoked, secret matches). */
  public boolean accepts(String key) {
    Backend b = backend;
    return b != null && b.keys().authenticate(key).isPresent();
  }

  private <T extends AutoCloseable> T own(T resource) {
    owned.add(0, resource);
    return resource;
  }

  private Backend backend() {
    Backend b = backend;
    if (b == null) {
      throw new QueryUnavailableException("The coordinator of this instance is starting", RETRY_STARTING);
    }
    return b;
  }

  /**
   * Registers {@code routes} and the event stream on {@code config}, each route behind the key
   * check of its role, HEAD too for a GET; every handler passes through {@code wrap} (how a test
   * sees what reaches the coordinator).
   */
  static void mount(JavalinConfig config, List<ApiRoute> routes, Supplier<ApiKeyCache> keys, EventStreams streams,
      UnaryOperator<Handler> wrap) {
    // Answers are JSON, text or CSV as labelled: a browser must not read one as something else.
    config.routes.before(ctx -> ctx.header("X-Content-Type-Options", "nosniff"));
    for (ApiRoute route : routes) {
      Handler handler = UnexpectedError.passedOnAsException(guarded(route, keys, wrap.apply(route.handler())));
      config.routes.addHttpHandler(route.method(), route.path(), handler);
      if (route.method() == HandlerType.GET) {
        // Else Javalin answers HEAD 200 itself, without the key check or the GET's status.
        config.routes.addHttpHandler(HandlerType.HEAD, route.path(), handler);
      }
    }
    config.routes.before(EventStreams.PATH, wrap.apply(streams::check));
    config.routes.sse(EventStreams.PATH, streams::handle);
    streams.endOnStop(config);
  }

  private static Handler guarded(ApiRoute route, Supplier<ApiKeyCache> keys, Handler handler) {
    if (route.role() == null) {
      return handler;
    }
    return ctx -> {
      Access.require(ctx, keys.get(), route.role());
      handler.handle(ctx);
    };
  }

  private static int partitionsOf(KafkaConnection kafka, String topic) {
    try (Admin admin = kafka.admin()) {
      return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
          .partitions().size();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while describing " + topic, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Could not describe topic " + topic + ": " + e.getMessage(), e);
    }
  }

  /** Stops answering, then closes the clients it opened. */
  @Override
  public void close() {
    app.stop();
    for (AutoCloseable resource : owned) {
      try {
        resource.close();
      } catch (Exception e) {
        LOG.warn("Could not close {}", resource, e);
      }
    }
  }
}
