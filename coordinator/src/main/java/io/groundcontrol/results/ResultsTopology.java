package io.groundcontrol.results;

import io.groundcontrol.coordinator.AnsweringProcessor;
import io.groundcontrol.coordinator.LatestPlans;
import io.groundcontrol.schema.ResultAnswer;
import io.groundcontrol.schema.ResultEntry;
import io.groundcontrol.schema.ResultRequest;
import io.groundcontrol.schema.wire.AvroSerde;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The results index as a sub-topology of the coordinator, keyed by result key (a hash of component
 * and resolved params):
 *
 * <pre>
 *   results-requests (by result key) ─► results (store: results) ─► results-answers (by mission id)
 * </pre>
 *
 * <p>Why a sub-topology keyed by hash and not a compacted results topic read as a global store: a
 * global store is written outside the reading task's transaction and read by every task at its
 * own pace, so two identical stages started together both find nothing and both run; and what a
 * decision saw would depend on how far the global store had caught up, which replay cannot repeat.
 * One task owning each key sees lookups and results in one order: it can let the first stage run
 * and make the second wait for its result. The price is two transactional hops (request, answer)
 * before a stage with a reuse policy runs; stages without one never pass here.
 */
public final class ResultsTopology {
  /**
   * Result key to {@code ResultEntry}: newest result, running claim, waiters. Persistent,
   * changelogged; an entry no stage can reuse any more is forgotten ({@link ResultsRetention}).
   */
  public static final String STORE = "results";
  /** The processor's name; the missions processor's sink to the requests topic and this source meet here. */
  public static final String PROCESSOR = "results";
  /** Serde of the requests topic. */
  public static final AvroSerde<ResultRequest> REQUEST = AvroSerde.of(ResultRequest.class);
  /** Serde of the answers topic. */
  public static final AvroSerde<ResultAnswer> ANSWER = AvroSerde.of(ResultAnswer.class);

  private static final String SOURCE = "results-in";
  private static final String SINK = "results-out";

  private ResultsTopology() {}

  /**
   * Adds the results sub-topology reading {@code requestsTopic} and writing {@code answersTopic},
   * keeping a result for at least {@code retention} (zero: for ever), or for the longest reuse
   * {@code max_age} of {@code latestPlans} if that is longer.
   */
  public static void addTo(
      Topology topology, String requestsTopic, String answersTopic, Duration retention, LatestPlans latestPlans) {
    topology.addSource(SOURCE, Serdes.String().deserializer(), REQUEST.deserializer(), requestsTopic);
    topology.addProcessor(PROCESSOR,
        AnsweringProcessor.around(() -> new ResultsProcessor(STORE, retention, latestPlans)), SOURCE);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
            AvroSerde.of(ResultEntry.class)),
        PROCESSOR);
    topology.addSink(SINK, answersTopic, Serdes.String().serializer(), ANSWER.serializer(), PROCESSOR);
  }
}
