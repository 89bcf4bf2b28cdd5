package io.groundcontrol.schema.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.ResolvingDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated records' own coders, written by the project's copy of Avro's code template
 * ({@code schemas/src/main/avro-templates/record.vm}), which also generates them for
 * {@code timestamp-millis} fields and unions of records. {@link AvroCodec} encodes through them;
 * {@link AvroCodecCompatibilityTest} checks that they write what Avro's generic writer writes.
 */
class GeneratedCodersTest {
  private static final int HEADER_LENGTH = 10;

  @ParameterizedTest
  @MethodSource("io.groundcontrol.schema.wire.AvroCodecCompatibilityTest#wireTypes")
  void everyRecordAWireTypeHoldsHasGeneratedCoders(Class<? extends SpecificRecord> type) throws Exception {
    for (Schema record : recordsIn(SpecificData.get().getSchema(type))) {
      Class<?> generated = Class.forName(record.getFullName());
      assertThat(declaresCustomEncode(generated))
          .as("%s (in %s) has no generated customEncode: record.vm's gcCheckCodable refuses one of its fields, "
              + "so the codec would encode it through Avro's generic writer, 2-3 times slower", record.getFullName(),
              type.getSimpleName())
          .isTrue();
    }
  }

  @ParameterizedTest
  @MethodSource("io.groundcontrol.schema.wire.AvroCodecCompatibilityTest#wireTypes")
  <T extends SpecificRecord> void generatedDecodersReadWhatAvrosGenericWriterWrote(Class<T> type) throws Exception {
    Schema schema = SpecificData.get().getSchema(type);
    BinaryMessageEncoder<T> avro = new BinaryMessageEncoder<>(SpecificData.getForClass(type), schema);

    for (T expected : AvroCodecCompatibilityTest.randomRecords(type)) {
      byte[] bytes = AvroCodecCompatibilityTest.bytesOf(avro.encode(expected));

      assertThat(decodeGenerated(type, schema, bytes, HEADER_LENGTH)).as("%s", expected).isEqualTo(expected);
    }
  }

  @ParameterizedTest
  @MethodSource("io.groundcontrol.schema.wire.AvroCodecCompatibilityTest#olderReleaseFiles")
  void generatedDecodersResolveEveryFileAnOlderReleaseWrote(Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    Class<? extends SpecificRecord> type = AvroCodecCompatibilityTest.typeWritten(file);
    Schema writer = writerSchema(type, ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong());

    assertThat((Object) decodeGenerated(type, writer, bytes, HEADER_LENGTH))
        .isEqualTo(AvroCodec.of(type).decode(bytes));
  }

  private static <T extends SpecificRecord> T decodeGenerated(Class<T> type, Schema writer, byte[] bytes, int offset)
      throws Exception {
    T record = type.getDeclaredConstructor().newInstance();
    ResolvingDecoder in = DecoderFactory.get().resolvingDecoder(writer, SpecificData.get().getSchema(type),
        DecoderFactory.get().binaryDecoder(bytes, offset, bytes.length - offset, null));
    ((SpecificRecordBase) record).customDecode(in);
    return record;
  }

  private static Schema writerSchema(Class<? extends SpecificRecord> type, long fingerprint) {
    List<Schema> versions = new ArrayList<>(SchemaHistory.of(type));
    versions.add(SpecificData.get().getSchema(type));
    return versions.stream()
        .filter(schema -> SchemaNormalization.parsingFingerprint64(schema) == fingerprint)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no schema of " + type.getSimpleName() + " has fingerprint " + fingerprint));
  }

  private static boolean declaresCustomEncode(Class<?> generated) {
    try {
      generated.getDeclaredMethod("customEncode", Encoder.class);
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  /** {@code schema} if a record, and every record its fields, items, values and branches hold. */
  private static Set<Schema> recordsIn(Schema schema) {
    Set<Schema> records = new LinkedHashSet<>();
    collect(schema, records);
    return records;
  }

  private static void collect(Schema schema, Set<Schema> records) {
    switch (schema.getType()) {
      case RECORD -> {
        if (records.add(schema)) {
          schema.getFields().forEach(field -> collect(field.schema(), records));
        }
      }
      case ARRAY -> collect(schema.getElementType(), records);
      case MAP -> collect(schema.getValueType(), records);
      case UNION -> schema.getTypes().forEach(branch -> collect(branch, records));
      default -> { }
    }
  }
}
