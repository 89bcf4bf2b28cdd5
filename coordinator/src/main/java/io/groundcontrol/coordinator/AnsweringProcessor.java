package io.groundcontrol.coordinator;

import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.StageInstruction;
import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * The processor of a sub-topology that answers the missions' {@link Ask}s (admission, mission
 * limits, results), taking part in {@link CommitWhenDrained}: the transaction holding its answers
 * commits once its thread has read every ask the last commit wrote, rather than at the commit
 * interval. Without it, an answer on a thread with nothing else to do waited for the interval: with
 * a cap of one, every queued hand-off waited that long for its grant. A RUN instruction it writes
 * (the admission sends one with each grant) is awaited like the missions' own: the next
 * transaction waits for its report, so answers do not commit one by one under load.
 *
 * @param <KIn> input key
 * @param <VIn> input value: an ask
 * @param <KOut> output key
 * @param <VOut> output value
 */
public final class AnsweringProcessor<KIn, VIn, KOut, VOut> implements Processor<KIn, VIn, KOut, VOut> {
  private final Processor<KIn, VIn, KOut, VOut> answering;
  private CommitWhenDrained commits;

  private AnsweringProcessor(Processor<KIn, VIn, KOut, VOut> answering) {
    this.answering = answering;
  }

  /** {@code supplier}'s processors, each taking part in commit-when-drained; the same stores. */
  public static <KIn, VIn, KOut, VOut> ProcessorSupplier<KIn, VIn, KOut, VOut> around(
      ProcessorSupplier<KIn, VIn, KOut, VOut> supplier) {
    return new ProcessorSupplier<>() {
      @Override
      public Processor<KIn, VIn, KOut, VOut> get() {
        return new AnsweringProcessor<>(supplier.get());
      }

      @Override
      public Set<StoreBuilder<?>> stores() {
        return supplier.stores();
      }
    };
  }

  @Override
  public void init(ProcessorContext<KOut, VOut> context) {
    commits = CommitWhenDrained.of(context);
    answering.init(new WatchedContext<>(context, commits));
  }

  @Override
  public void process(Record<KIn, VIn> record) {
    commits.inputBegins();
    commits.askRead(record.value());
    answering.process(record);
    commits.inputEnds();
  }

  @Override
  public void close() {
    try {
      answering.close();
    } finally {
      if (commits != null) {
        commits.close();
      }
    }
  }

  /** The answering processor's context: tells {@link CommitWhenDrained} of each RUN instruction it writes. */
  private record WatchedContext<KOut, VOut>(ProcessorContext<KOut, VOut> context, CommitWhenDrained commits)
      implements ProcessorContext<KOut, VOut> {

    @Override
    public <K extends KOut, V extends VOut> void forward(Record<K, V> record) {
      context.forward(record);
      watch(record.value());
    }

    @Override
    public <K extends KOut, V extends VOut> void forward(Record<K, V> record, String childName) {
      context.forward(record, childName);
      watch(record.value());
    }

    private void watch(Object value) {
      if (value instanceof StageInstruction instruction && instruction.getKind() == InstructionKind.RUN) {
        commits.dispatched(instruction.getMissionId(), instruction.getStage(), instruction.getAttempt());
      }
    }

    @Override
    public String applicationId() {
      return context.applicationId();
    }

    @Override
    public TaskId taskId() {
      return context.taskId();
    }

    @Override
    public Optional<RecordMetadata> recordMetadata() {
      return context.recordMetadata();
    }

    @Override
    public Serde<?> keySerde() {
      return context.keySerde();
    }

    @Override
    public Serde<?> valueSerde() {
      return context.valueSerde();
    }

    @Override
    public File stateDir() {
      return context.stateDir();
    }

    @Override
    public StreamsMetrics metrics() {
      return context.metrics();
    }

    @Override
    public <S extends StateStore> S getStateStore(String name) {
      return context.getStateStore(name);
    }

    @Override
    public Cancellable schedule(Duration interval, PunctuationType type, Punctuator callback) {
      return context.schedule(interval, type, watched(callback));
    }

    @Override
    public Cancellable schedule(Instant startTime, Duration interval, PunctuationType type, Punctuator callback) {
      return context.schedule(startTime, interval, type, watched(callback));
    }

    /**
     * {@code callback} between the calls an input gets. Kafka Streams marks a task that punctuated as
     * needing a commit; unless the commit before is noted first, the next input of the thread would
     * take it for still open (the admission's 200 ms tick cost 64 in flight 8% more commits).
     */
    private Punctuator watched(Punctuator callback) {
      return timestamp -> {
        commits.timersBegin();
        callback.punctuate(timestamp);
        commits.inputEnds();
      };
    }

    @Override
    public void commit() {
      context.commit();
    }

    @Override
    public Map<String, Object> appConfigs() {
      return context.appConfigs();
    }

    @Override
    public Map<String, Object> appConfigsWithPrefix(String prefix) {
      return context.appConfigsWithPrefix(prefix);
    }

    @Override
    public long currentSystemTimeMs() {
      return context.currentSystemTimeMs();
    }

    @Override
    public long currentStreamTimeMs() {
      return context.currentStreamTimeMs();
    }
  }
}
