package io.groundcontrol.schema.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/** The cases the released sets do not hold yet: what an older version cannot take. */
class OlderVersionTest {
  private static final Schema CURRENT = new Schema.Parser().parse("""
      {"type": "record", "name": "Job", "namespace": "t", "fields": [
        {"name": "id", "type": "string"},
        {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["QUEUED", "RUNNING", "PAUSED"]}},
        {"name": "limit", "type": ["null", "string", "long"], "default": null},
        {"name": "steps", "type": {"type": "array", "items": {"type": "record", "name": "Step", "fields": [
          {"name": "name", "type": "string"}, {"name": "weight", "type": "int", "default": 1}]}}},
        {"name": "tags", "type": {"type": "map", "values": "Step"}, "default": {}}]}""");
  private static final Schema OLDER = new Schema.Parser().parse("""
      {"type": "record", "name": "Job", "namespace": "t", "fields": [
        {"name": "id", "type": "string"},
        {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["QUEUED", "RUNNING"]}},
        {"name": "limit", "type": ["null", "string"], "default": null},
        {"name": "steps", "type": {"type": "array", "items": {"type": "record", "name": "Step", "fields": [
          {"name": "name", "type": "string"}]}}},
        {"name": "tags", "type": {"type": "map", "values": "Step"}, "default": {}}]}""");
  private static final Schema STEP = CURRENT.getField("steps").schema().getElementType();

  @Test
  void fieldsAreMatchedByNameThroughArraysAndMapsAndTheOnesTheOlderVersionLacksAreDropped() throws IOException {
    OlderVersion older = OlderVersion.of(CURRENT, OLDER, 1);

    GenericRecord read = readAsOlder(older.encode(encoded(job("RUNNING", "10"))));

    assertThat(read.toString()).isEqualTo("{\"id\": \"j-1\", \"status\": \"RUNNING\", \"limit\": \"10\", "
        + "\"steps\": [{\"name\": \"load\"}], \"tags\": {\"a\": {\"name\": \"tag\"}}}");
    assertThat(older.dropped()).containsExactly("Job.steps[].weight");
  }

  @Test
  void theOlderFingerprintIsWritten() throws IOException {
    byte[] written = OlderVersion.of(CURRENT, OLDER, 1).encode(encoded(job("QUEUED", null)));

    assertThat(java.nio.ByteBuffer.wrap(written, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong())
        .isEqualTo(SchemaNormalization.parsingFingerprint64(OLDER));
  }

  @Test
  void anEnumSymbolTheOlderVersionLacksIsRefusedNotWrittenAsAnother() {
    OlderVersion older = OlderVersion.of(CURRENT, OLDER, 1);

    assertThatThrownBy(() -> older.encode(encoded(job("PAUSED", null)))).isInstanceOf(AvroTypeException.class)
        .hasMessageContaining("PAUSED");
  }

  @Test
  void aUnionBranchTheOlderVersionLacksIsRefused() {
    OlderVersion older = OlderVersion.of(CURRENT, OLDER, 1);

    assertThatThrownBy(() -> older.encode(encoded(job("QUEUED", 10L)))).isInstanceOf(AvroTypeException.class);
  }

  @Test
  void anOlderFieldWithoutADefaultThatTheCurrentVersionLacksIsRefusedForTheWholeType() {
    Schema olderWithOwnField = new Schema.Parser().parse("""
        {"type": "record", "name": "Job", "namespace": "t", "fields": [
          {"name": "id", "type": "string"}, {"name": "owner", "type": "string"}]}""");

    assertThatThrownBy(() -> OlderVersion.of(CURRENT, olderWithOwnField, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot write Job as its version 1: ")
        .hasMessageContaining("owner");
  }

  private static GenericRecord job(String status, Object limit) {
    GenericRecord step = new GenericRecordBuilder(STEP).set("name", "load").set("weight", 3).build();
    GenericRecord tag = new GenericRecordBuilder(STEP).set("name", "tag").build();
    return new GenericRecordBuilder(CURRENT).set("id", "j-1")
        .set("status", new GenericData.EnumSymbol(CURRENT.getField("status").schema(), status))
        .set("limit", limit).set("steps", List.of(step)).set("tags", Map.of("a", tag)).build();
  }

  /** As AvroCodec writes it: marker, fingerprint, body. */
  private static byte[] encoded(GenericRecord record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(AvroCodec.header(SchemaNormalization.parsingFingerprint64(CURRENT)));
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<>(CURRENT, GenericData.get()).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  private static GenericRecord readAsOlder(byte[] bytes) throws IOException {
    return new GenericDatumReader<GenericRecord>(OLDER, OLDER, GenericData.get())
        .read(null, DecoderFactory.get().binaryDecoder(bytes, 10, bytes.length - 10, null));
  }
}
