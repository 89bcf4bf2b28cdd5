package io.groundcontrol.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.groundcontrol.query.StageDocument;

/** The second line of a stage's box in the mission's DAG, from the stage as the API returns it. */
final class StageCaption {
  private StageCaption() {}

  /**
   * For a stage fanned out in chunks, how many are done of all and how many failed
   * ({@code 412/1000 chunks, 1 failed}: the box's colour already gives the status, and the line has
   * room for about 26 characters); otherwise the status, and the attempt when it is not the first.
   */
  static String of(JsonNode stage) {
    JsonNode chunks = stage.path("chunks");
    if (chunks.isObject()) {
      int failed = chunks.path("failed").asInt();
      return chunks.path("done").asInt() + "/" + chunks.path("total").asInt() + " chunks"
          + (failed > 0 ? ", " + failed + " failed" : "");
    }
    int attempt = stage.path("attempt").asInt();
    return stage.path("status").asText() + (attempt > 1 ? " · attempt " + attempt : "");
  }

  /**
   * For a stage fanned out in chunks, where they all stand, as {@code mission show} says it
   * ({@code chunks: 0/12 done, 2 running, 6 waiting for a slot, 0 failed, 4 queued}); else null.
   */
  static String chunks(JsonNode stage) {
    JsonNode chunks = stage.path("chunks");
    if (!chunks.isObject()) {
      return null;
    }
    return "chunks: " + new StageDocument.ChunkSummary(chunks.path("total").asInt(), chunks.path("done").asInt(),
        chunks.path("running").asInt(), chunks.path("waitingForSlot").asInt(), chunks.path("failed").asInt(),
        chunks.path("queued").asInt(), chunks.path("cancelled").asInt()).describe();
  }
}
