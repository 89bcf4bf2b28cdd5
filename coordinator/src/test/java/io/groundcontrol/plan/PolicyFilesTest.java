package io.groundcontrol.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groundcontrol.plan.PlanFiles.Format;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.RetryPolicy;
import org.junit.jupiter.api.Test;

/** Retry policies and timeouts in plan files. */
class PolicyFilesTest {
  private static Plan yaml(String text) {
    return PlanFiles.parse(text, "p.yaml", Format.YAML);
  }

  private static String plan(String stageExtra) {
    return "name: p\nstages:\n  - name: load\n    component: sql\n" + stageExtra;
  }

  @Test
  void aNumberIsTheAttemptsWithDefaultBackoff() {
    RetryPolicy retry = yaml(plan("    retry: 4\n")).getStages().get(0).getRetry();

    assertThat(retry.getMaxAttempts()).isEqualTo(4);
    assertThat(retry.getInitialBackoffMs()).isEqualTo(1000);
    assertThat(retry.getBackoffMultiplier()).isEqualTo(2.0);
  }

  @Test
  void aMappingSetsEveryPart() {
    RetryPolicy retry = yaml(plan("    retry: { attempts: 5, backoff: 500ms, multiplier: 3, max_backoff: 2m, jitter: 0 }\n"))
        .getStages().get(0).getRetry();

    assertThat(retry).isEqualTo(new RetryPolicy(5, 500L, 3.0, 120_000L, 0.0));
  }

  @Test
  void timeoutsTakeShortFormsAndIso8601() {
    assertThat(yaml(plan("    timeout: 90s\n")).getStages().get(0).getTimeoutMs()).isEqualTo(90_000L);
    assertThat(yaml(plan("    timeout: 2h\n")).getStages().get(0).getTimeoutMs()).isEqualTo(7_200_000L);
    assertThat(yaml(plan("    timeout: PT1M30S\n")).getStages().get(0).getTimeoutMs()).isEqualTo(90_000L);
  }

  @Test
  void planDefaultsAreRead() {
    Plan plan = yaml("name: p\ndefaults:\n  retry: 3\n  timeout: 10m\nstages:\n  - name: a\n    component: sql\n");

    assertThat(plan.getDefaults().getRetry().getMaxAttempts()).isEqualTo(3);
    assertThat(plan.getDefaults().getTimeoutMs()).isEqualTo(600_000L);
  }

  @Test
  void badPoliciesAreReportedWithStageAndField() {
    assertThatThrownBy(() -> yaml(plan("    retry: { attempts: 0, jitter: 2, backof: 1s }\n    timeout: soon\n")))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("p.yaml: stage 'load', field 'retry': unknown field 'backof'; did you mean 'backoff'?")
        .hasMessageContaining("p.yaml: stage 'load', field 'retry': attempts must be a whole number of at least 1")
        .hasMessageContaining("p.yaml: stage 'load', field 'retry': jitter must be between 0 and 1")
        .hasMessageContaining(
            "p.yaml: stage 'load', field 'timeout': expected a duration like 500ms, 30s, 5m, 2h, 1d or PT30S, but got \"soon\"");
  }

  @Test
  void anAttemptCountBeyondWhatAnAttemptNumberHoldsIsRefusedNotWrappedAround() {
    assertThatThrownBy(() -> yaml("name: p\nparams:\n  ids: {default: [1, 2]}\nstages:\n"
        + "  - name: load\n    component: sql\n    retry: 4294967297\n"
        + "  - name: copy\n    component: sql\n    retry: { attempts: 99999999999999999999 }\n"
        + "  - name: sort\n    component: sql\n    retry: { attempts: 2.5 }\n"
        + "  - name: scan\n    component: sql\n    params: {ids: \"${chunk.items}\"}\n    foreach: \"${params.ids}\"\n"
        + "    tolerate_failed: 4294967296\n"))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("p.yaml: stage 'load', field 'retry': attempts must be at most 2147483647, but is 4294967297")
        .hasMessageContaining(
            "p.yaml: stage 'copy', field 'retry': attempts must be at most 2147483647, but is 99999999999999999999")
        .hasMessageContaining("p.yaml: stage 'sort', field 'retry': attempts must be a whole number of at least 1")
        .hasMessageContaining("p.yaml: stage 'scan', field 'tolerate_failed': expected a number of chunks like 3");
  }

