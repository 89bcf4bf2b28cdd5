package io.groundcontrol.worker.internal;

import static io.groundcontrol.worker.internal.WorkerFixture.error;
import static io.groundcontrol.worker.internal.WorkerFixture.outputs;
import static io.groundcontrol.worker.internal.WorkerFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.StageError;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.wire.TopicNames;
import io.groundcontrol.worker.api.NonRetryableStageException;
import io.groundcontrol.worker.api.StageContext;
import io.groundcontrol.worker.api.StageResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a worker reports for a RUN, given what the handler does. */
class ReportingTest {
  private WorkerFixture fixture = new WorkerFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void reportsAQuickHandlerOnlyFinishedWithTheOutputs() {
    fixture.open(context -> StageResult.finished().output("rows", "1042").stringOutput("table", "sales"));

    fixture.send(run("m-1", "load").attempt(3));

    StageReport finished = fixture.awaitReport("m-1", "finished");
    assertThat(fixture.kinds("m-1")).containsExactly("finished");
    assertThat(outputs(finished)).containsExactly(Map.entry("rows", "1042"), Map.entry("table", "\"sales\""));
    assertThat(finished.getStage()).isEqualTo("load");
    assertThat(finished.getAttempt()).isEqualTo(3);
    assertThat(finished.getReportedAt()).isEqualTo(WorkerFixture.START);
    assertThat(finished.getWorker().getKind()).isEqualTo(ActorKind.WORKER);
    assertThat(finished.getWorker().getId()).isEqualTo(WorkerFixture.WORKER_ID);
    assertThat(finished.getWorker().getHost()).isNotBlank();
  }

  @Test
  void sendsReportsToTheStageReportsTopicOfItsTopicNamesKeyedByMissionId() {
    fixture = new WorkerFixture(true, new TopicNames("staging"));
    fixture.open(context -> StageResult.finished());

    fixture.send(run("m-1", "load"));

    fixture.awaitReport("m-1", "finished");
    assertThat(fixture.sent())
        .extracting(ProducerRecord::topic, ProducerRecord::key)
        .containsOnly(org.assertj.core.groups.Tuple.tuple("staging.stage-reports", "m-1"));
    assertThat(fixture.consumer.subscription()).containsExactly("staging.instructions.bigquery");
  }

  @Test
  void givesTheHandlerTheInstruction() {
    AtomicReference<StageContext> seen = new AtomicReference<>();
    fixture.open(context -> {
      seen.set(context);
      return StageResult.finished();
    });

    fixture.send(run("m-1", "load").attempt(2).param("table", "\"sales\"").param("limit", "10").timeoutMs(60_000));

    fixture.awaitReport("m-1", "finished");
    StageContext context = seen.get();
    assertThat(context.missionId()).isEqualTo("m-1");
    assertThat(context.planName()).isEqualTo("nightly");
    assertThat(context.stage()).isEqualTo("load");
    assertThat(context.component()).isEqualTo("bigquery");
    assertThat(context.attempt()).isEqualTo(2);
    assertThat(context.dispatchedAt()).isEqualTo(WorkerFixture.START);
    assertThat(context.timeout()).contains(Duration.ofMinutes(1));
    assertThat(context.params()).containsOnly(Map.entry("table", "\"sales\""), Map.entry("limit", "10"));
    assertThat(context.isCancelled()).isFalse();
  }

  @Test
  void reportsAThrownExceptionAsARetryableFailureWithItsStackTrace() {
    fixture.open(context -> {
      throw new IOException("connection reset");
    });

    fixture.send(run("m-1", "load"));

    StageError error = error(fixture.awaitReport("m-1", "failed"));
    assertThat(fixture.kinds("m-1")).containsExactly("failed");
    assertThat(error.getMessage()).isEqualTo("connection reset");
    assertThat(error.getRetryable()).isTrue();
    assertThat(error.getDetail())
        .startsWith("java.io.IOException: connection reset")
        .contains("at " + ReportingTest.class.getName());
  }

