package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/** What a processor says of a record it cannot use: one line, as bad input. */
class InputChecksTest {
  @Test
  void aTombstoneIsBadInput() {
    assertThatThrownBy(() -> InputChecks.value(new Record<>("gpu", null, 0L)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("Expected a record with a value, but got a tombstone: no input is a delete");
  }

  @Test
  void aKeyThatIsNotTheIdInTheValueIsBadInputAndALongOneIsShownShort() {
    assertThatThrownBy(() -> InputChecks.key(null, "gpu", "the component in the value"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("Expected record key 'gpu' (the component in the value), but got none");
    assertThatThrownBy(() -> InputChecks.key("k".repeat(100_000), "gpu", "the component in the value"))
        .hasMessage("Expected record key 'gpu' (the component in the value), but got '" + "k".repeat(200)
            + "...' (100000 characters)");
    InputChecks.key("gpu", "gpu", "the component in the value");
  }

  @Test
  void aMissingKeyIsBadInput() {
    assertThatThrownBy(() -> InputChecks.present(null, "the schedule name"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("Expected a record key (the schedule name), but got none");
    assertThat(InputChecks.present("tick", "the schedule name")).isEqualTo("tick");
  }
}
