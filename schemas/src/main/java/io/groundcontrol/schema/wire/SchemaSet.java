package io.groundcontrol.schema.wire;

import io.groundcontrol.schema.AdmissionEntry;
import io.groundcontrol.schema.AdmissionRequest;
import io.groundcontrol.schema.ApiKey;
import io.groundcontrol.schema.ComponentSettings;
import io.groundcontrol.schema.ComponentStatus;
import io.groundcontrol.schema.MissionAdmission;
import io.groundcontrol.schema.MissionAdmissionRequest;
import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionHeader;
import io.groundcontrol.schema.MissionState;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.ResultAnswer;
import io.groundcontrol.schema.ResultEntry;
import io.groundcontrol.schema.ResultRequest;
import io.groundcontrol.schema.Schedule;
import io.groundcontrol.schema.ScheduleCommand;
import io.groundcontrol.schema.ScheduleEvent;
import io.groundcontrol.schema.ScheduleState;
import io.groundcontrol.schema.SlotGrant;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.StoredStage;
import io.groundcontrol.schema.Trigger;
import io.groundcontrol.schema.TriggerBatchState;
import io.groundcontrol.schema.TriggerMatch;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The schemas a build writes its records with, as one short id. Each build reads every schema an
 * older one wrote ({@link SchemaHistory}), but not one written by a newer build: a record of an
 * unknown schema is dead-lettered. So two builds whose ids differ must not run side by side in one
 * installation (a new coordinator's admission request, say, would be lost on an old one), while two
 * builds with the same id write the same bytes and may (a rolling restart).
 *
 * @param id 8 hex digits; the same for the same schemas, whatever their order
 */
public record SchemaSet(String id) {
  /** Every record type written to a topic or a store. */
  public static final List<Class<? extends SpecificRecord>> WIRE_TYPES = List.of(
      AdmissionEntry.class, AdmissionRequest.class, ApiKey.class, ComponentSettings.class, ComponentStatus.class,
      MissionAdmission.class, MissionAdmissionRequest.class, MissionCommand.class, MissionEvent.class,
      MissionHeader.class, MissionState.class, Plan.class, ResultAnswer.class, ResultEntry.class, ResultRequest.class,
      Schedule.class, ScheduleCommand.class, ScheduleEvent.class, ScheduleState.class, SlotGrant.class,
      StageInstruction.class, StageReport.class, StoredStage.class, Trigger.class, TriggerBatchState.class,
      TriggerMatch.class);

  private static final Pattern ID = Pattern.compile("[0-9a-f]{8}");
  private static final SchemaSet CURRENT =
      of(WIRE_TYPES.stream().map(type -> SpecificData.get().getSchema(type)).toList());

  /** Checks the id. */
  public SchemaSet {
    Objects.requireNonNull(id, "id");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("Expected a schema set id of 8 hex digits, but got '" + id + "'");
    }
  }

  /** The schemas this build writes. */
  public static SchemaSet current() {
    return CURRENT;
  }

  /** The set of {@code schemas}: a fingerprint of each one's full name and parsing fingerprint. */
  public static SchemaSet of(Collection<Schema> schemas) {
    String lines = schemas.stream()
        .map(schema -> schema.getFullName() + "=" + AvroCodec.fingerprintHex(SchemaNormalization.parsingFingerprint64(schema)))
        .sorted()
        .collect(Collectors.joining("\n"));
    long fingerprint = SchemaNormalization.fingerprint64(lines.getBytes(StandardCharsets.UTF_8));
    return new SchemaSet(String.format("%08x", fingerprint >>> 32));
  }

  /**
   * Each wire type's name and the version of its schema this build writes, the number of its file
   * in {@link SchemaHistory}, e.g. {@code MissionEvent v11}: what two ids that differ differ in.
   */
  public static List<String> versions() {
    return WIRE_TYPES.stream().map(type -> type.getSimpleName() + " v" + SchemaHistory.of(type).size()).toList();
  }
}
