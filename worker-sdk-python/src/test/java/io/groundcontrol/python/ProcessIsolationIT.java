package io.groundcontrol.python;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionFinished;
import io.groundcontrol.schema.StageFinished;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.testing.Poll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Python workers with {@code isolation="process"} (src/test/resources/isolated_worker.py) on a real
 * broker: a handler that runs a program finishes its mission from a child process; and a worker
 * SIGKILLed while its handler waits for a program takes the program with it, while the mission
 * finishes on a second worker.
 */
class ProcessIsolationIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final Duration WAIT = Duration.ofSeconds(60);
  /**
   * How long the handler's program may outlive its killed worker: it ends at once (60-103 ms
   * measured), and Poll looks every half second.
   */
  private static final Duration PROGRAM_GONE = Duration.ofSeconds(10);

  @TempDir Path marks;
  private GroundcontrolFixture groundcontrol;
  private final Map<String, Process> pythons = new HashMap<>();
  private final Map<String, Path> logs = new HashMap<>();
  private final List<Long> programs = new ArrayList<>();

  @BeforeEach
  void setUp() {
    groundcontrol = new GroundcontrolFixture(KAFKA, "iso").startCoordinator();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Process python : pythons.values()) {
      python.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    programs.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    groundcontrol.close();
  }

  @Test
  void aProcessIsolatedHandlerRunsAProgramAndFinishesItsMission() throws Exception {
    groundcontrol.apply(TestPlan.named("program").stage("program", "iso").build());
    Process python = startPython("py-1");

    groundcontrol.start("program-1", "program");

    List<MissionEvent> events = groundcontrol.awaitEnd(List.of("program-1"), WAIT).get("program-1");
    assertThat(events.get(events.size() - 1).getEvent()).isInstanceOf(MissionFinished.class);
    StageFinished finished = finished(events);
    assertThat(finished.getOutputs()).containsEntry("said", "\"from a program\"");
    assertThat(Long.parseLong(finished.getOutputs().get("handler_pid")))
        .as("the handler ran in a process of its own").isNotEqualTo(python.pid());
    stopPython("py-1");
  }

  @Test
  void aKilledWorkersProgramEndsWithItAndTheMissionFinishesOnAnotherWorker() throws Exception {
    groundcontrol.apply(TestPlan.named("long").stage("long", "iso").retry(3, 100).build());
    Process first = startPython("py-1");
    groundcontrol.start("long-1", "long");
    await(() -> Files.exists(marks.resolve("sleep-pid")), "the handler of 'long' to start its program", WAIT);
    long program = Long.parseLong(Files.readString(marks.resolve("sleep-pid")));
    programs.add(program);
    assertThat(alive(program)).as("the handler's program runs").isTrue();

    long killedAt = System.nanoTime();
    first.destroyForcibly(); // SIGKILL: the worker runs no code of its own at its end
    await(() -> !alive(program), "the program of the killed worker's handler to end", PROGRAM_GONE);
    Duration programLived = Duration.ofNanos(System.nanoTime() - killedAt);
    startPython("py-2");

    List<MissionEvent> events = groundcontrol.awaitEnd(List.of("long-1"), WAIT).get("long-1");
    Duration missionEnded = Duration.ofNanos(System.nanoTime() - killedAt);
    System.out.printf("process isolation: the program ended %d ms after its worker's SIGKILL; the mission %d ms%n",
        programLived.toMillis(), missionEnded.toMillis());
    assertThat(events.get(events.size() - 1).getEvent()).isInstanceOf(MissionFinished.class);
    assertThat(finished(events).getOutputs()).containsEntry("by", "\"py-2\"");
    stopPython("py-2");
  }

  private Process startPython(String workerId) throws IOException {
    Path log = Files.createTempFile("python-" + workerId + "-", ".log");
    Process python = new ProcessBuilder(System.getProperty("groundcontrol.python", "python3"),
        Path.of("src", "test", "resources", "isolated_worker.py").toAbsolutePath().toString(),
        groundcontrol.bootstrapServers(), groundcontrol.topics().prefix(), marks.toString(), workerId)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    pythons.put(workerId, python);
    logs.put(workerId, log);
    return python;
  }

  private void stopPython(String workerId) throws Exception {
    PythonWorkerProcesses.stopCleanly(workerId, pythons.remove(workerId), logs.get(workerId));
  }

  /** Whether process {@code pid} runs: a zombie not yet reaped has ended. */
  private static boolean alive(long pid) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty() || !handle.get().isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException gone) {
      return false;
    }
  }

  private static StageFinished finished(List<MissionEvent> events) {
    return events.stream().map(MissionEvent::getEvent).filter(StageFinished.class::isInstance)
        .map(StageFinished.class::cast).findFirst()
        .orElseThrow(() -> new AssertionError("no stage finished: " + events));
  }

  private void await(BooleanSupplier condition, String what, Duration wait) throws IOException {
    try {
      Poll.until(condition, wait, what);
    } catch (AssertionError e) {
      StringBuilder logged = new StringBuilder(e.getMessage()).append("; Python logs:");
      for (Path log : logs.values()) {
        logged.append('\n').append(Files.readString(log));
      }
      throw new AssertionError(logged.toString(), e);
    }
  }
}
