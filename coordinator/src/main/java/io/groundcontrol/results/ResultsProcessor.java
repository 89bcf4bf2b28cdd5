package io.groundcontrol.results;

import io.groundcontrol.coordinator.CoordinatorTopology;
import io.groundcontrol.coordinator.InputChecks;
import io.groundcontrol.coordinator.LatestPlans;
import io.groundcontrol.schema.ResultAnswer;
import io.groundcontrol.schema.ResultEntry;
import io.groundcontrol.schema.ResultRequest;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The results index's Kafka side: loads the entry of the request's result key, lets {@link
 * ResultIndex} decide, stores the entry and sends the answers, keyed by mission id, back to the
 * missions processor; all in the same transaction under exactly-once. A wall-clock punctuation
 * forgets the results no stage can reuse any more ({@link ResultsRetention}).
 */
final class ResultsProcessor implements Processor<String, ResultRequest, String, ResultAnswer> {
  private final String storeName;
  private final Duration retention;
  private final LatestPlans latestPlans;
  private ProcessorContext<String, ResultAnswer> context;
  private KeyValueStore<String, ResultEntry> entries;

  /**
   * @param retention the least time a result is kept; zero: for ever
   * @param latestPlans the latest plans, for their longest reuse {@code max_age}
   */
  ResultsProcessor(String storeName, Duration retention, LatestPlans latestPlans) {
    this.storeName = storeName;
    this.retention = retention;
    this.latestPlans = latestPlans;
  }

  @Override
  public void init(ProcessorContext<String, ResultAnswer> context) {
    this.context = context;
    this.entries = context.getStateStore(storeName);
    ResultsRetention sweep = new ResultsRetention(retention, entries, latestPlans,
        context.getStateStore(CoordinatorTopology.PLAN_STORE));
    context.schedule(ResultsRetention.TICK, PunctuationType.WALL_CLOCK_TIME,
        now -> sweep.tick(Instant.ofEpochMilli(now), context.currentStreamTimeMs()));
  }

  @Override
  public void process(Record<String, ResultRequest> record) {
    ResultRequest request = InputChecks.value(record);
    String key = request.getResultKey();
    InputChecks.key(record.key(), key, "the result key in the value");
    ResultIndex.Outcome outcome = ResultIndex.decide(entries.get(key), request, Instant.ofEpochMilli(record.timestamp()));
    if (outcome.entry() == null) {
      entries.delete(key);
    } else {
      entries.put(key, outcome.entry());
    }
    for (ResultAnswer answer : outcome.answers()) {
      context.forward(new Record<>(answer.getMissionId(), answer, record.timestamp()));
    }
  }
}