  @Test
  void reportsAnExceptionWithAMessageOfMegabytesCutToWhatAReportCarriesStillRetryable() {
    // An HTTP client quoting a whole error page, say: sent whole (the stack trace repeats it), the
    // report would be too large for Kafka.
    fixture.open(context -> {
      throw new IllegalStateException("upstream said: " + "E".repeat(3_000_000) + " (end)");
    });

    fixture.send(run("m-1", "load"));

    StageError error = error(fixture.awaitReport("m-1", "failed"));
    assertThat(error.getRetryable()).isTrue();
    assertThat(error.getMessage().getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(8 * 1024);
    assertThat(error.getMessage()).startsWith("upstream said: EEE").endsWith("EEE (end)")
        .contains("E[... 2991856 bytes cut ...]E"); // 3,000,021 bytes less 8,192 kept, marker included
    assertThat(error.getDetail().getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(64 * 1024);
    assertThat(error.getDetail()).startsWith("java.lang.IllegalStateException: upstream said: EEE")
        .contains(" bytes cut ...]").contains("at " + ReportingTest.class.getName());
  }

  @Test
  void usesTheExceptionClassNameWhenItHasNoMessage() {
    fixture.open(context -> {
      throw new IllegalStateException();
    });

    fixture.send(run("m-1", "load"));

    assertThat(error(fixture.awaitReport("m-1", "failed")).getMessage())
        .isEqualTo("java.lang.IllegalStateException");
  }

  @Test
  void reportsANonRetryableStageExceptionAsNotRetryable() {
    fixture.open(context -> {
      throw new NonRetryableStageException("syntax error near 'FORM'");
    });

    fixture.send(run("m-1", "load"));

    StageError error = error(fixture.awaitReport("m-1", "failed"));
    assertThat(error.getMessage()).isEqualTo("syntax error near 'FORM'");
    assertThat(error.getRetryable()).isFalse();
    assertThat(error.getDetail()).contains("NonRetryableStageException");
  }

  @Test
  void reportsAMissingRequiredParamAsNotRetryable() {
    fixture.open(context -> StageResult.finished().output("table", context.requireParam("table")));

    fixture.send(run("m-1", "load"));

    StageError error = error(fixture.awaitReport("m-1", "failed"));
    assertThat(error.getMessage())
        .isEqualTo("Expected param 'table' for stage 'load' of mission 'm-1', but it is missing");
    assertThat(error.getRetryable()).isFalse();
  }

  @Test
  void reportsAnErrorThrownByTheHandler() {
    fixture.open(context -> {
      throw new AssertionError("bug");
    });

    fixture.send(run("m-1", "load"));

    StageError error = error(fixture.awaitReport("m-1", "failed"));
    assertThat(error.getMessage()).isEqualTo("bug");
    assertThat(error.getRetryable()).isTrue();
  }

  /**
   * An exception's message is its own code, and may throw. Its attempt must still be reported, or it
   * would stay running, heartbeated for ever, and hold back the commits of its partition.
   */
  @Test
  void reportsAnExceptionWhoseMessageThrowsAsARetryableFailureNamingItsClass() {
    fixture.open(context -> {
      throw new UnreadableException();
    });

    fixture.send(run("m-1", "load"));

    StageError error = error(fixture.awaitReport("m-1", "failed"));
    assertThat(error.getMessage()).isEqualTo("The description of a " + UnreadableException.class.getName()
        + " could not be read: its getMessage() threw java.lang.IllegalStateException");
    assertThat(error.getRetryable()).isTrue();
    assertThat(error.getDetail()).isEqualTo("The stack trace of a " + UnreadableException.class.getName()
        + " could not be printed beyond this point: printing it threw java.lang.IllegalStateException");
    fixture.awaitCommitted(fixture.p0, 1);
    assertThat(fixture.kinds("m-1")).containsExactly("failed");
  }

  @Test
  void reportsANonRetryableExceptionWhoseMessageThrowsAsNotRetryable() {
    fixture.open(context -> {
      throw new NonRetryableStageException("unused") {
        @Override
        public String getMessage() {
          throw new IllegalStateException("message not available");
        }
      };
    });

    fixture.send(run("m-1", "load"));

    StageError error = error(fixture.awaitReport("m-1", "failed"));
    assertThat(error.getMessage()).startsWith("The description of a ").contains("could not be read");
    assertThat(error.getRetryable()).isFalse();
  }

  /** Printing a stack trace reaches every cause's message: what was printed before it threw is kept. */
  @Test
  void reportsAnExceptionWhoseCauseCannotBePrintedWithAsMuchOfItsStackTraceAsCould() {
    fixture.open(context -> {
      throw new IOException("connection reset", new UnreadableException());
    });

    fixture.send(run("m-1", "load"));

    StageError error = error(fixture.awaitReport("m-1", "failed"));
    assertThat(error.getMessage()).isEqualTo("connection reset");
    assertThat(error.getRetryable()).isTrue();
    assertThat(error.getDetail())
        .startsWith("java.io.IOException: connection reset")
        .contains("at " + ReportingTest.class.getName())
        .endsWith(System.lineSeparator() + "The stack trace of a java.io.IOException could not be printed beyond "
            + "this point: printing it threw java.lang.IllegalStateException");
  }

  /** An exception whose message cannot be built, as one with a lazily built message that fails. */
  private static final class UnreadableException extends RuntimeException {
    @Override
    public String getMessage() {
      throw new IllegalStateException("message not available");
    }
  }

  @Test
  void reportsANullResultAsANonRetryableFailure() {
    fixture.open(context -> null);

    fixture.send(run("m-1", "load"));

    StageError error = error(fixture.awaitReport("m-1", "failed"));
    assertThat(error.getMessage()).isEqualTo("The stage handler returned null instead of a StageResult");
    assertThat(error.getRetryable()).isFalse();
  }

  @Test
  void skipsARecordItCannotDecodeAndGoesOn() {
    fixture.open(context -> StageResult.finished());

    fixture.sendRaw(fixture.p0, "m-0", new byte[] {1, 2, 3});
    fixture.sendRaw(fixture.p0, "m-0", null);
    fixture.send(run("m-1", "load"));

    fixture.awaitReport("m-1", "finished");
    fixture.awaitCommitted(fixture.p0, 3);
    assertThat(fixture.reports()).hasSize(1);
  }

  /**
   * Decoding turns what it expects into a WireFormatException, but not an Error: before the codec
   * bounded lengths by the record, a corrupt length prefix threw OutOfMemoryError, which stopped the
   * worker and then every worker the partition moved to.
   */
  @Test
  void skipsARecordWhoseDecodingThrowsAnErrorAndGoesOn() {
    fixture.open(context -> StageResult.finished());

    long offset = fixture.takeOffset(fixture.p0);
    fixture.consumer.addRecord(new ConsumerRecord<>(fixture.p0.topic(), 0, offset, "m-0", new byte[0]) {
      @Override
      public byte[] value() {
        throw new OutOfMemoryError("Java heap space");
      }
    });
    fixture.send(run("m-1", "load"));

    fixture.awaitReport("m-1", "finished");
    fixture.awaitCommitted(fixture.p0, 2);
    assertThat(fixture.worker.isOpen()).isTrue();
  }

  @Test
  void usesTheKafkaConsumerOnlyFromItsPollThread() {
    fixture.open(context -> StageResult.finished());

    fixture.send(run("m-1", "load"));
    fixture.awaitCommitted(fixture.p0, 1);
    fixture.close();

    assertThat(fixture.consumer.workerThreads).containsExactly("groundcontrol-worker-bigquery-poll");
  }

  @Test
  void runsHandlersOnNamedHandlerThreads() {
    GatedHandler handler = new GatedHandler();
    handler.open();
    fixture.open(handler);

    fixture.send(run("m-1", "load"));

    fixture.awaitReport("m-1", "finished");
    assertThat(handler.threads.get("m-1")).isEqualTo("groundcontrol-worker-bigquery-handler-1");
  }
}
