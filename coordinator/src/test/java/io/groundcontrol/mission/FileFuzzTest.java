package io.groundcontrol.mission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.groundcontrol.coordinator.CompiledPlan;
import io.groundcontrol.plan.ComponentFiles;
import io.groundcontrol.plan.InvalidPlanException;
import io.groundcontrol.plan.PlanFiles;
import io.groundcontrol.plan.PlanProblem;
import io.groundcontrol.plan.PlanValidator;
import io.groundcontrol.plan.PlanVersion;
import io.groundcontrol.schedule.ScheduleFile;
import io.groundcontrol.schedule.ScheduleFileException;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.Schedule;
import io.groundcontrol.schema.Trigger;
import io.groundcontrol.schema.wire.AvroSerde;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Randomised plan, schedules and component files, fixed seeds: the examples mutated (keys dropped,
 * duplicated, renamed; values replaced by wrong types, extreme numbers, empty, unicode and control
 * characters, malformed ${...}; references to missing stages; text-level tabs, BOM, duplicate keys,
 * second documents).
 *
 * <p>Invariants: reading throws only the documented exception; each problem is one line naming the
 * file; a plan that reads survives the wire (Avro) unchanged and is runnable there, its mission
 * params resolve with no params given when all have defaults, and it writes back to a file that
 * reads to the same version; a schedules file that reads is one a strict YAML reader (duplicate
 * keys, one document) reads too, and survives the wire.
 */
class FileFuzzTest {
  private static final long SEED = Long.getLong("filefuzz.seed", 20260522L);
  /** Per test; the three take about 7 s. More with {@code -Dfilefuzz.runs=3000} (and another {@code -Dfilefuzz.seed}). */
  private static final int RUNS = Integer.getInteger("filefuzz.runs", 800);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper STRICT_YAML = new ObjectMapper(new YAMLFactory())
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String[] STRINGS = {"", " ", "a", "A B", "ü", "日本", "\u0000", "\t", "a\nb", "a\u2028b",
      "\u202Eevil", "${", "${}", "${params.}", "${params.nope}", "${stages.nope.outputs.x}", "${stages.extract.outputs.}",
      "${chunk.items}", "${chunk.nope}", "$${params.date}", "${params.date", "${HOME}", "${event.x}", "${event.}",
      "x".repeat(5000), "-1", "0", "1d", "0s", "-5m", "PT-1S", "99999999999999999999d", "1000001d", "PT0.5S", "500ms",
      "null", "true", "50%", "101%", "-1%", "NaN", "1e309", "*/0 * * * *", "61 * * * *", "0 0 30 2 *",
      "Not/AZone", "2026-01-01T00:00:00Z", "+999999999-12-31T00:00:00Z", "-999999999-01-01T00:00:00Z", "a.b",
      "topic with space", "extract", "clean", "publish", "score", "customers", "date"};

  private static final String[] EXAMPLES = {"diamond.yaml", "dataflow.yaml", "fanout.yaml", "nightly-limited.yaml"};

