package io.groundcontrol.worker.internal;

import io.groundcontrol.schema.StageReport;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends reports, keyed by mission id. Thread-safe, like the producer. */
final class ReportSender {
  private static final Logger LOG = LoggerFactory.getLogger(ReportSender.class);

  private final Producer<String, StageReport> producer;
  private final String topic;
  private final Consumer<Exception> refusals;

  /** @param refusals told, from any thread, when Kafka refuses a quiet report's login or ACL */
  ReportSender(Producer<String, StageReport> producer, String topic, Consumer<Exception> refusals) {
    this.producer = producer;
    this.topic = topic;
    this.refusals = refusals;
  }

  /**
   * Whether {@code exception} is Kafka refusing this worker's credentials or ACLs: no report can be
   * written until someone changes them, so sending again is pointless.
   */
  static boolean refusesAccess(Throwable exception) {
    for (Throwable e = exception; e != null; e = e.getCause()) {
      if (e instanceof AuthenticationException || e instanceof AuthorizationException) {
        return true;
      }
    }
    return false;
  }

  /** Sends {@code report}; a failure, even one thrown by {@code send}, goes to {@code callback}. */
  void send(StageReport report, Callback callback) {
    try {
      producer.send(new ProducerRecord<>(topic, report.getMissionId(), report), callback);
    } catch (RuntimeException e) {
      callback.onCompletion(null, e);
    }
  }

  /**
   * Sends a report whose loss costs little (started, heartbeat); a failure is only logged, or told
   * to the refusals listener if it is a refused login or ACL.
   */
  void sendQuietly(StageReport report) {
    sendQuietly(report, () -> { });
  }

  /** As {@link #sendQuietly(StageReport)}, and {@code delivered} runs once Kafka has written it. */
  void sendQuietly(StageReport report, Runnable delivered) {
    sendQuietly(report, delivered, exception -> LOG.warn(
        "Could not report {} for stage '{}' of mission '{}' (attempt {}): {}",
        report.getOutcome().getClass().getSimpleName(), report.getStage(), report.getMissionId(),
        report.getAttempt(), exception.toString()));
  }

  /**
   * As {@link #sendQuietly(StageReport)}, but a failure other than a refused login or ACL goes to
   * {@code lost}, from the producer's thread or, if {@code send} threw, from this one.
   */
  void sendQuietly(StageReport report, Consumer<Exception> lost) {
    sendQuietly(report, () -> { }, lost);
  }

  /** As {@link #sendQuietly(StageReport, Consumer)}, and {@code delivered} runs once Kafka has written it. */
  void sendQuietly(StageReport report, Runnable delivered, Consumer<Exception> lost) {
    send(report, (metadata, exception) -> {
      if (exception == null) {
        delivered.run();
      } else if (refusesAccess(exception)) {
        refusals.accept(exception);
      } else {
        lost.accept(exception);
      }
    });
  }
}
