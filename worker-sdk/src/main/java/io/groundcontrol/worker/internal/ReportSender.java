package io.groundcontrol.worker.internal;

import io.groundcontrol.schema.StageReport;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends reports, keyed by mission id. Thread-safe, like the producer. */
final class ReportSender {
  private static final Logger LOG = LoggerFactory.getLogger(ReportSender.class);

  private final Producer<String, StageReport> producer;
  private final String topic;

  ReportSender(Producer<String, StageReport> producer, String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  /** Sends {@code report}; a failure, even one thrown by {@code send}, goes to {@code callback}. */
  void send(StageReport report, Callback callback) {
    try {
      producer.send(new ProducerRecord<>(topic, report.getMissionId(), report), callback);
    } catch (RuntimeException e) {
      callback.onCompletion(null, e);
    }
  }

  /** Sends a report whose loss costs little (started, heartbeat); a failure is only logged. */
  void sendQuietly(StageReport report) {
    send(report, (metadata, exception) -> {
      if (exception != null) {
        LOG.warn("Could not report {} for stage '{}' of mission '{}' (attempt {}): {}",
            report.getOutcome().getClass().getSimpleName(), report.getStage(), report.getMissionId(),
            report.getAttempt(), exception.toString());
      }
    });
  }
}
