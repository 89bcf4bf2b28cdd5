package io.groundcontrol.api;

import io.javalin.http.Handler;

/**
 * An {@link Error} a route's handler threw (a class that failed to load, a stack overflow), passed on
 * as an exception: Javalin maps exceptions only, so an Error answered an empty 500, without the
 * incident id that the coordinator's log is searched by.
 */
public final class UnexpectedError extends RuntimeException {
  private UnexpectedError(Error cause) {
    super(cause.toString(), cause);
  }

  /** {@code handler}, with an Error it throws passed on as an {@code UnexpectedError}. */
  public static Handler passedOnAsException(Handler handler) {
    return ctx -> {
      try {
        handler.handle(ctx);
      } catch (Error e) {
        throw new UnexpectedError(e);
      }
    };
  }
}
