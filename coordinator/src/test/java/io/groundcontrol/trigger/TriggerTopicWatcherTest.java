package io.groundcontrol.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.client.NoAnswerException;
import io.groundcontrol.schema.wire.TopicNames;
import io.groundcontrol.testing.Poll;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class TriggerTopicWatcherTest {
  @Test
  void closingDuringACheckStopsWithoutReportingTheCheckAsFailed() {
    // No broker listens there: the check waits in its first lookup until close() interrupts it.
    TriggerTopicWatcher watcher = new TriggerTopicWatcher(KafkaConnection.plaintext("127.0.0.1:1"),
        new TopicNames("watch"));
    watcher.watch(Set.of(), topics -> { });
    watcher.checkNow();
    Poll.until(TriggerTopicWatcherTest::checking, Duration.ofSeconds(10), "the watcher to start a check");

    assertThat(logged(watcher::close)).doesNotContain("Could not check the trigger topics");
  }

  /**
   * With Kafka away every check fails the same way after its 15 s wait: the log got a warning with
   * its causes (three lines) every 20 s, for as long as the outage lasted.
   */
  @Test
  void kafkaNotAnsweringIsOneLineUntilACheckSucceeds() {
    TriggerTopicWatcher.CheckFailures failures = new TriggerTopicWatcher.CheckFailures();
    RuntimeException noAnswer = new NoAnswerException("topic watch.triggers", Duration.ofSeconds(15),
        new TimeoutException("Timeout expired while fetching topic metadata"));

    String whileAway = logged(() -> {
      failures.failed(noAnswer);
      failures.failed(noAnswer);
      failures.failed(noAnswer);
    });
    String afterASuccess = logged(() -> {
      failures.succeeded();
      failures.failed(noAnswer);
    });

    String line = "Could not check the trigger topics: Could not read topic watch.triggers: Kafka did not answer "
        + "within 15 s; trying again every 5 s";
    assertThat(whileAway.lines()).singleElement().asString().endsWith(line);
    assertThat(afterASuccess.lines()).singleElement().asString().endsWith(line);
  }

  @Test
  void anUnexpectedFailureIsLoggedWithItsStackTraceEachTime() {
    TriggerTopicWatcher.CheckFailures failures = new TriggerTopicWatcher.CheckFailures();

    String log = logged(() -> {
      failures.failed(new IllegalStateException("a bug"));
      failures.failed(new IllegalStateException("a bug"));
    });

    assertThat(log.lines().filter(line -> line.contains("Could not check the trigger topics or act on their change"
        + "; trying again in 5 s"))).hasSize(2);
    assertThat(log).contains("java.lang.IllegalStateException: a bug").contains("\tat ");
  }

  private static String logged(Runnable action) {
    ByteArrayOutputStream logged = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(stderr);
    }
    return logged.toString(StandardCharsets.UTF_8);
  }

  private static boolean checking() {
    return Thread.getAllStackTraces().entrySet().stream()
        .filter(thread -> thread.getKey().getName().equals("groundcontrol-trigger-topics"))
        .flatMap(thread -> Arrays.stream(thread.getValue()))
        .anyMatch(frame -> frame.getMethodName().equals("partitionsFor"));
  }
}
