package io.groundcontrol.schema.wire;

import java.util.Objects;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.avro.specific.SpecificRecord;

/**
 * The Kafka side of the wire format: a {@link Serde} over an {@link AvroCodec}. This is the one
 * seam through which every Groundcontrol record is encoded, so another wire format (a schema
 * registry, say) replaces this class and nothing else.
 *
 * <p>Deserializing a malformed value throws {@link WireFormatException}; a null value (a tombstone)
 * deserializes to null.
 *
 * @param <T> the generated record type
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {
  private final AvroCodec<T> codec;

  private AvroSerde(AvroCodec<T> codec) {
    this.codec = codec;
  }

  /** A serde for {@code type} in single-object encoding. */
  public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
    return new AvroSerde<>(AvroCodec.of(type));
  }

  /** A serde over an existing codec, e.g. one that also reads older schema versions. */
  public static <T extends SpecificRecord> AvroSerde<T> of(AvroCodec<T> codec) {
    return new AvroSerde<>(Objects.requireNonNull(codec, "codec"));
  }

  /** The codec behind this serde. */
  public AvroCodec<T> codec() {
    return codec;
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, record) -> record == null ? null : codec.encode(record);
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> bytes == null ? null : codec.decode(bytes);
  }
}
