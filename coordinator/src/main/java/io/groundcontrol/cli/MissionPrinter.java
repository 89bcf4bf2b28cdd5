package io.groundcontrol.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groundcontrol.mission.MissionView;
import io.groundcontrol.query.MissionDocument;
import io.groundcontrol.query.MissionSummary;
import io.groundcontrol.query.StageDocument;
import io.groundcontrol.schema.StageStatus;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Prints missions as tables for people or JSON for scripts. */
final class MissionPrinter {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private MissionPrinter() {}

  static void table(MissionView mission, PrintStream out) {
    table(mission, Map.of(), out, false);
  }

  /** The table; with {@code detail}, then each failed stage's error detail (e.g. a stack trace) in full. */
  static void table(MissionView mission, PrintStream out, boolean detail) {
    table(mission, Map.of(), out, detail);
  }

  /**
   * The table, with {@code notes} by stage name (such as a wait for workers) in the detail column;
   * with {@code detail}, then each failed stage's error detail (e.g. a stack trace) in full.
   */
  static void table(MissionView mission, Map<String, String> notes, PrintStream out, boolean detail) {
    table(MissionDocument.of(mission, mission.stages()), notes, out, detail);
  }

  /** A mission as the API answers it; with {@code detail}, each failed stage's error detail too. */
  static void table(MissionDocument mission, PrintStream out, boolean detail) {
    table(mission, Map.of(), out, detail);
  }

  private static void table(MissionDocument mission, Map<String, String> notes, PrintStream out, boolean detail) {
    out.println("Mission " + mission.missionId() + "  plan " + mission.plan() + "@" + mission.planVersion()
        + "  " + mission.status() + (mission.reason() == null ? "" : ": " + mission.reason())
        + (mission.stale() ? "  (from a standby copy: may lag)" : ""));
    out.println("Started " + mission.startedAt() + ", last change " + mission.updatedAt() + ", params " + mission.params());
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"STAGE", "STATUS", "ATTEMPT", "WORKER", "UPDATED", "DETAIL"});
    for (StageDocument stage : mission.stages()) {
      rows.add(new String[] {
        stage.name(), stage.status(), Integer.toString(stage.attempt()), stage.worker() == null ? "-" : stage.worker(),
        stage.updatedAt(), notes.getOrDefault(stage.name(), detail(stage))
      });
    }
    printRows(rows, out);
    if (detail) {
      for (StageDocument stage : mission.stages()) {
        if (stage.error() != null && stage.errorDetail() != null) {
          out.println();
          out.println("Stage '" + stage.name() + "', attempt " + stage.attempt() + ": " + stage.error()
              + (Boolean.FALSE.equals(stage.retryable()) ? " (not retryable)" : ""));
          stage.errorDetail().lines().forEach(line -> out.println("  " + line));
        }
      }
    }
  }

  /** The DETAIL column: chunks, else the error, else where a reused result came from and the outputs. */
  private static String detail(StageDocument stage) {
    if (stage.chunks() != null && stage.error() == null) {
      return "chunks: " + stage.chunks().describe();
    }
    if (stage.error() != null) {
      return stage.error();
    }
    String outputs = stage.outputs().isEmpty() ? "" : stage.outputs().toString();
    if (stage.reusedFrom() == null) {
      return outputs;
    }
    return stage.reusedFrom().description() + (outputs.isEmpty() ? "" : "; " + outputs);
  }

  /** Missions as a list page of the API holds them. */
  static void summaries(List<MissionSummary> missions, PrintStream out) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"MISSION", "PLAN", "STATUS", "STARTED", "UPDATED", "WAITING FOR"});
    for (MissionSummary m : missions) {
      String waiting = "WAITING".equals(m.status()) && m.reason() != null ? m.reason() : "";
      rows.add(new String[] {m.missionId(), m.plan(), m.status(), m.startedAt(), m.updatedAt(), waiting});
    }
    printRows(rows, out);
  }

  static String json(MissionDocument mission) {
    try {
      return JSON.writeValueAsString(mission);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static void list(Collection<? extends MissionView> missions, PrintStream out) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"MISSION", "PLAN", "STATUS", "STARTED", "UPDATED", "WAITING FOR"});
    for (MissionView m : missions) {
      String waiting = m.status() == io.groundcontrol.schema.MissionStatus.WAITING ? m.reason().orElse("") : "";
      rows.add(new String[] {m.missionId(), m.planName(), m.status().name(), m.startedAt().toString(),
          m.updatedAt().toString(), waiting});
    }
    printRows(rows, out);
  }

  static String json(MissionView mission) {
    return json(mission, Map.of());
  }

  /**
   * The mission as JSON: its {@link MissionDocument}, without {@code stale} (read from the log, not a
   * copy) and with {@code reusedFrom} and {@code chunks} only where a stage has them. A stage with a
   * note (such as a wait for workers) gets a {@code note} field, a queued one also {@code waitingFor}.
   */
  static String json(MissionView mission, Map<String, String> notes) {
    ObjectNode doc = JSON.valueToTree(MissionDocument.of(mission, mission.stages()));
    doc.remove("stale");
    for (JsonNode element : doc.withArray("stages")) {
      ObjectNode stage = (ObjectNode) element;
      removeIfNull(stage, "reusedFrom");
      removeIfNull(stage, "chunks");
      String note = notes.get(stage.get("name").asText());
      if (note != null) {
        stage.put("note", note);
        if (StageStatus.QUEUED.name().equals(stage.get("status").asText())) {
          stage.put("waitingFor", note);
        }
      }
    }
    try {
      return JSON.writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void removeIfNull(ObjectNode stage, String field) {
    if (stage.path(field).isNull()) {
      stage.remove(field);
    }
  }

  static void printRows(List<String[]> rows, PrintStream out) {
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 2) + "s", row[i]));
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
