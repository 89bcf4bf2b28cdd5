package io.groundcontrol.schema.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.MissionState;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AvroCodecTest {
  private final AvroCodec<StageReport> codec = AvroCodec.of(StageReport.class);

  private static StageReport report() {
    return StageReport.newBuilder()
        .setMissionId("m-1")
        .setStage("load")
        .setAttempt(2)
        .setWorker(new Actor(ActorKind.WORKER, "w-1", "host-a"))
        .setReportedAt(Instant.ofEpochMilli(1_700_000_000_000L))
        .setOutcome(new ReportFinished(Map.of("rows", "42")))
        .build();
  }

  @Test
  void roundTripsThroughSingleObjectEncoding() {
    byte[] bytes = codec.encode(report());

    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    assertThat(codec.decode(bytes)).isEqualTo(report());
  }

  @Test
  void rejectsGarbageWithTheExpectedType() {
    assertThatThrownBy(() -> codec.decode(new byte[] {1, 2, 3}))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("Expected a single-object encoded StageReport (3 bytes)");
  }

  @Test
  void rejectsARecordOfAnotherType() {
    byte[] actor = AvroCodec.of(Actor.class).encode(new Actor(ActorKind.USER, "ann", null));

    assertThatThrownBy(() -> codec.decode(actor)).isInstanceOf(WireFormatException.class);
  }

  @Test
  void rejectsANullValue() {
    assertThatThrownBy(() -> codec.decode(null))
        .isInstanceOf(WireFormatException.class)
        .hasMessage("Expected a StageReport record, but the value is null");
  }

  @Test
  void rejectsFewerBytesThanTheHeaderEvenWithTheRightMarker() {
    byte[] nineBytes = Arrays.copyOf(codec.encode(report()), 9);

    assertThatThrownBy(() -> codec.decode(nineBytes))
        .isInstanceOf(WireFormatException.class)
        .hasMessage("Expected a single-object encoded StageReport (9 bytes), but BadHeaderException: "
            + "Not enough header bytes");
  }

  @Test
  void rejectsAWrongMarkerNamingItsBytes() {
    byte[] bytes = codec.encode(report());
    bytes[1] = 0x02;

    assertThatThrownBy(() -> codec.decode(bytes))
        .isInstanceOf(WireFormatException.class)
        .hasMessage("Expected a single-object encoded StageReport (" + bytes.length + " bytes), but "
            + "BadHeaderException: Unrecognized header bytes: 0xC3 0x02");
  }

  @Test
  void rejectsAnUnknownFingerprintNamingIt() {
    byte[] bytes = codec.encode(report());
    Arrays.fill(bytes, 2, 10, (byte) 0xFF);

    assertThatThrownBy(() -> codec.decode(bytes))
        .isInstanceOf(WireFormatException.class)
        .hasMessage("Expected a single-object encoded StageReport (" + bytes.length + " bytes), but "
            + "MissingSchemaException: Cannot resolve schema for fingerprint ffffffffffffffff (hex): expected "
            + "4f209a97c157e41d (or an older version: 9626c90b8a9f3a54, a4be57e4b20bb0b1)");
  }

  @Test
  void rejectsABodyCutShortAnywhere() {
    byte[] bytes = codec.encode(report());

    for (int length = 10; length < bytes.length; length++) {
      byte[] truncated = Arrays.copyOf(bytes, length);
      assertThatThrownBy(() -> codec.decode(truncated))
          .as("cut to %d of %d bytes", length, bytes.length)
          .isInstanceOf(WireFormatException.class)
          .hasMessageStartingWith("Expected a single-object encoded StageReport (" + length + " bytes), but ");
    }
  }

  @Test
  void reportsAnEmptyBodyAsADecodingFailure() {
    byte[] headerOnly = Arrays.copyOf(codec.encode(report()), 10);

    assertThatThrownBy(() -> codec.decode(headerOnly))
        .isInstanceOf(WireFormatException.class)
        .hasMessage("Expected a single-object encoded StageReport (10 bytes), but AvroRuntimeException: "
            + "Decoding datum failed");
  }

  /**
   * Avro allocates a string from its length prefix before reading it: a corrupt prefix near 2 GiB
   * would throw OutOfMemoryError on most heaps instead of failing to decode.
   */
  @Test
  void refusesAStringLongerThanTheRecordBeforeAllocatingIt() {
    byte[] header = Arrays.copyOf(codec.encode(report()), 10);
    byte[] bytes = concat(header, zigzag(Integer.MAX_VALUE - 16L), new byte[] {1, 2, 3});

    assertThatThrownBy(() -> codec.decode(bytes))
        .isInstanceOf(WireFormatException.class)
        .hasMessage("Expected a single-object encoded StageReport (18 bytes), but SystemLimitException: "
            + "A string length of 2147483631 is more than the record's 8 bytes");
  }

  @Test
  void refusesACollectionLongerThanTheRecordBeforeAllocatingIt() {
    byte[] empty = codec.encode(StageReport.newBuilder(report()).setOutcome(new ReportFinished(Map.of())).build());
    // The last byte ends the empty outputs map; claim a billion entries there instead, then one.
    byte[] header = Arrays.copyOf(empty, empty.length - 1);
    byte[] bytes = concat(header, zigzag(1L << 30), new byte[] {2, 'k', 2, 'v', 0});

    assertThatThrownBy(() -> codec.decode(bytes))
        .isInstanceOf(WireFormatException.class)
        .hasMessageEndingWith("SystemLimitException: A collection length of 1073741824 is more than the record's "
            + (bytes.length - 10) + " bytes");
  }

  private static byte[] zigzag(long value) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    long bits = (value << 1) ^ (value >> 63);
    while ((bits & ~0x7FL) != 0) {
      out.write((int) ((bits & 0x7F) | 0x80));
      bits >>>= 7;
    }
    out.write((int) bits);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** As Avro's own single-object decoder did, which this codec must keep doing. */
  @Test
  void ignoresBytesAfterTheRecord() {
    byte[] bytes = codec.encode(report());
    byte[] withTrailer = Arrays.copyOf(bytes, bytes.length + 5);
    Arrays.fill(withTrailer, bytes.length, withTrailer.length, (byte) 0x7F);

    assertThat(codec.decode(withTrailer)).isEqualTo(report());
  }

  @Test
  void aFailedEncodeLeavesNothingBehindForTheNext() {
    StageReport incomplete = new StageReport();
    incomplete.setMissionId("m-1");

    assertThatThrownBy(() -> codec.encode(incomplete)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("StageReport.stage");
    assertThat(codec.decode(codec.encode(report()))).isEqualTo(report());
  }

  @Test
  void encodesARecordLargerThanTheRetainedBufferAndSmallOnesAfterIt() {
    AvroCodec<MissionState> states = AvroCodec.of(MissionState.class);
    MissionState large = SampleRecords.missionState(30_000);

    byte[] bytes = states.encode(large);

    assertThat(bytes.length).isGreaterThan(1 << 20);
    assertThat(states.decode(bytes)).isEqualTo(large);
    assertThat(codec.decode(codec.encode(report()))).isEqualTo(report());
  }

  @Test
  void encodesAndDecodesFromManyThreadsAtOnce() throws Exception {
    AvroCodec<MissionState> states = AvroCodec.of(MissionState.class);
    List<MissionState> samples = IntStream.rangeClosed(1, 40).mapToObj(SampleRecords::missionState).toList();
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> rounds = IntStream.range(0, 200)
          .mapToObj(i -> threads.submit(() -> {
            MissionState sample = samples.get(i % samples.size());
            return states.decode(states.encode(sample)).equals(sample);
          }))
          .toList();
      for (Future<Boolean> round : rounds) {
        assertThat(round.get()).isTrue();
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void componentTopicNamesAreChecked() {
    assertThat(TopicNames.DEFAULT.instructions("bigquery")).isEqualTo("groundcontrol.instructions.bigquery");
    assertThatThrownBy(() -> TopicNames.DEFAULT.instructions("Big Query!"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Big Query!'");
  }

  @Test
  void readsTellsWhetherTheBytesAreARecordOfItsType() {
    AvroCodec<StageReport> reports = AvroCodec.of(StageReport.class);
    AvroCodec<MissionState> states = AvroCodec.of(MissionState.class);
    byte[] report = reports.encode(SampleRecords.stageReport());

    assertThat(reports.reads(report)).isTrue();
    assertThat(states.reads(report)).isFalse();
    assertThat(reports.reads(Arrays.copyOf(report, 9))).isFalse();
    assertThat(reports.reads(null)).isFalse();
  }
}
