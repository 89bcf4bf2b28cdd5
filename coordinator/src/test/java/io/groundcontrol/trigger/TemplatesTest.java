package io.groundcontrol.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Rendering a trigger's params and key against an event. */
class TemplatesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Triggers stored before nested params were checked may hold other references: they stay as written. */
  @Test
  void aReferenceThatNamesNoEventFieldStaysAsWrittenAtAnyDepth() throws Exception {
    JsonNode event = JSON.readTree("{\"day\": \"2026-12-01\"}");
    JsonNode params = JSON.readTree(
        "{\"cfg\": {\"cmd\": \"echo ${HOME}\", \"date\": \"${params.date}\", \"day\": \"${event.day}\"}, \"whole\": \"${x}\"}");

    JsonNode filled = Templates.fill(params, event);

    assertThat(filled.toString()).isEqualTo(
        "{\"cfg\":{\"cmd\":\"echo ${HOME}\",\"date\":\"${params.date}\",\"day\":\"2026-12-01\"},\"whole\":\"${x}\"}");
    assertThat(Templates.render("run-${HOME}-${event.day}", event)).isEqualTo("run-${HOME}-2026-12-01");
  }
}
