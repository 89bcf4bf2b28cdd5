package io.groundcontrol.coordinator;

import io.groundcontrol.schema.MissionHeader;
import io.groundcontrol.schema.MissionState;
import io.groundcontrol.schema.StoredStage;
import io.groundcontrol.schema.wire.AvroCodec;
import io.groundcontrol.schema.wire.SchemaHistory;
import io.groundcontrol.schema.wire.WireFormatException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The values of the missions store: a {@link MissionHeader} under a mission id, a
 * {@link StoredStage} under a stage key, and, read only, the whole-mission {@link MissionState}
 * that older releases stored. Each is single-object encoded, so the value's schema fingerprint says
 * which record it is; no wrapper is needed.
 */
public final class MissionStoreSerde implements Serde<SpecificRecord> {
  /** The one instance; it is stateless. */
  public static final MissionStoreSerde INSTANCE = new MissionStoreSerde();

  private static final int FINGERPRINT_OFFSET = 2;
  private static final int HEADER_LENGTH = 10;

  private final AvroCodec<MissionHeader> headers = AvroCodec.of(MissionHeader.class);
  private final AvroCodec<StoredStage> stages = AvroCodec.of(StoredStage.class);
  private final AvroCodec<MissionState> legacy = AvroCodec.of(MissionState.class);
  private final Map<Long, AvroCodec<?>> byFingerprint = new HashMap<>();

  private MissionStoreSerde() {
    register(headers);
    register(stages);
    register(legacy);
  }

  private void register(AvroCodec<?> codec) {
    Schema current = SpecificData.get().getSchema(codec.type());
    byFingerprint.put(SchemaNormalization.parsingFingerprint64(current), codec);
    for (Schema older : SchemaHistory.of(codec.type())) {
      byFingerprint.put(SchemaNormalization.parsingFingerprint64(older), codec);
    }
  }

  /** Encodes a header or a stage (or a whole mission, as older releases stored it). */
  public byte[] encode(SpecificRecord value) {
    if (value instanceof MissionHeader header) {
      return headers.encode(header);
    }
    if (value instanceof StoredStage stage) {
      return stages.encode(stage);
    }
    if (value instanceof MissionState whole) {
      return legacy.encode(whole);
    }
    throw new IllegalArgumentException("Expected a MissionHeader or a StoredStage for the missions store, but got "
        + (value == null ? "null" : value.getClass().getName()));
  }

  /**
   * Decodes a stored value into the record its fingerprint names.
   *
   * @throws WireFormatException if the bytes are none of the missions store's records
   */
  public SpecificRecord decode(byte[] bytes) {
    if (bytes == null || bytes.length < HEADER_LENGTH) {
      throw new WireFormatException("Expected a missions store value (a MissionHeader, StoredStage or MissionState), but got "
          + (bytes == null ? "null" : bytes.length + " bytes"));
    }
    if (bytes[0] != (byte) 0xC3 || bytes[1] != (byte) 0x01) {
      throw new WireFormatException(String.format(
          "Expected a single-object encoded missions store value starting C3 01, but it starts %02X %02X",
          bytes[0], bytes[1]));
    }
    AvroCodec<?> codec = byFingerprint.get(fingerprint(bytes));
    if (codec == null) {
      throw new WireFormatException("Expected a missions store value of one of " + List.of("MissionHeader", "StoredStage",
          "MissionState") + ", but its schema fingerprint is " + Long.toHexString(fingerprint(bytes)));
    }
    return codec.decode(bytes);
  }

  private static long fingerprint(byte[] bytes) {
    long value = 0;
    for (int i = HEADER_LENGTH - 1; i >= FINGERPRINT_OFFSET; i--) {
      value = (value << 8) | (bytes[i] & 0xFF);
    }
    return value;
  }

  @Override
  public Serializer<SpecificRecord> serializer() {
    return (topic, value) -> value == null ? null : encode(value);
  }

  @Override
  public Deserializer<SpecificRecord> deserializer() {
    return (topic, bytes) -> bytes == null ? null : decode(bytes);
  }
}
