package io.groundcontrol.schema.wire;

import java.io.OutputStream;
import java.util.Arrays;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * One growable byte buffer and binary encoder per thread, so that encoding a record allocates
 * only its result. Unsynchronized: an instance never leaves its thread.
 */
final class EncodeBuffer extends OutputStream {
  private static final int INITIAL_CAPACITY = 512;
  /** Larger buffers are dropped after use, so a rare huge record does not pin memory in every thread. */
  private static final int MAX_RETAINED_CAPACITY = 1 << 20;
  private static final ThreadLocal<EncodeBuffer> PER_THREAD = ThreadLocal.withInitial(EncodeBuffer::new);

  private byte[] bytes = new byte[INITIAL_CAPACITY];
  private int length;
  private BinaryEncoder encoder;

  private EncodeBuffer() {}

  /** This thread's buffer, emptied. */
  static EncodeBuffer forCurrentThread() {
    EncodeBuffer buffer = PER_THREAD.get();
    buffer.length = 0;
    return buffer;
  }

  /**
   * An encoder appending to this buffer. It writes straight through, so a failed encode leaves
   * nothing behind to leak into the next one.
   */
  BinaryEncoder encoder() {
    encoder = EncoderFactory.get().directBinaryEncoder(this, encoder);
    return encoder;
  }

  /** A copy of the bytes written since {@link #forCurrentThread()}. */
  byte[] toByteArray() {
    byte[] result = Arrays.copyOf(bytes, length);
    if (bytes.length > MAX_RETAINED_CAPACITY) {
      bytes = new byte[INITIAL_CAPACITY];
    }
    return result;
  }

  @Override
  public void write(int b) {
    ensureCapacity(length + 1);
    bytes[length++] = (byte) b;
  }

  @Override
  public void write(byte[] source, int offset, int count) {
    ensureCapacity(length + count);
    System.arraycopy(source, offset, bytes, length, count);
    length += count;
  }

  private void ensureCapacity(int needed) {
    if (needed > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length * 2));
    }
  }
}
