package io.groundcontrol.schema.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.ScheduleCommand;
import io.groundcontrol.schema.TriggerSchedule;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WrittenSchemasTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ScheduleCommand FIRE_NOW = new ScheduleCommand("nightly",
      new Actor(ActorKind.USER, "ana", null), Instant.parse("2026-12-07T10:00:00Z"), new TriggerSchedule(Map.of(), 42));
  private final List<String> keptCurrent = new CopyOnWriteArrayList<>();

  @AfterEach
  void writeCurrentAgain() {
    WrittenSchemas.writeCurrent();
  }

  /** Every record type in every older released set whose version differs from this build's. */
  static Stream<Arguments> olderVersions() {
    List<Arguments> pairs = new ArrayList<>();
    for (ReleasedSchemaSets.Release release : ReleasedSchemaSets.all()) {
      for (Class<? extends SpecificRecord> type : SchemaSet.WIRE_TYPES) {
        if (release.versionOf(type) != SchemaHistory.of(type).size()) {
          pairs.add(Arguments.of(release.set().id(), type));
        }
      }
    }
    return pairs.stream();
  }

  @ParameterizedTest(name = "{1} as set {0} has it")
  @MethodSource("olderVersions")
  <T extends SpecificRecord> void anOlderBuildReadsEveryFieldItKnowsWithTheValueWritten(String set, Class<T> type)
      throws IOException {
    ReleasedSchemaSets.Release release = ReleasedSchemaSets.find(new SchemaSet(set)).orElseThrow();
    Schema older = release.schemaOf(type).orElseThrow();
    Schema current = SpecificData.get().getSchema(type);
    AvroCodec<T> codec = AvroCodec.of(type);
    BinaryMessageEncoder<T> avro = new BinaryMessageEncoder<>(SpecificData.getForClass(type), current);
    List<WrittenSchemas.Change> changes = WrittenSchemas.writeAs(release.set(), (t, why) -> keptCurrent.add(why));
    List<String> droppedNames = changes.stream().filter(change -> change.type() == type).findFirst().orElseThrow()
        .dropped().stream().map(path -> path.substring(path.lastIndexOf('.') + 1)).toList();

    for (T record : AvroCodecCompatibilityTest.randomRecords(type)) {
      byte[] written = codec.encode(record);
      byte[] asCurrent = AvroCodecCompatibilityTest.bytesOf(avro.encode(record));

      assertThat(fingerprintOf(written)).as("the fingerprint written").isEqualTo(SchemaNormalization.parsingFingerprint64(older));
      JsonNode readByOlderBuild = json(decode(written, older));
      JsonNode sent = json(decode(asCurrent, current));
      List<String> lost = new ArrayList<>();
      assertThat(readByOlderBuild).as("%s read by the older build", record)
          .isEqualTo(keepingFieldsOf(readByOlderBuild, sent, current.getName(), lost));
      assertThat(droppedNames).as("the fields said to be dropped").containsAll(lost.stream().distinct().toList());
      assertThat(codec.decode(written)).as("read back by this build").isNotNull();
    }
    assertThat(keptCurrent).isEmpty();
  }

  @Test
  void aFireNowsPriorityIsDroppedForABuildWithoutOne() {
    SchemaSet withoutPriority = new SchemaSet("cc44c3b4");
    AvroCodec<ScheduleCommand> codec = AvroCodec.of(ScheduleCommand.class);
    ScheduleCommand fire = FIRE_NOW;

    List<WrittenSchemas.Change> changes = WrittenSchemas.writeAs(withoutPriority, (t, why) -> keptCurrent.add(why));
    byte[] written = codec.encode(fire);

    assertThat(changes).extracting(WrittenSchemas.Change::described)
        .containsExactly("ScheduleCommand v1 for v2, without ScheduleCommand.command(TriggerSchedule).priority");
    assertThat(WrittenSchemas.written()).isEqualTo(withoutPriority);
    assertThat(fingerprintOf(written))
        .isEqualTo(SchemaNormalization.parsingFingerprint64(SchemaHistory.of(ScheduleCommand.class).get(0)));
    assertThat(((TriggerSchedule) codec.decode(written).getCommand()).getPriority()).isNull();
    assertThat(codec.decode(written).getSchedule()).isEqualTo("nightly");
  }

  @Test
  void thisBuildsOwnSetWritesWhatItAlwaysDid() {
    AvroCodec<ScheduleCommand> codec = AvroCodec.of(ScheduleCommand.class);
    ScheduleCommand fire = FIRE_NOW;
    byte[] before = codec.encode(fire);

    assertThat(WrittenSchemas.writeAs(SchemaSet.current(), (t, why) -> keptCurrent.add(why))).isEmpty();
    assertThat(codec.encode(fire)).isEqualTo(before);
    assertThat(WrittenSchemas.written()).isEqualTo(SchemaSet.current());
  }

  @Test
  void writingCurrentAgainEndsTheOlderVersions() {
    AvroCodec<ScheduleCommand> codec = AvroCodec.of(ScheduleCommand.class);
    ScheduleCommand fire = FIRE_NOW;
    WrittenSchemas.writeAs(new SchemaSet("cc44c3b4"), (t, why) -> keptCurrent.add(why));

    WrittenSchemas.writeCurrent();

    assertThat(fingerprintOf(codec.encode(fire))).isEqualTo(SchemaNormalization.parsingFingerprint64(fire.getSchema()));
    assertThat(WrittenSchemas.written()).isEqualTo(SchemaSet.current());
  }

  @Test
  void aSetFromBeforeTheTableIsRefusedInOneLine() {
    assertThatThrownBy(() -> WrittenSchemas.writeAs(new SchemaSet("0badcafe"), (t, why) -> keptCurrent.add(why)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("This build does not know the record schemas 0badcafe: it can write those of "
            + ReleasedSchemaSets.ids() + " (its own, " + SchemaSet.current().id() + ", last); builds from before "
            + "2026-12-07 name none, and an upgrade from one stops every instance first (README, \"Upgrading\")");
    assertThat(WrittenSchemas.written()).isEqualTo(SchemaSet.current());
  }

  private static long fingerprintOf(byte[] bytes) {
    return ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  /** The record as a build that knows only {@code schema} reads it. */
  private static Object decode(byte[] bytes, Schema schema) throws IOException {
    return new GenericDatumReader<>(schema, schema, GenericData.get())
        .read(null, DecoderFactory.get().binaryDecoder(bytes, 10, bytes.length - 10, null));
  }

  private static JsonNode json(Object generic) throws IOException {
    return JSON.readTree(GenericData.get().toString(generic));
  }

  /**
   * {@code sent} without the object fields {@code read} lacks, recursively, each named in
   * {@code lost}: what the older build should read if nothing but dropped fields went missing.
   */
  private static JsonNode keepingFieldsOf(JsonNode read, JsonNode sent, String path, List<String> lost) {
    if (read.isObject() && sent.isObject()) {
      ObjectNode kept = JSON.createObjectNode();
      for (Iterator<Map.Entry<String, JsonNode>> fields = sent.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (read.has(field.getKey())) {
          kept.set(field.getKey(), keepingFieldsOf(read.get(field.getKey()), field.getValue(), path, lost));
        } else {
          lost.add(field.getKey());
        }
      }
      return kept;
    }
    if (read.isArray() && sent.isArray() && read.size() == sent.size()) {
      ArrayNode kept = JSON.createArrayNode();
      for (int i = 0; i < sent.size(); i++) {
        kept.add(keepingFieldsOf(read.get(i), sent.get(i), path, lost));
      }
      return kept;
    }
    return sent;
  }
}