  @Test
  void planFiles() throws Exception {
    List<JsonNode> examples = new ArrayList<>();
    for (String name : EXAMPLES) {
      examples.add(YAML.readTree(Files.readString(Path.of("..", "examples", name))));
    }
    Random random = new Random(SEED);
    List<String> violations = new ArrayList<>();
    for (int step = 0; step < RUNS && violations.size() < 15; step++) {
      JsonNode tree = examples.get(random.nextInt(examples.size())).deepCopy();
      int mutations = 1 + random.nextInt(3);
      for (int i = 0; i < mutations; i++) {
        tree = mutate(tree, random);
      }
      boolean json = random.nextInt(4) == 0;
      String text = json ? tree.toString() : YAML.writeValueAsString(tree);
      text = mutateText(text, random);
      String source = json ? "fuzz.json" : "fuzz.yaml";
      String where = "seed " + SEED + " step " + step + " (" + source + "):\n" + text;
      Plan plan;
      try {
        plan = PlanFiles.parse(text, source, json ? PlanFiles.Format.JSON : PlanFiles.Format.YAML);
      } catch (InvalidPlanException e) {
        for (PlanProblem problem : e.problems()) {
          String line = problem.describe();
          if (!isOneLine(line) || !line.startsWith(source + ": ")) {
            violations.add(where + "\n=> problem not one line naming the file: " + escape(line));
          }
        }
        continue;
      } catch (RuntimeException e) {
        violations.add(where + "\n=> threw " + e);
        continue;
      }
      try {
        PlanValidator.requireRunnable(plan);
        byte[] bytes = AvroSerde.of(Plan.class).serializer().serialize("plans", plan);
        Plan back = AvroSerde.of(Plan.class).deserializer().deserialize("plans", bytes);
        if (!back.equals(plan)) {
          violations.add(where + "\n=> the plan changed on the wire: " + plan + "\n   became " + back);
        }
        PlanValidator.requireRunnable(back);
        if (!PlanVersion.of(back).equals(plan.getVersion())) {
          violations.add(where + "\n=> version changed on the wire");
        }
        CompiledPlan compiled = CompiledPlan.of(back);
        boolean allDefaults = plan.getParams().stream().allMatch(p -> p.getDefaultValue() != null);
        ParamResolver.Result resolved = ParamResolver.resolveMissionParams(compiled, Map.of());
        if (allDefaults && !resolved.ok()) {
          violations.add(where + "\n=> valid plan whose params all have defaults, but a start is refused: "
              + resolved.problem());
        }
        for (Function<Plan, String> writer : List.<Function<Plan, String>>of(PlanFiles::toYaml, PlanFiles::toJson)) {
          String written = writer.apply(plan);
          boolean asJson = written.startsWith("{");
          Plan reread = PlanFiles.parse(written, "written", asJson ? PlanFiles.Format.JSON : PlanFiles.Format.YAML);
          if (!reread.getVersion().equals(plan.getVersion())) {
            violations.add(where + "\n=> written back as " + (asJson ? "JSON" : "YAML") + " it reads to another version:\n"
                + written);
          }
        }
      } catch (RuntimeException e) {
        violations.add(where + "\n=> a plan that reads failed downstream: " + e);
      }
    }
    assertThat(violations).as(String.join("\n\n", violations)).isEmpty();
  }

  @Test
  void scheduleFiles() throws Exception {
    JsonNode example = YAML.readTree(Files.readString(Path.of("..", "examples", "schedules.yaml")));
    Random random = new Random(SEED);
    List<String> violations = new ArrayList<>();
    for (int step = 0; step < RUNS && violations.size() < 15; step++) {
      JsonNode tree = example.deepCopy();
      int mutations = 1 + random.nextInt(3);
      for (int i = 0; i < mutations; i++) {
        tree = mutate(tree, random);
      }
      String text = mutateText(YAML.writeValueAsString(tree), random);
      String where = "seed " + SEED + " step " + step + ":\n" + text;
      ScheduleFile read;
      try {
        read = ScheduleFile.parse(text, "s.yaml");
      } catch (ScheduleFileException e) {
        for (String line : e.problems()) {
          if (!isOneLine(line) || !line.startsWith("s.yaml: ")) {
            violations.add(where + "\n=> problem not one line naming the file: " + escape(line));
          }
        }
        continue;
      } catch (RuntimeException e) {
        violations.add(where + "\n=> threw " + e);
        continue;
      }
      try {
        STRICT_YAML.readTree(text);
      } catch (Exception e) {
        violations.add(where + "\n=> accepted, though a strict YAML reader refuses it: " + e.getMessage().lines().findFirst().orElse(""));
      }
      try {
        for (Schedule schedule : read.schedules()) {
          AvroSerde.of(Schedule.class).deserializer().deserialize("s", AvroSerde.of(Schedule.class).serializer().serialize("s", schedule));
        }
        for (Trigger trigger : read.triggers()) {
          AvroSerde.of(Trigger.class).deserializer().deserialize("s", AvroSerde.of(Trigger.class).serializer().serialize("s", trigger));
        }
      } catch (RuntimeException e) {
        violations.add(where + "\n=> a file that validates cannot be written to Kafka: " + e);
      }
    }
    assertThat(violations).as(String.join("\n\n", violations)).isEmpty();
  }

