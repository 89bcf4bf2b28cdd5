package io.groundcontrol.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.schema.wire.TopicNames;
import io.groundcontrol.testing.Poll;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
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

    ByteArrayOutputStream logged = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
    try {
      watcher.close();
    } finally {
      System.setErr(stderr);
    }

    assertThat(logged.toString(StandardCharsets.UTF_8)).doesNotContain("Could not check the trigger topics");
  }

  private static boolean checking() {
    return Thread.getAllStackTraces().entrySet().stream()
        .filter(thread -> thread.getKey().getName().equals("groundcontrol-trigger-topics"))
        .flatMap(thread -> Arrays.stream(thread.getValue()))
        .anyMatch(frame -> frame.getMethodName().equals("partitionsFor"));
  }
}
