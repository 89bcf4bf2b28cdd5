package io.groundcontrol.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class StageCaptionTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode stage(String json) throws Exception {
    return JSON.readTree(json);
  }

  @Test
  void aFannedOutStageIsSummarisedByItsChunks() throws Exception {
    JsonNode score = stage("""
        {"name": "score", "status": "RUNNING", "attempt": 1,
         "chunks": {"total": 1000, "done": 412, "running": 20, "failed": 1, "queued": 567}}""");

    assertThat(StageCaption.of(score)).isEqualTo("412/1000 chunks, 1 failed");
  }

  @Test
  void noFailedChunksAreLeftUnsaid() throws Exception {
    JsonNode score = stage("""
        {"name": "score", "status": "FINISHED", "attempt": 1,
         "chunks": {"total": 1000, "done": 1000, "running": 0, "failed": 0, "queued": 0}}""");

    assertThat(StageCaption.of(score)).isEqualTo("1000/1000 chunks");
  }

  @Test
  void aPlainStageShowsItsAttemptAfterTheFirst() throws Exception {
    assertThat(StageCaption.of(stage("{\"status\": \"RUNNING\", \"attempt\": 1}"))).isEqualTo("RUNNING");
    assertThat(StageCaption.of(stage("{\"status\": \"RUNNING\", \"attempt\": 3}"))).isEqualTo("RUNNING · attempt 3");
  }
}
