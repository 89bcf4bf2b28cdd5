package io.groundcontrol.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IndexKeysTest {
  @Test
  void aStartTimeIsSixteenHexDigitsOfItsInverseAsFormatWouldWriteThem() {
    Random random = new Random(7);
    long[] edges = {0, 1, 15, 16, 1_700_000_000_000L, Long.MAX_VALUE - 1, Long.MAX_VALUE};
    for (long millis : edges) {
      assertEquals(String.format("%016x", Long.MAX_VALUE - millis), IndexKeys.inverted(Instant.ofEpochMilli(millis)));
    }
    for (int i = 0; i < 10_000; i++) {
      long millis = random.nextLong() & Long.MAX_VALUE;
      assertEquals(String.format("%016x", Long.MAX_VALUE - millis), IndexKeys.inverted(Instant.ofEpochMilli(millis)));
    }
  }

  @Test
  void aStartBeforeTheEpochSortsAsTheEpochItself() {
    assertEquals(IndexKeys.inverted(Instant.EPOCH), IndexKeys.inverted(Instant.ofEpochMilli(-5)));
  }

  @Test
  void laterStartsSortFirst() {
    Random random = new Random(11);
    for (int i = 0; i < 10_000; i++) {
      long earlier = random.nextLong(0, 4_000_000_000_000L);
      long later = earlier + 1 + random.nextLong(0, 1_000_000_000L);
      assertTrue(IndexKeys.inverted(Instant.ofEpochMilli(later)).compareTo(IndexKeys.inverted(Instant.ofEpochMilli(earlier))) < 0,
          later + " should sort before " + earlier);
    }
  }
}
