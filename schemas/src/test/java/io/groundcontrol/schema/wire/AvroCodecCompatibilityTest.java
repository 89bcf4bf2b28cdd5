package io.groundcontrol.schema.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.AdmissionEntry;
import io.groundcontrol.schema.AdmissionRequest;
import io.groundcontrol.schema.ApiKey;
import io.groundcontrol.schema.ComponentSettings;
import io.groundcontrol.schema.ComponentStatus;
import io.groundcontrol.schema.MissionAdmission;
import io.groundcontrol.schema.MissionAdmissionRequest;
import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionHeader;
import io.groundcontrol.schema.MissionState;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.ResultAnswer;
import io.groundcontrol.schema.ResultEntry;
import io.groundcontrol.schema.ResultRequest;
import io.groundcontrol.schema.Schedule;
import io.groundcontrol.schema.ScheduleCommand;
import io.groundcontrol.schema.ScheduleEvent;
import io.groundcontrol.schema.ScheduleState;
import io.groundcontrol.schema.SlotGrant;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.Trigger;
import io.groundcontrol.schema.TriggerBatchState;
import io.groundcontrol.schema.TriggerMatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.RandomData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link AvroCodec} once delegated to Avro's {@link BinaryMessageEncoder} and
 * {@link BinaryMessageDecoder}; it must stay byte for byte compatible with them, both for what it
 * writes and for what it reads.
 */
class AvroCodecCompatibilityTest {
  private static final int RANDOM_RECORDS_PER_TYPE = 200;
  private static final String HISTORY = "/io/groundcontrol/schema/history/";

  @ParameterizedTest
  @MethodSource("wireTypes")
  <T extends SpecificRecord> void encodesExactlyAsAvrosSingleObjectEncoder(Class<T> type) throws IOException {
    AvroCodec<T> codec = AvroCodec.of(type);
    BinaryMessageEncoder<T> avro = new BinaryMessageEncoder<>(SpecificData.getForClass(type), schemaOf(type));

    for (T record : randomRecords(type)) {
      assertThat(codec.encode(record)).as("%s", record).isEqualTo(bytesOf(avro.encode(record)));
    }
  }

  @ParameterizedTest
  @MethodSource("wireTypes")
  <T extends SpecificRecord> void decodesWhatAvrosSingleObjectEncoderWrote(Class<T> type) throws IOException {
    AvroCodec<T> codec = AvroCodec.of(type);
    BinaryMessageEncoder<T> avro = new BinaryMessageEncoder<>(SpecificData.getForClass(type), schemaOf(type));

    for (T record : randomRecords(type)) {
      assertThat(codec.decode(bytesOf(avro.encode(record)))).isEqualTo(record);
    }
  }

  @ParameterizedTest
  @MethodSource("olderReleaseFiles")
  void decodesEveryFileAnOlderReleaseWroteAsAvrosDecoderDoes(Path file) throws Exception {
    Class<? extends SpecificRecord> type = typeWritten(file);
    byte[] bytes = Files.readAllBytes(file);

    assertThat((Object) AvroCodec.of(type).decode(bytes)).isEqualTo(avroDecoder(type).decode(bytes));
  }

  static List<Class<? extends SpecificRecord>> wireTypes() {
    // Every record a topic or a store holds: the codec encodes them through the generated
    // customEncode (record.vm), which must write what Avro's generic path writes.
    return SchemaSet.WIRE_TYPES;
  }

  static Stream<Path> olderReleaseFiles() throws IOException, URISyntaxException {
    Path directory = Path.of(AvroCodecCompatibilityTest.class.getResource(HISTORY).toURI());
    List<Path> files;
    try (Stream<Path> listing = Files.list(directory)) {
      files = listing.filter(path -> path.toString().endsWith(".bin")).sorted().toList();
    }
    assertThat(files).as("binary files under " + HISTORY).isNotEmpty();
    return files.stream();
  }

  /** {@code MissionEvent-v1-01-MissionStarted.bin} was written as a MissionEvent. */
  static Class<? extends SpecificRecord> typeWritten(Path file) throws ClassNotFoundException {
    String name = file.getFileName().toString();
    return Class.forName("io.groundcontrol.schema." + name.substring(0, name.indexOf('-')))
        .asSubclass(SpecificRecord.class);
  }

  private static <T extends SpecificRecord> BinaryMessageDecoder<T> avroDecoder(Class<T> type) {
    BinaryMessageDecoder<T> decoder = new BinaryMessageDecoder<>(SpecificData.getForClass(type), schemaOf(type));
    SchemaHistory.of(type).forEach(decoder::addSchema);
    return decoder;
  }

  /**
   * Random records covering every union branch, generated as generic records and read back as
   * {@code type}, so that logical types arrive as the generated classes hold them.
   */
  static <T extends SpecificRecord> List<T> randomRecords(Class<T> type) throws IOException {
    Schema schema = schemaOf(type);
    GenericDatumWriter<Object> genericWriter = new GenericDatumWriter<>(schema, GenericData.get());
    SpecificDatumReader<T> specificReader = new SpecificDatumReader<>(schema, schema, SpecificData.getForClass(type));
    List<T> records = new ArrayList<>();
    for (Object generic : new RandomData(schema, RANDOM_RECORDS_PER_TYPE, 42L)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
      genericWriter.write(generic, encoder);
      encoder.flush();
      records.add(specificReader.read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null)));
    }
    return records;
  }

  private static Schema schemaOf(Class<? extends SpecificRecord> type) {
    return SpecificData.get().getSchema(type);
  }

  static byte[] bytesOf(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }
}
