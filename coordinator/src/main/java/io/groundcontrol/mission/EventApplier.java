package io.groundcontrol.mission;

import java.time.Instant;

/**
 * Changes a mission as one kind of event says. Appliers never decide and never refuse: the event
 * was accepted already, so applying it must succeed, on the live path and on replay alike.
 *
 * @param <E> the event payload type
 */
@FunctionalInterface
interface EventApplier<E> {
  void apply(Mission mission, E event, Instant at);
}
