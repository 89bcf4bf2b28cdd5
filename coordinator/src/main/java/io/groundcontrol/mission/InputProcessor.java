package io.groundcontrol.mission;

/**
 * Decides what one kind of input means for a mission, by reading state and appending events (or a
 * rejection) to the context. Never changes state directly.
 *
 * @param <E> the envelope, a {@code MissionCommand} or a {@code StageReport}
 * @param <P> the payload kind within it
 */
@FunctionalInterface
interface InputProcessor<E, P> {
  void process(E envelope, P payload, ProcessingContext context);
}
