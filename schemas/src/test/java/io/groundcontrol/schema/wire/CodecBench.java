package io.groundcontrol.schema.wire;

import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionState;
import io.groundcontrol.schema.StageReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Measures {@link AvroCodec} encode and decode time and allocation per record against Avro's own
 * {@link BinaryMessageEncoder} and {@link BinaryMessageDecoder}, which the codec used before, for a
 * stage report and for mission states of 3 and 1,000 stages. A program, not a test: run it on a
 * quiet machine.
 *
 * <pre>
 * cd schemas
 * mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
 * java -cp target/classes:target/test-classes:$(cat target/bench.classpath) \
 *     io.groundcontrol.schema.wire.CodecBench [seconds per measurement, default 1; 3 is steadier]
 * </pre>
 *
 * <p>Each line gives nanoseconds per operation, the fastest of {@value #ROUNDS} rounds, and bytes
 * allocated per operation by the measuring thread in that round. Ratios below 1 mean the codec is
 * faster.
 */
public final class CodecBench {
  private static final int ROUNDS = 10;
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** Keeps the JIT from discarding results. */
  private static volatile int sink;

  private final long nanosPerRound;

  private CodecBench(double secondsPerMeasurement) {
    this.nanosPerRound = (long) (secondsPerMeasurement * 1e9 / ROUNDS);
  }

  /** Runs every measurement and prints one line per sample and operation. */
  public static void main(String[] args) {
    CodecBench bench = new CodecBench(args.length > 0 ? Double.parseDouble(args[0]) : 1.0);
    System.out.printf("%-28s %-7s %12s %12s %6s %12s %12s%n",
        "sample", "op", "avro ns/op", "codec ns/op", "ratio", "avro B/op", "codec B/op");
    bench.compare("StageReport", StageReport.class, SampleRecords.stageReport());
    bench.compare("MissionEvent finished", MissionEvent.class, SampleRecords.stageFinished());
    bench.compare("MissionState 3", MissionState.class, SampleRecords.missionState(3));
    bench.compare("MissionState 1000", MissionState.class, SampleRecords.missionState(1000));
  }

  private <T extends SpecificRecord> void compare(String sample, Class<T> type, T record) {
    AvroCodec<T> codec = AvroCodec.of(type);
    AvroMessageCodec<T> avro = new AvroMessageCodec<>(type);
    byte[] bytes = codec.encode(record);
    if (!Arrays.equals(bytes, avro.encode(record)) || !codec.decode(bytes).equals(record)) {
      throw new IllegalStateException(sample + ": the codec and Avro's encoder disagree");
    }
    String label = sample + " (" + bytes.length + " B)";
    report(label, "encode", measure(() -> avro.encode(record), () -> codec.encode(record)));
    report(label, "decode", measure(() -> avro.decode(bytes), () -> codec.decode(bytes)));
  }

  private static void report(String sample, String op, Result[] avroThenCodec) {
    Result avro = avroThenCodec[0];
    Result codec = avroThenCodec[1];
    System.out.printf("%-28s %-7s %12.0f %12.0f %6.2f %12.0f %12.0f%n",
        sample, op, avro.nanosPerOp, codec.nanosPerOp, codec.nanosPerOp / avro.nanosPerOp,
        avro.bytesPerOp, codec.bytesPerOp);
  }

  /**
   * Warms both up, then alternates their rounds, so that both see the same background load, and
   * keeps each one's fastest round: other load on the machine only ever adds time.
   */
  private Result[] measure(Supplier<Object> avro, Supplier<Object> codec) {
    List<Supplier<Object>> operations = List.of(avro, codec);
    long[] batches = operations.stream().mapToLong(this::warmUp).toArray();
    Result[] fastest = new Result[operations.size()];
    for (int round = 0; round < ROUNDS; round++) {
      for (int i = 0; i < operations.size(); i++) {
        Result result = round(operations.get(i), batches[i]);
        if (fastest[i] == null || result.nanosPerOp < fastest[i].nanosPerOp) {
          fastest[i] = result;
        }
      }
    }
    return fastest;
  }

  /** Runs {@code operation} for a round's time; returns a batch size that takes about 1/20 round. */
  private long warmUp(Supplier<Object> operation) {
    long batch = 1;
    long end = System.nanoTime() + nanosPerRound;
    while (System.nanoTime() < end) {
      long started = System.nanoTime();
      run(operation, batch);
      if (System.nanoTime() - started < nanosPerRound / 20) {
        batch *= 2;
      }
    }
    return batch;
  }

  private Result round(Supplier<Object> operation, long batch) {
    long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
    long started = System.nanoTime();
    long operations = 0;
    while (System.nanoTime() - started < nanosPerRound) {
      run(operation, batch);
      operations += batch;
    }
    long elapsed = System.nanoTime() - started;
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore;
    return new Result((double) elapsed / operations, (double) allocated / operations);
  }

  private static void run(Supplier<Object> operation, long times) {
    int hashes = 0;
    for (long i = 0; i < times; i++) {
      hashes += System.identityHashCode(operation.get());
    }
    sink += hashes;
  }

  private record Result(double nanosPerOp, double bytesPerOp) {}

  /** What {@link AvroCodec} did before: Avro's single-object encoder and decoder. */
  private static final class AvroMessageCodec<T extends SpecificRecord> {
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    AvroMessageCodec(Class<T> type) {
      SpecificData model = SpecificData.getForClass(type);
      encoder = new BinaryMessageEncoder<>(model, model.getSchema(type));
      decoder = new BinaryMessageDecoder<>(model, model.getSchema(type));
      SchemaHistory.of(type).forEach(decoder::addSchema);
    }

    byte[] encode(T record) {
      try {
        ByteBuffer buffer = encoder.encode(record);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    T decode(byte[] bytes) {
      try {
        return decoder.decode(bytes);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
