package io.groundcontrol.schema.wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Encodes and decodes one generated Avro record type with Avro single-object encoding: two marker
 * bytes {@code C3 01}, the 8-byte little-endian CRC-64-AVRO fingerprint of the writer schema, then
 * the Avro binary body. No schema registry is needed: a reader knows every schema version it can
 * read, registered with {@link #withOlderSchema(Schema)}.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param <T> the generated record type
 */
public final class AvroCodec<T extends SpecificRecord> {
  private final Class<T> type;
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;

  private AvroCodec(Class<T> type, BinaryMessageDecoder<T> decoder) {
    this.type = type;
    Schema schema = SpecificData.get().getSchema(type);
    this.encoder = new BinaryMessageEncoder<>(SpecificData.getForClass(type), schema);
    this.decoder = decoder;
  }

  /**
   * A codec for {@code type}, writing its current schema and reading the current one and every
   * older version recorded in its {@link SchemaHistory}.
   */
  public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type) {
    Objects.requireNonNull(type, "type");
    Schema schema = SpecificData.get().getSchema(type);
    AvroCodec<T> codec = new AvroCodec<>(type, new BinaryMessageDecoder<>(SpecificData.getForClass(type), schema));
    SchemaHistory.of(type).forEach(codec::withOlderSchema);
    return codec;
  }

  /**
   * Also accept records written with an older writer schema, resolved to the current one by Avro's
   * schema resolution rules. Returns this codec, for chaining.
   */
  public AvroCodec<T> withOlderSchema(Schema writerSchema) {
    decoder.addSchema(Objects.requireNonNull(writerSchema, "writerSchema"));
    return this;
  }

  /** The record type this codec handles. */
  public Class<T> type() {
    return type;
  }

  /** Encodes {@code record}; never returns null. */
  public byte[] encode(T record) {
    try {
      ByteBuffer buffer = encoder.encode(record);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not encode " + type.getSimpleName(), e);
    }
  }

  /**
   * Decodes {@code bytes}.
   *
   * @throws WireFormatException if the bytes are not a single-object encoded record of a known
   *     schema version of this type, with the reason
   */
  public T decode(byte[] bytes) {
    if (bytes == null) {
      throw new WireFormatException("Expected a " + type.getSimpleName() + " record, but the value is null");
    }
    try {
      return decoder.decode(bytes);
    } catch (IOException | RuntimeException e) {
      throw new WireFormatException(
          "Expected a single-object encoded " + type.getSimpleName() + " (" + bytes.length + " bytes), but "
              + describe(e), e);
    }
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
