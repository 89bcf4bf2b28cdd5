package io.groundcontrol.plan;

import static io.groundcontrol.plan.TestPlans.problemsOfYaml;
import static io.groundcontrol.plan.TestPlans.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.groundcontrol.plan.PlanFiles.Format;
import io.groundcontrol.plan.PlanProblem.Reason;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.PlanParam;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlanFilesTest {
  private static final String SMALL_PLAN =
      """
      name: small
      params:
        date: { default: "2026-01-01" }
      stages:
        - name: extract
          component: warehouse
          params: { query: "select '${params.date}'", options: { retries: 2, tags: [a, b] } }
        - name: load
          component: warehouse
          upstream: [extract]
      """;

  @Test
  void yamlAndJsonOfTheSamePlanReadIdentically() {
    Plan fromYaml = TestPlans.read("good.yaml");
    Plan fromJson = TestPlans.read("good.json");

    assertThat(fromJson).isEqualTo(fromYaml);
    assertThat(fromJson.getVersion()).isEqualTo(fromYaml.getVersion());
  }

  @Test
  void stageParamsBecomeJsonText() {
    Plan plan = TestPlans.read("good.yaml");

    assertThat(plan.getStages().get(0).getParams())
        .containsExactly(
            entry("query", "\"select * from t where d = '${params.date}' limit ${params.limit}\""),
            entry("options", "{\"retries\":2,\"tags\":[\"a\",\"b\"],\"nested\":{\"deep\":null}}"));
    assertThat(plan.getStages().get(1).getParams())
        .containsExactly(
            entry("table", "\"scores\""), entry("partitions", "4"), entry("enabled", "true"), entry("ratio", "0.5"));
  }

  /** The escape is kept as written in the plan (and so in its version); the worker gets the literal. */
  @Test
  void dollarDollarBraceIsALiteralDollarBraceNotAReference() {
    Plan plan = yaml("""
        name: p
        stages:
          - name: a
            component: shell
            params: { script: "echo $${HOME} $${params.undeclared} $${stages.none.outputs.x} $${chunk.items} $${foo}" }
        """);

    assertThat(plan.getStages().get(0).getParams()).containsExactly(entry("script",
        "\"echo $${HOME} $${params.undeclared} $${stages.none.outputs.x} $${chunk.items} $${foo}\""));
  }

  @Test
  void missionParamsKeepDescriptionAndDefaultAsJsonText() {
    Plan plan = TestPlans.read("good.yaml");

    assertThat(plan.getParams())
        .containsExactly(
            new PlanParam("date", "Run date", "\"2026-01-01\""),
            new PlanParam("limit", null, "1000"),
            new PlanParam("region", null, null));
  }

  @Test
  void explicitNullDefaultMakesAParamOptional() {
    Plan plan = yaml(SMALL_PLAN.replace("date: { default: \"2026-01-01\" }", "date: { default: null }"));

    assertThat(plan.getParams().get(0).getDefaultValue()).isEqualTo("null");
  }

  @Test
  void versionIsTwelveHexDigits() {
    assertThat(yaml(SMALL_PLAN).getVersion()).matches("[0-9a-f]{12}");
  }

  @Test
  void versionIgnoresFormattingCommentsAndOrder() {
    String rewritten =
        """
        # the same plan: stages, keys and upstream reordered, flow style, comments
        stages:
          - { upstream: [extract], component: warehouse, name: load }   # loads
          - name: extract
            params:
              options: {tags: [a, b], retries: 2}
              query: "select '${params.date}'"
            component: warehouse
        params: {date: {default: '2026-01-01'}}
        name: small
        """;

    assertThat(yaml(rewritten).getVersion()).isEqualTo(yaml(SMALL_PLAN).getVersion());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "retries: 2|retries: 3",
        "tags: [a, b]|tags: [b, a]",
        "component: warehouse\n    upstream|component: ml\n    upstream",
        "default: \"2026-01-01\"|default: \"2026-01-02\"",
        "default: \"2026-01-01\"|description: now required",
        "name: small|name: small\ndescription: now described",
        "name: load|name: load2",
      })
  void versionChangesWhenContentChanges(String change) {
    String[] fromTo = change.split("\\|");
    assertThat(SMALL_PLAN).contains(fromTo[0]);

    Plan changed = yaml(SMALL_PLAN.replace(fromTo[0], fromTo[1]));

    assertThat(changed.getVersion()).isNotEqualTo(yaml(SMALL_PLAN).getVersion());
  }

  /** Plans applied before numbers were read exactly must keep their versions when applied again. */
  @Test
  void versionOfDecimalsIsTheOneTheyGotAsDoubles() throws Exception {
    String decimals = SMALL_PLAN
        .replace("retries: 2", "retries: 2, rate: 1.50, big: 1.0e3, tiny: 0.00001")
        .replace("date: { default: \"2026-01-01\" }", "date: { default: \"2026-01-01\" }\n  ratio: { default: 2.50 }");
    Plan plan = yaml(decimals);

    assertThat(plan.getVersion()).isEqualTo(versionAsDoubles(plan));
    assertThat(plan.getVersion()).isEqualTo(yaml(decimals.replace("1.50", "1.5").replace("2.50", "2.5")).getVersion());
    assertThat(plan.getVersion()).isNotEqualTo(yaml(decimals.replace("1.50", "1.51")).getVersion());
  }

  @Test
  void versionTellsApartDecimalsADoubleRoundsAlike() {
    Plan exact = yaml(SMALL_PLAN.replace("retries: 2", "retries: 2, ts: 1732000000.123456789"));
    Plan rounded = yaml(SMALL_PLAN.replace("retries: 2", "retries: 2, ts: 1732000000.1234567"));

    assertThat(exact.getVersion()).isNotEqualTo(rounded.getVersion());
  }

  /** The version as it was computed before numbers were exact: every decimal read as a double. */
  private static String versionAsDoubles(Plan plan) throws Exception {
    ObjectMapper doubles = new ObjectMapper();
    String canonical = doubles.writeValueAsString(doubles.readTree(PlanJson.toText(PlanVersion.canonicalForm(plan))));
    byte[] hash = MessageDigest.getInstance("SHA-256")
        .digest(("groundcontrol-plan-v1\n" + canonical).getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(hash).substring(0, PlanVersion.LENGTH);
  }

  @Test
  void versionIgnoresAVersionAlreadySet() {
    Plan plan = yaml(SMALL_PLAN);
    String version = plan.getVersion();
    plan.setVersion("something-else");

    assertThat(PlanVersion.of(plan)).isEqualTo(version);
  }

  @Test
  void versionCannotBeWrittenInAFile() {
    assertThat(problemsOfYaml("version: abc\n" + SMALL_PLAN))
        .singleElement()
        .satisfies(problem -> {
          assertThat(problem.reason()).isEqualTo(Reason.UNKNOWN_FIELD);
          assertThat(problem.message())
              .isEqualTo("field 'version' cannot be set: it is computed from the plan's content");
        });
  }

  @Test
  void unknownTopLevelFieldSuggestsTheClosestOne() {
    assertThat(problemsOfYaml(SMALL_PLAN.replace("params:", "parms:")))
        .extracting(PlanProblem::describe)
        .contains("test.yaml: unknown field 'parms'; did you mean 'params'?");
  }

  @Test
  void duplicateKeyIsUnreadableWithItsLine() {
    assertThat(problemsOfYaml("name: a\nname: b\nstages: []\n"))
        .singleElement()
        .satisfies(problem -> {
          assertThat(problem.reason()).isEqualTo(Reason.UNREADABLE);
          assertThat(problem.message()).isEqualTo("unreadable YAML at line 2, column 5: Duplicate field 'name'");
        });
  }

  @Test
  void emptyDocumentIsUnreadable() {
    assertThat(problemsOfYaml("# nothing here\n"))
        .extracting(PlanProblem::describe)
        .containsExactly("test.yaml: no plan found: the document is empty");
  }

  @Test
  void secondDocumentIsRejected() {
    assertThat(problemsOfYaml(SMALL_PLAN + "---\n" + SMALL_PLAN))
        .singleElement()
        .satisfies(problem -> assertThat(problem.message())
            .endsWith("more than one document; the file holds exactly one"));
  }

  @Test
  void paramWrittenAsBareValueGetsAHint() {
    assertThat(problemsOfYaml(SMALL_PLAN.replace("date: { default: \"2026-01-01\" }", "date: 7")))
        .extracting(PlanProblem::describe)
        .containsExactly(
            "test.yaml: field 'params.date': expected a mapping with 'description' and 'default', "
                + "but got a number (7); for a default, write {default: 7}");
  }

  @Test
  void loadChoosesTheFormatByExtensionAndNamesTheFile(@TempDir Path dir) throws IOException {
    Path json = Files.writeString(dir.resolve("plan.json"), TestPlans.text("good.json"));
    Path yml = Files.writeString(dir.resolve("plan.yml"), TestPlans.text("good.yaml"));
    Path brokenJson = Files.writeString(dir.resolve("broken.json"), "name: not json\n");

    assertThat(PlanFiles.load(json)).isEqualTo(PlanFiles.load(yml));
    assertThatThrownBy(() -> PlanFiles.load(brokenJson))
        .isInstanceOfSatisfying(
            InvalidPlanException.class,
            error -> assertThat(error.problems())
                .singleElement()
                .satisfies(problem -> assertThat(problem.describe())
                    .startsWith(brokenJson + ": unreadable JSON at line 1")));
  }

  @Test
  void loadRejectsOtherExtensions(@TempDir Path dir) throws IOException {
    Path text = Files.writeString(dir.resolve("plan.txt"), SMALL_PLAN);

    assertThatThrownBy(() -> PlanFiles.load(text))
        .isInstanceOfSatisfying(
            InvalidPlanException.class,
            error -> assertThat(error.problems())
                .extracting(PlanProblem::reason)
                .containsExactly(Reason.UNSUPPORTED_FORMAT));
  }

  @Test
  void formatFollowsTheExtension() {
    assertThat(Format.forFileName("a.YAML")).contains(Format.YAML);
    assertThat(Format.forFileName("a.yml")).contains(Format.YAML);
    assertThat(Format.forFileName("a.json")).contains(Format.JSON);
    assertThat(Format.forFileName("a.yaml.txt")).isEmpty();
  }

  @Test
  void yamlOutputReadsBackAsTheSamePlan() {
    Plan plan = TestPlans.read("good.yaml");

    String yaml = PlanFiles.toYaml(plan);

    assertThat(yaml).startsWith("# version: " + plan.getVersion() + "\nname: nightly-scoring\n");
    assertThat(PlanFiles.parse(yaml, "shown.yaml", Format.YAML)).isEqualTo(plan);
  }

  @Test
  void jsonOutputReadsBackAsTheSamePlan() {
    Plan plan = TestPlans.read("good.yaml");

    String json = PlanFiles.toJson(plan);

    assertThat(json).startsWith("{\n  \"name\" : \"nightly-scoring\",").doesNotContain("version");
    assertThat(PlanFiles.parse(json, "shown.json", Format.JSON)).isEqualTo(plan);
  }

  @Test
  void aLeadingByteOrderMarkIsSkippedInJsonAsInYaml() {
    Plan plan = TestPlans.read("good.yaml");

    assertThat(PlanFiles.parse("\uFEFF" + PlanFiles.toJson(plan), "bom.json", Format.JSON)).isEqualTo(plan);
    assertThat(PlanFiles.parse("\uFEFF" + PlanFiles.toYaml(plan), "bom.yaml", Format.YAML)).isEqualTo(plan);
  }

  @Test
  void numbersInParamsKeepEveryDigitThroughReadingAndShowing() {
    Plan plan = yaml("""
        name: exact
        params:
          rate: { default: 0.12345678901234567890 }
        stages:
          - name: a
            component: c
            params: { ts: 1732000000.123456789, one: 1.0, huge: 1e400, list: [0.10] }
        """);

    assertThat(plan.getParams()).extracting(PlanParam::getDefaultValue).containsExactly("0.12345678901234567890");
    assertThat(plan.getStages().get(0).getParams()).containsExactly(entry("ts", "1732000000.123456789"),
        entry("one", "1.0"), entry("huge", "1E+400"), entry("list", "[0.10]"));
    assertThat(PlanFiles.parse(PlanFiles.toYaml(plan), "shown.yaml", Format.YAML)).isEqualTo(plan);
    assertThat(PlanFiles.parse(PlanFiles.toJson(plan), "shown.json", Format.JSON)).isEqualTo(plan);
  }

  @Test
  void yamlOutputQuotesStringsThatWouldReadBackAsSomethingElse() {
    String tricky =
        """
        name: tricky
        stages:
          - name: extract
            component: warehouse
            params:
              strings: ["1000", "true", "yes", "on", "null", "~", "", "0x1F", "1_000", "1e3", ".5", ".inf",
                        "010", "2026-01-01", "# not a comment", "a: b", "-", "multi\\nline\\n"]
              numbers: [1000, 0.5, -3]
        """;
    Plan plan = yaml(tricky);

    assertThat(PlanFiles.parse(PlanFiles.toYaml(plan), "shown.yaml", Format.YAML)).isEqualTo(plan);
  }

  @Test
  void diamondExampleIsValid() throws IOException {
    Plan plan = PlanFiles.load(Path.of("..", "examples", "diamond.yaml"));
    PlanGraph graph = PlanGraph.of(plan);

    assertThat(graph.size()).isGreaterThanOrEqualTo(5);
    assertThat(graph.components()).containsExactlyInAnyOrder("warehouse", "ml");
    assertThat(graph.roots()).containsExactly("extract");
    assertThat(plan.getParams()).allSatisfy(param -> assertThat(param.getDefaultValue()).isNotNull());
  }

  @Test
  void badCycleExampleShowsTheCycle() {
    Path file = Path.of("..", "examples", "bad-cycle.yaml");

    assertThatThrownBy(() -> PlanFiles.load(file))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining(
            file + ": stage 'extract', field 'upstream': "
                + "stages depend on each other in a cycle: extract -> clean -> publish -> extract");
  }

  @Test
  void aNameOrKeyWithALineBreakIsEscapedSoEachProblemStaysOneLine() {
    String plan = SMALL_PLAN.replace("name: extract", "name: \"ex\\ntract\"") + "\"x\\u2028y\": 1\n";

    assertThat(problemsOfYaml(plan)).extracting(PlanProblem::describe)
        .allSatisfy(line -> assertThat(line).doesNotContain("\n", "\u2028"))
        .anySatisfy(line -> assertThat(line).startsWith("test.yaml: stage 'ex\\ntract', field 'name': "))
        .anySatisfy(line -> assertThat(line).contains("unknown field 'x\\u2028y'"));
  }
}
