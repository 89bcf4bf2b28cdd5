package io.groundcontrol.coordinator;

import io.groundcontrol.schema.MissionHeader;
import io.groundcontrol.schema.MissionState;
import io.groundcontrol.schema.StoredStage;
import io.groundcontrol.schema.wire.AvroCodec;
import io.groundcontrol.schema.wire.WireFormatException;
import java.util.List;
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

  private final AvroCodec<MissionHeader> headers = AvroCodec.of(MissionHeader.class);
  private final AvroCodec<StoredStage> stages = AvroCodec.of(StoredStage.class);
  private final AvroCodec<MissionState> legacy = AvroCodec.of(MissionState.class);
  private final List<AvroCodec<? extends SpecificRecord>> codecs = List.of(headers, stages, legacy);

  private MissionStoreSerde() {}

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
   * Decodes a stored value into the record its schema fingerprint names.
   *
   * @throws WireFormatException if the bytes are none of the missions store's records
   */
  public SpecificRecord decode(byte[] bytes) {
    for (AvroCodec<? extends SpecificRecord> codec : codecs) {
      if (codec.reads(bytes)) {
        return codec.decode(bytes);
      }
    }
    try {
      return headers.decode(bytes);
    } catch (WireFormatException e) {
      throw new WireFormatException("Expected a missions store value (a MissionHeader, StoredStage or MissionState), "
          + "but none of their schemas reads it: " + e.getMessage(), e);
    }
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
