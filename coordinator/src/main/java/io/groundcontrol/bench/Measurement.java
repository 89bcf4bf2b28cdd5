package io.groundcontrol.bench;

import java.time.Duration;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * What one scenario measured over its window. Rates are per second of wall time; costs per
 * record come from thread CPU time and so do not depend on what else shares the cores.
 *
 * @param scenario short name, e.g. {@code linear3-n64}
 * @param setup what ran, for people
 * @param seconds length of the window
 * @param completionsPerS {@code StageFinished} events in the log per second; NaN where none are counted
 * @param recordsPerS input records the stream thread processed per second (Kafka Streams' {@code process-total})
 * @param cpuMicrosPerRecord CPU time of the application's threads (stream thread and its Kafka clients) per record
 * @param allocBytesPerRecord bytes the stream thread allocated per record
 * @param jvmCores CPU of the whole benchmark (broker, coordinator, workers, load generator) in cores, the
 *     broker counted whether it runs in this JVM or in its own
 * @param otherCores CPU other processes on the machine used meanwhile, in cores: above a few tenths, the
 *     row measured a shared machine
 * @param handoff hand-offs by {@code nanoTime} in microseconds; null where none are measured
 * @param handoffStamps hand-offs from record timestamps in milliseconds; null where none are measured
 * @param failures failed missions, rejected inputs, and missions of a closed loop that had not ended a while
 *     after the window; anything but 0 makes the row suspect and the run's exit code 1
 * @param note anything else worth a column, such as store sizes
 */
record Measurement(
    String scenario,
    String setup,
    double seconds,
    double completionsPerS,
    double recordsPerS,
    double cpuMicrosPerRecord,
    double allocBytesPerRecord,
    double jvmCores,
    double otherCores,
    Histogram handoff,
    Histogram handoffStamps,
    long failures,
    String note) {

  /** Hand-off percentile in milliseconds, by {@code nanoTime}; NaN if none was measured. */
  double handoffMillis(double percentile) {
    return handoff == null || handoff.getTotalCount() == 0
        ? Double.NaN
        : handoff.getValueAtPercentile(percentile) / 1000.0;
  }

  /** Hand-off percentile in milliseconds, from record timestamps; NaN if none was measured. */
  double stampMillis(double percentile) {
    return handoffStamps == null || handoffStamps.getTotalCount() == 0
        ? Double.NaN
        : handoffStamps.getValueAtPercentile(percentile);
  }

  long handoffCount() {
    return handoff == null ? 0 : handoff.getTotalCount();
  }

  /** This row with {@code missions} more failures: missions of its loop still in flight {@code waited} after its window. */
  Measurement withUnended(int missions, Duration waited) {
    return new Measurement(scenario, setup, seconds, completionsPerS, recordsPerS, cpuMicrosPerRecord,
        allocBytesPerRecord, jvmCores, otherCores, handoff, handoffStamps, failures + missions, note)
        .withNote(String.format(Locale.ROOT, "%d missions of the loop had not ended once none had moved on for %.1f s after the window (counted as failed)",
            missions, waited.toMillis() / 1000.0));
  }

  Measurement withNote(String more) {
    return new Measurement(scenario, setup, seconds, completionsPerS, recordsPerS, cpuMicrosPerRecord,
        allocBytesPerRecord, jvmCores, otherCores, handoff, handoffStamps, failures, note.isEmpty() ? more : note + "; " + more);
  }
}