  @Test
  void aMultiplierOrJitterThatIsNotAFiniteNumberIsReportedWithStageAndField() {
    // YAML's own .nan and .inf are refused as unreadable; these are text that reads as a double.
    assertThatThrownBy(() -> yaml("name: p\ndefaults:\n  retry: { attempts: 2, jitter: Infinity }\nstages:\n"
        + "  - name: load\n    component: sql\n    retry: { attempts: 3, multiplier: NaN }\n"
        + "  - name: copy\n    component: sql\n    retry: { attempts: 3, multiplier: \"-Infinity\", jitter: NaN }\n"))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("p.yaml: field 'defaults.retry': jitter must be a finite number, but is Infinity")
        .hasMessageContaining("p.yaml: stage 'load', field 'retry': multiplier must be a finite number, but is NaN")
        .hasMessageContaining("p.yaml: stage 'copy', field 'retry': multiplier must be a finite number, but is -Infinity")
        .hasMessageContaining("p.yaml: stage 'copy', field 'retry': jitter must be a finite number, but is NaN");
  }

  @Test
  void aStartTimeoutIsReadOnAStageAndUnderDefaultsAndSurvivesARoundTrip() {
    Plan plan = yaml("name: p\ndefaults:\n  start_timeout: 5m\nstages:\n  - name: a\n    component: sql\n"
        + "    start_timeout: 30s\n    timeout: 1h\n");

    assertThat(plan.getDefaults().getStartTimeoutMs()).isEqualTo(300_000L);
    assertThat(plan.getStages().get(0).getStartTimeoutMs()).isEqualTo(30_000L);
    assertThat(plan.getStages().get(0).getTimeoutMs()).isEqualTo(3_600_000L);
    assertThat(PlanFiles.parse(PlanFiles.toYaml(plan), "shown.yaml", Format.YAML)).isEqualTo(plan);
  }

  @Test
  void aBadStartTimeoutIsReportedWithStageAndField() {
    assertThatThrownBy(() -> yaml(plan("    start_timeout: 0s\n")))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("p.yaml: stage 'load', field 'start_timeout': a timeout must be longer than zero");
  }

  @Test
  void aDurationBeyondTheMaximumIsReportedWithStageAndFieldNotAStackTrace() {
    String huge = "999999999999d";
    assertThatThrownBy(() -> yaml("name: p\ndefaults:\n  timeout: " + huge + "\nstages:\n  - name: load\n"
        + "    component: sql\n    timeout: 99999999999999999999ms\n    start_timeout: " + huge + "\n"
        + "    retry: { backoff: " + huge + ", max_backoff: " + huge + " }\n    reuse: { max_age: 1000001d }\n"))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("p.yaml: field 'defaults.timeout': expected a duration of at most 1000000d (about 2,700"
            + " years), but got \"999999999999d\"")
        .hasMessageContaining("p.yaml: stage 'load', field 'timeout': expected a duration of at most 1000000d (about"
            + " 2,700 years), but got \"99999999999999999999ms\"")
        .hasMessageContaining("stage 'load', field 'start_timeout': expected a duration of at most 1000000d")
        .hasMessageContaining("stage 'load', field 'retry.backoff': expected a duration of at most 1000000d")
        .hasMessageContaining("stage 'load', field 'retry.max_backoff': expected a duration of at most 1000000d")
        .hasMessageContaining("stage 'load', field 'reuse.max_age': expected a duration of at most 1000000d");
  }

  @Test
  void aPracticallyEndlessTimeoutUpToTheMaximumIsAccepted() {
    assertThat(yaml(plan("    timeout: 99999d\n")).getStages().get(0).getTimeoutMs()).isEqualTo(99_999L * 86_400_000);
    assertThat(yaml(plan("    timeout: 1000000d\n")).getStages().get(0).getTimeoutMs())
        .isEqualTo(1_000_000L * 86_400_000);
    assertThat(yaml(plan("    timeout: P1000000D\n")).getStages().get(0).getTimeoutMs())
        .isEqualTo(1_000_000L * 86_400_000);
  }

  @Test
  void defaultsWithoutAStartTimeoutKeepTheVersionTheyHadBeforeItExisted() {
    Plan plan = yaml("name: p\ndefaults:\n  retry: 3\n  timeout: 10m\nstages:\n  - name: a\n    component: sql\n");

    assertThat(PlanVersion.canonicalForm(plan).get("defaults").has("startTimeoutMs")).isFalse();
  }

  @Test
  void policiesChangeTheVersionButPlansWithoutThemKeepTheirs() {
    Plan without = yaml(plan(""));
    Plan with = yaml(plan("    retry: 2\n"));

    assertThat(with.getVersion()).isNotEqualTo(without.getVersion());
    assertThat(PlanFiles.parse(PlanFiles.toYaml(with), "shown.yaml", Format.YAML)).isEqualTo(with);
  }
}
