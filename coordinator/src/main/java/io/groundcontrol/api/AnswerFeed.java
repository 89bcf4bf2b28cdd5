package io.groundcontrol.api;

import java.util.function.Consumer;

/** Where a gateway's answers come from: every event of a log, handed to {@code listener} until closed. */
@FunctionalInterface
interface AnswerFeed<E> {
  AutoCloseable subscribe(Consumer<E> listener);
}