  @Test
  void componentFiles() throws Exception {
    JsonNode example = YAML.readTree(Files.readString(Path.of("..", "examples", "components.yaml")));
    Random random = new Random(SEED);
    List<String> violations = new ArrayList<>();
    for (int step = 0; step < RUNS && violations.size() < 15; step++) {
      JsonNode tree = example.deepCopy();
      for (int i = 0; i < 1 + random.nextInt(3); i++) {
        tree = mutate(tree, random);
      }
      String text = mutateText(YAML.writeValueAsString(tree), random);
      try {
        ComponentFiles.parse(text, "c.yaml");
      } catch (ComponentFiles.InvalidComponentsException e) {
        for (String line : e.problems()) {
          if (!isOneLine(line) || !line.startsWith("c.yaml: ")) {
            violations.add("seed " + SEED + " step " + step + ":\n" + text + "\n=> problem not one line naming the file: "
                + escape(line));
          }
        }
      } catch (RuntimeException e) {
        violations.add("seed " + SEED + " step " + step + ":\n" + text + "\n=> threw " + e);
      }
    }
    assertThat(violations).as(String.join("\n\n", violations)).isEmpty();
  }

  private static boolean isOneLine(String line) {
    return line.chars().noneMatch(c -> c == '\n' || c == '\r' || c == 0x85 || c == 0x2028 || c == 0x2029);
  }

  private static String escape(String s) {
    StringBuilder b = new StringBuilder();
    s.chars().forEach(c -> b.append(c < 32 || c == 0x85 || c == 0x2028 || c == 0x2029 ? String.format("\\u%04x", c) : String.valueOf((char) c)));
    return b.toString();
  }

  /** One random change somewhere in the tree. */
  private static JsonNode mutate(JsonNode root, Random random) {
    List<JsonNode> containers = new ArrayList<>();
    collect(root, containers);
    JsonNode target = containers.get(random.nextInt(containers.size()));
    if (target instanceof ObjectNode object && object.size() > 0) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      String name = names.get(random.nextInt(names.size()));
      switch (random.nextInt(7)) {
        case 0 -> object.remove(name);
        case 1 -> object.set(name + (random.nextBoolean() ? "_" : "s"), object.get(name).deepCopy());
        case 2 -> object.set(randomString(random), object.remove(name));
        default -> object.set(name, randomValue(random, object.get(name)));
      }
    } else if (target instanceof ArrayNode array && array.size() > 0) {
      int index = random.nextInt(array.size());
      switch (random.nextInt(4)) {
        case 0 -> array.remove(index);
        case 1 -> array.add(array.get(index).deepCopy());
        default -> array.set(index, randomValue(random, array.get(index)));
      }
    }
    return root;
  }

  private static void collect(JsonNode node, List<JsonNode> out) {
    if (node.isContainerNode()) {
      out.add(node);
      for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
        collect(it.next(), out);
      }
    }
  }

  private static String randomString(Random random) {
    return STRINGS[random.nextInt(STRINGS.length)];
  }

  private static JsonNode randomValue(Random random, JsonNode previous) {
    return switch (random.nextInt(12)) {
      case 0 -> NODES.numberNode(random.nextBoolean() ? 0 : -1);
      case 1 -> NODES.numberNode(random.nextBoolean() ? Long.MAX_VALUE : Integer.MAX_VALUE + 1L);
      case 2 -> NODES.numberNode(new java.math.BigInteger("123456789012345678901234567890"));
      case 3 -> NODES.numberNode(random.nextBoolean() ? 0.5 : 1e300);
      case 4 -> NODES.booleanNode(random.nextBoolean());
      case 5 -> NODES.nullNode();
      case 6 -> NODES.arrayNode().add(randomString(random));
      case 7 -> NODES.objectNode().put(randomString(random), randomString(random));
      case 8 -> previous.isTextual() ? NODES.textNode(previous.textValue() + randomString(random)) : NODES.textNode(randomString(random));
      default -> NODES.textNode(randomString(random));
    };
  }

  /** Text-level changes the tree cannot make. */
  private static String mutateText(String text, Random random) {
    List<String> lines = new ArrayList<>(text.lines().toList());
    switch (random.nextInt(10)) {
      case 0 -> { return "\uFEFF" + text; }
      case 1 -> {
        int i = random.nextInt(lines.size());
        lines.set(i, lines.get(i).replaceFirst("^  ", "\t"));
      }
      case 2 -> {
        int i = random.nextInt(lines.size());
        if (lines.get(i).contains(": ")) {
          lines.add(i + 1, lines.get(i));
        }
      }
      case 3 -> { return text + "\n---\n" + text; }
      default -> { return text; }
    }
    return String.join("\n", lines) + "\n";
  }
}
