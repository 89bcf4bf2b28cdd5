package io.groundcontrol.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.groundcontrol.mission.MissionView;
import io.groundcontrol.query.MissionDocument;
import io.groundcontrol.query.MissionSummary;
import io.groundcontrol.query.StageDocument;
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
    table(MissionDocument.of(mission, mission.stages()).withNotes(notes), out, detail);
  }

  /**
   * A mission as the API answers it, each stage's note (such as a wait for workers) in the detail
   * column; with {@code detail}, each failed stage's error detail too.
   */
  static void table(MissionDocument mission, PrintStream out, boolean detail) {
    out.println("Mission " + mission.missionId() + "  plan " + mission.plan() + "@" + mission.planVersion()
        + "  " + mission.status() + (mission.reason() == null ? "" : ": " + mission.reason())
        + (mission.stale() ? "  (from a standby copy: may lag)" : ""));
    out.println("Started " + mission.startedAt() + ", last change " + mission.updatedAt() + ", params " + mission.params());
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"STAGE", "STATUS", "ATTEMPT", "WORKER", "UPDATED", "DETAIL"});
    for (StageDocument stage : mission.stages()) {
      rows.add(new String[] {
        stage.name(), stage.status(), Integer.toString(stage.attempt()), stage.worker() == null ? "-" : stage.worker(),
        stage.updatedAt(), detailColumn(stage)
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

  /**
   * The DETAIL column: a fanned-out stage's chunks and then why they wait, if they do; another
   * stage's note, else its detail.
   */
  private static String detailColumn(StageDocument stage) {
    if (stage.note() == null) {
      return detail(stage);
    }
    return stage.chunks() != null && stage.error() == null ? detail(stage) + "; " + stage.note() : stage.note();
  }

  /** Chunks, else the error, else where a reused result came from and the outputs. */
  private static String detail(StageDocument stage) {
    if (stage.chunks() != null && stage.error() == null) {
      return "chunks: " + stage.chunks().describe();
    }
    if (stage.error() != null) {
      return stage.error();
    }
    String outputs = stage.outputs().isEmpty() ? "" : ShownOutputs.of(stage.outputs());
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
   * The mission read from the log as JSON, with {@code notes} by stage name (such as a wait for
   * workers): the same document, of the same shape, as the API answers.
   */
  static String json(MissionView mission, Map<String, String> notes) {
    return json(MissionDocument.of(mission, mission.stages()).withNotes(notes));
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
