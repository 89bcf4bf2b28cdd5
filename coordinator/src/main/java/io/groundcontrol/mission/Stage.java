package io.groundcontrol.mission;

import io.groundcontrol.schema.ReusedFrom;
import io.groundcontrol.schema.StageError;
import io.groundcontrol.schema.StageStatus;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** One stage of a {@link Mission}; changed only by event appliers. */
public final class Stage implements StageView {
  private final String name;
  private StageStatus status;
  private int attempt;
  private int retryBase;
  private String worker;
  private Map<String, String> outputs;
  private StageError error;
  private Instant updatedAt;
  private String resultKey;
  private long resultAsk;
  private ReusedFrom reusedFrom;
  private boolean slotGranted;
  private String items;
  private FanOut fanOut;

  Stage(String name, Instant at) {
    this(name, StageStatus.WAITING, 0, null, Map.of(), null, at);
  }

  private Stage(
      String name,
      StageStatus status,
      int attempt,
      String worker,
      Map<String, String> outputs,
      StageError error,
      Instant updatedAt) {
    this.name = name;
    this.status = status;
    this.attempt = attempt;
    this.worker = worker;
    this.outputs = Map.copyOf(outputs);
    this.error = error;
    this.updatedAt = updatedAt;
  }

  /**
   * A stage as its mission's start left it: WAITING since {@code startedAt}, no attempt yet. A store
   * may leave such a stage out and give back this one when asked for it (see {@link #isAsStarted}).
   */
  public static Stage asStarted(String name, Instant startedAt) {
    return new Stage(name, startedAt);
  }

  /** Whether nothing happened to this stage since its mission started at {@code startedAt}. */
  public boolean isAsStarted(Instant startedAt) {
    return status == StageStatus.WAITING && attempt == 0 && worker == null && outputs.isEmpty() && error == null
        && updatedAt.equals(startedAt) && resultKey == null && resultAsk == 0 && reusedFrom == null && !slotGranted
        && items == null && fanOut == null;
  }

  /** Rebuilds a stage from stored fields; used by the store codec, not by logic. */
  public static Stage restore(
      String name,
      StageStatus status,
      int attempt,
      String worker,
      Map<String, String> outputs,
      StageError error,
      Instant updatedAt) {
    return restore(name, status, attempt, worker, outputs, error, updatedAt, false);
  }

  /** Rebuilds a stage from stored fields, with whether its attempt holds a slot; for the store codec. */
  public static Stage restore(
      String name,
      StageStatus status,
      int attempt,
      String worker,
      Map<String, String> outputs,
      StageError error,
      Instant updatedAt,
      boolean slotGranted) {
    return restore(name, status, attempt, worker, outputs, error, updatedAt, null, null, slotGranted);
  }

  /** Rebuilds a stage from stored fields, with its result key and reuse origin; for the store codec. */
  public static Stage restore(
      String name,
      StageStatus status,
      int attempt,
      String worker,
      Map<String, String> outputs,
      StageError error,
      Instant updatedAt,
      String resultKey,
      ReusedFrom reusedFrom) {
    return restore(name, status, attempt, worker, outputs, error, updatedAt, resultKey, reusedFrom, false);
  }

  /** Rebuilds a stage from every stored field; for the store codec. */
  public static Stage restore(
      String name,
      StageStatus status,
      int attempt,
      String worker,
      Map<String, String> outputs,
      StageError error,
      Instant updatedAt,
      String resultKey,
      ReusedFrom reusedFrom,
      boolean slotGranted) {
    Stage stage = new Stage(name, status, attempt, worker, outputs, error, updatedAt);
    stage.resultKey = resultKey;
    stage.reusedFrom = reusedFrom;
    stage.slotGranted = slotGranted;
    return stage;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public StageStatus status() {
    return status;
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public int retryBase() {
    return retryBase;
  }

  @Override
  public Optional<String> worker() {
    return Optional.ofNullable(worker);
  }

  @Override
  public Map<String, String> outputs() {
    return outputs;
  }

  @Override
  public Optional<StageError> error() {
    return Optional.ofNullable(error);
  }

  @Override
  public Instant updatedAt() {
    return updatedAt;
  }

  @Override
  public Optional<String> resultKey() {
    return Optional.ofNullable(resultKey);
  }

  @Override
  public Optional<ReusedFrom> reusedFrom() {
    return Optional.ofNullable(reusedFrom);
  }

  @Override
  public long resultAsk() {
    return resultAsk;
  }

  void resultKey(String key) {
    this.resultKey = key;
  }

  void resultAsk(long ask) {
    this.resultAsk = ask;
  }

  /** Sets the number of the stage's latest lookup read from a store ({@link #resultAsk()}); for the store codec. */
  public Stage restoredResultAsk(long ask) {
    this.resultAsk = ask;
    return this;
  }

  void reusedFrom(ReusedFrom origin) {
    this.reusedFrom = origin;
  }

  @Override
  public boolean slotGranted() {
    return slotGranted;
  }

  @Override
  public Optional<String> items() {
    return Optional.ofNullable(items);
  }

  @Override
  public Optional<FanOut> fanOut() {
    return Optional.ofNullable(fanOut);
  }

  /** Sets the retry base read from a store ({@link #retryBase()}); for the store codec. Returns this stage. */
  public Stage restoredRetryBase(int base) {
    this.retryBase = base;
    return this;
  }

  /** Sets the chunk items and fan-out counters read from a store; for the store codec. Returns this stage. */
  public Stage restoredFanOut(String chunkItems, FanOut counters) {
    this.items = chunkItems;
    this.fanOut = counters;
    return this;
  }

  /** A new chunk instance, WAITING, holding its items. */
  static Stage chunk(String name, String items, Instant at) {
    Stage stage = new Stage(name, at);
    stage.items = items;
    return stage;
  }

  void fanOut(FanOut value) {
    this.fanOut = value;
  }

  void slotGranted(boolean value) {
    this.slotGranted = value;
  }

  void status(StageStatus next, Instant at) {
    this.status = next;
    this.updatedAt = at;
  }

  /** The retry policy counts this stage's attempts anew: from the one after its current attempt. */
  void countRetriesAnew() {
    this.retryBase = attempt;
  }

  void newAttempt(int number) {
    this.attempt = number;
    this.worker = null;
    this.error = null;
    this.outputs = Map.of();
  }

  void worker(String id) {
    this.worker = id;
  }

  void outputs(Map<String, String> values) {
    this.outputs = Map.copyOf(values);
  }

  void error(StageError value) {
    this.error = value;
  }

  @Override
  public String toString() {
    return name + ":" + status + "#" + attempt;
  }
}
