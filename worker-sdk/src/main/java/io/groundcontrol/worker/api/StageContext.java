package io.groundcontrol.worker.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What one call of {@link StageHandler#handle} is asked to do: the stage attempt from the
 * coordinator's RUN instruction, and whether it has been cancelled since.
 *
 * <p>Params are resolved by the coordinator and every value is JSON text: a string param {@code
 * daily} arrives as {@code "daily"} (with the quotes), a number as {@code 42}, an object as {@code
 * {"a":1}}. {@link #param} gives the text as it came; {@link #stringParam} also decodes a JSON string,
 * which covers most params without a JSON library.
 *
 * <p>Instances are created by the worker, are safe to read from any thread, and are valid for the
 * duration of one call.
 */
public interface StageContext {

  /** The mission this attempt belongs to. */
  String missionId();

  /** The name of the plan the mission runs. */
  String planName();

  /** The stage to run, unique within the plan. */
  String stage();

  /** The component this worker serves, as named in the plan. */
  String component();

  /** The attempt number: 1 for the first dispatch, incremented by every retry of the stage. */
  int attempt();

  /** When the coordinator dispatched this attempt. */
  Instant dispatchedAt();

  /**
   * How long the plan allows the attempt to run, if it sets a limit. The coordinator enforces it
   * by cancelling the attempt when it is exceeded; a handler may use it to size its own deadlines.
   */
  Optional<Duration> timeout();

  /** All params, by name; every value is JSON text. Unmodifiable. */
  Map<String, String> params();

  /**
   * One param as JSON text, exactly as the coordinator sent it.
   *
   * @param name the param name
   * @return the JSON text, or empty if the stage has no such param
   */
  Optional<String> param(String name);

  /**
   * One param with a JSON string decoded: {@code "abc"} (with quotes) gives {@code abc}. Text that
   * is not a JSON string, such as a number {@code 42} or plain {@code abc} without quotes, is
   * returned unchanged.
   *
   * @param name the param name
   * @return the decoded value, or empty if the stage has no such param
   */
  Optional<String> stringParam(String name);

  /**
   * Like {@link #param}, for a param the handler cannot do without.
   *
   * @param name the param name
   * @return the JSON text
   * @throws NonRetryableStageException if the param is missing, with a message like "Expected param
   *     'table' for stage 'load' of mission 'm-1', but it is missing"; thrown out of the handler, it
   *     fails the attempt without a retry
   */
  String requireParam(String name);

  /**
   * Like {@link #stringParam}, for a param the handler cannot do without.
   *
   * @param name the param name
   * @return the decoded value
   * @throws NonRetryableStageException if the param is missing; see {@link #requireParam}
   */
  String requireStringParam(String name);

  /**
   * Whether the worker no longer wants this attempt's result: the coordinator sent a CANCEL for it,
   * or the worker is closing and the close timeout has passed. The handler thread is interrupted at
   * the same moment. Once this returns true, the attempt's report is a failure whatever the handler
   * returns: "cancelled" ({@code retryable = false}) after a CANCEL, or a retryable failure saying
   * the worker closed.
   */
  boolean isCancelled();
}
