package io.groundcontrol.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groundcontrol.schema.ComponentSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComponentFilesTest {
  private static List<String> problems(String yaml) {
    try {
      ComponentFiles.parse(yaml, "components.yaml");
    } catch (ComponentFiles.InvalidComponentsException e) {
      return e.problems();
    }
    throw new AssertionError("expected problems in " + yaml);
  }

  @Test
  void readsCapsAndWeights() {
    List<ComponentSettings> settings = ComponentFiles.parse("""
        bigquery:
          max_running: 15
          weights: { nightly-scoring: 3 }
        spark: {}
        mail:
        """, "components.yaml");

    assertThat(settings).containsExactly(
        new ComponentSettings("bigquery", 15, Map.of("nightly-scoring", 3)),
        new ComponentSettings("spark", null, Map.of()),
        new ComponentSettings("mail", null, Map.of()));
  }

  @Test
  void reportsEveryProblemWithFileComponentAndField() {
    assertThat(problems("""
        bigquery:
          max_running: fifteen
          wieghts: {}
        Big Query: { max_running: 2 }
        spark:
          max_running: -1
          weights: { nightly: 0, Bad Plan: 2, adhoc: 720721 }
        """)).containsExactly(
            "components.yaml: component 'bigquery', field 'wieghts': unknown field; did you mean 'weights'? (known: max_running, weights)",
            "components.yaml: component 'bigquery', field 'max_running': expected a whole number of at least 0, but got \"fifteen\"",
            "components.yaml: component 'Big Query': invalid component name 'Big Query': use lower-case letters, digits, '.', '_' and '-', starting with a letter or digit, at most 100 characters",
            "components.yaml: component 'spark', field 'max_running': expected a whole number of at least 0, but got -1",
            "components.yaml: component 'spark', field 'weights.nightly': expected a whole number from 1 to 10000, but got 0",
            "components.yaml: component 'spark', field 'weights.Bad Plan': invalid plan name 'Bad Plan': use lower-case letters, digits, '.', '_' and '-', starting with a letter or digit, at most 100 characters",
            "components.yaml: component 'spark', field 'weights.adhoc': expected a whole number from 1 to 10000, but got 720721");
  }

  @Test
  void aDocumentThatIsNotAMappingOrNotYamlIsOneClearLine() {
    assertThat(problems("- bigquery")).singleElement().asString()
        .startsWith("components.yaml: expected a mapping from component names to their settings");
    assertThat(problems("bigquery: {max_running: [")).singleElement().asString()
        .startsWith("components.yaml: unreadable YAML");
    assertThatThrownBy(() -> ComponentFiles.parse("bigquery: 3", "c.yaml"))
        .hasMessageContaining("c.yaml: component 'bigquery': expected a mapping of settings (max_running, weights), but got 3");
  }

  @Test
  void aNameWithALineBreakIsEscapedSoEachProblemStaysOneLine() {
    assertThat(problems("\"a\\nb\": {}\n\"c\\u2028d\": { max_running: x }\n")).containsExactly(
        "components.yaml: component 'a\\nb': invalid component name 'a\\nb': use lower-case letters, digits, '.', "
            + "'_' and '-', starting with a letter or digit, at most 100 characters",
        "components.yaml: component 'c\\u2028d': invalid component name 'c\\u2028d': use lower-case letters, digits, "
            + "'.', '_' and '-', starting with a letter or digit, at most 100 characters",
        "components.yaml: component 'c\\u2028d', field 'max_running': expected a whole number of at least 0, but got \"x\"");
  }
}
