package io.groundcontrol.results;

import io.groundcontrol.schema.ResultAnswer;
import io.groundcontrol.schema.ResultEntry;
import io.groundcontrol.schema.ResultRequest;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The results index's Kafka side: loads the entry of the request's result key, lets {@link
 * ResultIndex} decide, stores the entry and sends the answers, keyed by mission id, back to the
 * missions processor; all in the same transaction under exactly-once.
 */
final class ResultsProcessor implements Processor<String, ResultRequest, String, ResultAnswer> {
  private final String storeName;
  private ProcessorContext<String, ResultAnswer> context;
  private KeyValueStore<String, ResultEntry> entries;

  ResultsProcessor(String storeName) {
    this.storeName = storeName;
  }

  @Override
  public void init(ProcessorContext<String, ResultAnswer> context) {
    this.context = context;
    this.entries = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<String, ResultRequest> record) {
    ResultRequest request = record.value();
    String key = request.getResultKey();
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
