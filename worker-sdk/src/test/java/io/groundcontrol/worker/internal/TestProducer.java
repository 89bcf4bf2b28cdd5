package io.groundcontrol.worker.internal;

import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.wire.AvroSerde;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A {@link MockProducer} whose {@code send} of chosen reports can be held, like a real producer's
 * send blocked on a full buffer or missing metadata, until the test lets it go, or refused.
 */
final class TestProducer extends MockProducer<String, StageReport> {
  private volatile Predicate<StageReport> held = report -> false;
  private final AtomicReference<Predicate<StageReport>> refused = new AtomicReference<>(report -> false);
  private final CountDownLatch release = new CountDownLatch(1);
  private final CountDownLatch holding = new CountDownLatch(1);

  TestProducer(boolean acknowledgeReports) {
    super(acknowledgeReports, null, new StringSerializer(), AvroSerde.of(StageReport.class).serializer());
  }

  /** From now on, a send of a report that {@code which} matches waits until {@link #release()}. */
  void hold(Predicate<StageReport> which) {
    held = which;
  }

  /** The next send of a report that {@code which} matches throws, as a send Kafka refuses at once. */
  void refuseNext(Predicate<StageReport> which) {
    refused.set(which);
  }

  void release() {
    release.countDown();
  }

  void awaitHolding() {
    Await.until("a send is held", () -> holding.getCount() == 0);
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<String, StageReport> record, Callback callback) {
    if (held.test(record.value())) {
      holding.countDown();
      try {
        release.await(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Predicate<StageReport> refusing = refused.get();
    if (refusing.test(record.value()) && refused.compareAndSet(refusing, report -> false)) {
      throw new KafkaException("Refused by the test");
    }
    return super.send(record, callback);
  }
}
