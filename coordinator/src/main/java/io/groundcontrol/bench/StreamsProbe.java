package io.groundcontrol.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.management.ThreadInfo;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Reads what one Kafka Streams application has done so far: records processed (Kafka Streams'
 * own {@code process-total}), CPU time and allocation of its threads, and the size of one of its
 * RocksDB stores. Differences of two {@link Snapshot}s give per-record costs that do not depend
 * on what else runs on the machine, unlike throughput.
 */
final class StreamsProbe {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private final KafkaStreams streams;
  /** Every thread of the application has this in its name: stream threads and their clients. */
  private final String threadMarker;

  StreamsProbe(KafkaStreams streams, String applicationId) {
    this.streams = streams;
    this.threadMarker = applicationId;
  }

  /**
   * What the application had done at one instant.
   *
   * @param nanos {@code System.nanoTime()}
   * @param processed records processed by its stream threads
   * @param appCpuNanos CPU time of every thread of the application
   * @param streamThreadAllocated bytes allocated by its stream threads
   * @param processCpuNanos CPU time of the whole benchmark: this JVM (coordinator, workers, load
   *     generator) and the embedded broker, in this JVM or a child's
   * @param machineBusyNanos CPU time of every process on the machine (Linux {@code /proc/stat}), or -1
   * @param commits commits of its stream threads (Kafka Streams' {@code commit-total}): under
   *     exactly-once, each is a transaction
   */
  record Snapshot(
      long nanos, double processed, long appCpuNanos, long streamThreadAllocated, long processCpuNanos,
      long machineBusyNanos, double commits) {
    /** Seconds from {@code earlier} to this. */
    double secondsSince(Snapshot earlier) {
      return (nanos - earlier.nanos) / 1e9;
    }
  }

  Snapshot snapshot() {
    long cpu = 0;
    long allocated = 0;
    for (ThreadInfo thread : THREADS.getThreadInfo(THREADS.getAllThreadIds(), 0)) {
      if (thread == null || !thread.getThreadName().contains(threadMarker)) {
        continue;
      }
      String name = thread.getThreadName();
      cpu += Math.max(0, THREADS.getThreadCpuTime(thread.getThreadId()));
      if (name.contains("-StreamThread-") && !name.contains("producer") && !name.contains("consumer")) {
        allocated += Math.max(0, THREADS.getThreadAllocatedBytes(thread.getThreadId()));
      }
    }
    return new Snapshot(System.nanoTime(), sum("stream-thread-metrics", "process-total", null), cpu, allocated,
        OS.getProcessCpuTime() + ChildProcesses.cpuNanos(), machineBusyNanos(), sum("stream-thread-metrics", "commit-total", null));
  }

  /**
   * Cores other processes used between two snapshots: the machine's busy time less the benchmark's.
   * Other engineers' builds share these two cores; this says how much they took.
   */
  static double otherCores(Snapshot first, Snapshot last) {
    if (first.machineBusyNanos() < 0 || last.machineBusyNanos() < 0) {
      return Double.NaN;
    }
    long others = (last.machineBusyNanos() - first.machineBusyNanos()) - (last.processCpuNanos() - first.processCpuNanos());
    return Math.max(0, others) / 1e9 / last.secondsSince(first);
  }

  /** Busy CPU time of the whole machine: user, nice, system, irq, softirq and steal, from {@code /proc/stat}. */
  private static long machineBusyNanos() {
    try {
      String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long jiffies = 0;
      for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
        jiffies += Long.parseLong(cpu[i]);
      }
      return jiffies * 10_000_000L; // USER_HZ is 100 on Linux
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * The size of a RocksDB store summed over its tasks.
   *
   * @param keys RocksDB's estimate of the number of keys
   * @param sstBytes bytes of its SST files on disk
   * @param memtableBytes bytes of its memtables, not yet flushed
   */
  record StoreSize(long keys, long sstBytes, long memtableBytes) {
    long bytes() {
      return sstBytes + memtableBytes;
    }
  }

  StoreSize storeSize(String store) {
    return new StoreSize(
        (long) sum("stream-state-metrics", "estimate-num-keys", store),
        (long) sum("stream-state-metrics", "total-sst-files-size", store),
        (long) sum("stream-state-metrics", "size-all-mem-tables", store));
  }

  private double sum(String group, String name, String store) {
    double total = 0;
    for (Map.Entry<MetricName, ? extends Metric> entry : streams.metrics().entrySet()) {
      MetricName metric = entry.getKey();
      if (!metric.group().equals(group) || !metric.name().equals(name)) {
        continue;
      }
      if (store != null && !store.equals(metric.tags().get("rocksdb-state-id"))) {
        continue;
      }
      if (entry.getValue().metricValue() instanceof Number number) {
        total += number.doubleValue();
      }
    }
    return total;
  }

  /** System load average over the last minute: more than 2 here means others are using the cores too. */
  static double loadAverage() {
    return OS.getSystemLoadAverage();
  }
}
