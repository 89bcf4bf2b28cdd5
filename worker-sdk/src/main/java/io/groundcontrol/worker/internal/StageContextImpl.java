package io.groundcontrol.worker.internal;

import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.worker.api.NonRetryableStageException;
import io.groundcontrol.worker.api.StageContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

final class StageContextImpl implements StageContext {
  private final StageInstruction instruction;
  private final Map<String, String> params;
  private final BooleanSupplier cancelled;

  StageContextImpl(StageInstruction instruction, BooleanSupplier cancelled) {
    this.instruction = instruction;
    this.params = Collections.unmodifiableMap(new LinkedHashMap<>(instruction.getParams()));
    this.cancelled = cancelled;
  }

  @Override
  public String missionId() {
    return instruction.getMissionId();
  }

  @Override
  public String planName() {
    return instruction.getPlanName();
  }

  @Override
  public String stage() {
    return instruction.getStage();
  }

  @Override
  public String component() {
    return instruction.getComponent();
  }

  @Override
  public int attempt() {
    return instruction.getAttempt();
  }

  @Override
  public Instant dispatchedAt() {
    return instruction.getDispatchedAt();
  }

  @Override
  public Optional<Duration> timeout() {
    Long millis = instruction.getTimeoutMs();
    return millis == null ? Optional.empty() : Optional.of(Duration.ofMillis(millis));
  }

  @Override
  public Map<String, String> params() {
    return params;
  }

  @Override
  public Optional<String> param(String name) {
    return Optional.ofNullable(params.get(name));
  }

  @Override
  public Optional<String> stringParam(String name) {
    return param(name).map(JsonStrings::unquoteOrSelf);
  }

  @Override
  public String requireParam(String name) {
    String value = params.get(name);
    if (value == null) {
      throw new NonRetryableStageException(
          "Expected param '" + name + "' for stage '" + stage() + "' of mission '" + missionId()
              + "', but it is missing");
    }
    return value;
  }

  @Override
  public String requireStringParam(String name) {
    return JsonStrings.unquoteOrSelf(requireParam(name));
  }

  @Override
  public boolean isCancelled() {
    return cancelled.getAsBoolean();
  }

  @Override
  public String toString() {
    return "StageContext[" + AttemptKey.of(instruction) + "]";
  }
}
