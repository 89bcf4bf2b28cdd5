package io.groundcontrol.schema.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.SystemLimitException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * A binary decoder that refuses a string, bytes or collection longer than the record it reads.
 * Avro allocates a string's or a collection's storage from its length prefix before reading it, and
 * allows lengths up to 2 GiB; so one corrupt record could otherwise throw {@link OutOfMemoryError}
 * instead of failing to decode. Every string and bytes value occupies its length, and every item of
 * a collection at least one byte, true of every item type in these schemas (none is {@code null}, an
 * empty record or a zero-size fixed); so a length beyond the record is never valid.
 */
final class BoundedDecoder extends Decoder {
  private final BinaryDecoder in;
  private final int limit;
  /** Reused for the strings read as {@link String}, as {@link BinaryDecoder} does. */
  private Utf8 scratch;

  BoundedDecoder(BinaryDecoder in, int limit) {
    this.in = in;
    this.limit = limit;
  }

  private int checked(long length, String what) {
    if (length < 0 || length > limit) {
      throw new SystemLimitException(what + " of " + length + " is more than the record's " + limit + " bytes");
    }
    return (int) length;
  }

  private long checkedCount(long count) {
    // A block given with its size in bytes has a negative count; Avro reads it as the absolute value.
    checked(Math.abs(count), "A collection length");
    return count;
  }

  @Override
  public Utf8 readString(Utf8 old) throws IOException {
    int length = checked(in.readLong(), "A string length");
    Utf8 result = old != null ? old : new Utf8();
    result.setByteLength(length);
    in.readFixed(result.getBytes(), 0, length);
    return result;
  }

  @Override
  public String readString() throws IOException {
    scratch = readString(scratch);
    return scratch.toString();
  }

  @Override
  public ByteBuffer readBytes(ByteBuffer old) throws IOException {
    int length = checked(in.readLong(), "A bytes length");
    ByteBuffer result = old != null && length <= old.capacity() ? old.clear() : ByteBuffer.allocate(length);
    in.readFixed(result.array(), result.position(), length);
    return result.limit(length);
  }

  @Override
  public long readArrayStart() throws IOException {
    return checkedCount(in.readArrayStart());
  }

  @Override
  public long arrayNext() throws IOException {
    return checkedCount(in.arrayNext());
  }

  @Override
  public long readMapStart() throws IOException {
    return checkedCount(in.readMapStart());
  }

  @Override
  public long mapNext() throws IOException {
    return checkedCount(in.mapNext());
  }

  // ---- the rest allocate nothing from what they read

  @Override
  public void readNull() throws IOException {
    in.readNull();
  }

  @Override
  public boolean readBoolean() throws IOException {
    return in.readBoolean();
  }

  @Override
  public int readInt() throws IOException {
    return in.readInt();
  }

  @Override
  public long readLong() throws IOException {
    return in.readLong();
  }

  @Override
  public float readFloat() throws IOException {
    return in.readFloat();
  }

  @Override
  public double readDouble() throws IOException {
    return in.readDouble();
  }

  @Override
  public void skipString() throws IOException {
    in.skipString();
  }

  @Override
  public void skipBytes() throws IOException {
    in.skipBytes();
  }

  @Override
  public void readFixed(byte[] bytes, int start, int length) throws IOException {
    in.readFixed(bytes, start, length);
  }

  @Override
  public void skipFixed(int length) throws IOException {
    in.skipFixed(length);
  }

  @Override
  public int readEnum() throws IOException {
    return in.readEnum();
  }

  @Override
  public long skipArray() throws IOException {
    return in.skipArray();
  }

  @Override
  public long skipMap() throws IOException {
    return in.skipMap();
  }

  @Override
  public int readIndex() throws IOException {
    return in.readIndex();
  }
}
