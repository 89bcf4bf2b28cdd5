package io.groundcontrol.api;

import io.javalin.http.sse.SseClient;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * An event stream's writes to its client, in the server-sent events format, and its end.
 *
 * <p>A stream ends in one of two ways, and only one of them may end the response. A write that
 * fails (the client went away) makes Jetty abort the exchange and recycle the response by itself;
 * ending it afterwards runs Javalin's completion on the recycled response, where Javalin 7.2 spins
 * the thread for ever, logging. So a failed write only releases the stream. A {@link #close} by
 * choice (a revoked key, a client too far behind, the server stopping) ends the response, but never
 * while a write is under way: the writer ends it when its write is over, unless the write failed.
 * Writes therefore go to the response directly rather than through {@link SseClient}, which ends
 * the response itself when a write fails.
 */
final class SseSink implements OpenStream.Sink {
  private final SseClient client;
  private volatile Runnable onEnd = () -> {};
  // Guarded by this; no write happens under the lock, so close() never waits for a client.
  private boolean writing;
  private boolean failed;
  private boolean closing;
  private boolean ended;

  SseSink(SseClient client) {
    this.client = client;
  }

  /** What to release when the stream ends, however it ends; may run more than once. */
  void onEnd(Runnable release) {
    this.onEnd = release;
  }

  @Override
  public void send(String name, String data, String id) {
    StringBuilder frame = new StringBuilder();
    if (id != null) {
      frame.append("id: ").append(oneLine(id)).append('\n');
    }
    frame.append("event: ").append(oneLine(name)).append('\n');
    for (String line : data.split("\n", -1)) {
      frame.append("data: ").append(line).append('\n');
    }
    write(frame.append('\n').toString());
  }

  @Override
  public void comment() {
    write(": \n");
  }

  private void write(String frame) {
    synchronized (this) {
      if (failed || closing || ended) {
        return;
      }
      writing = true;
    }
    boolean written = false;
    try {
      HttpServletResponse response = client.ctx().res();
      response.getOutputStream().write(frame.getBytes(StandardCharsets.UTF_8));
      response.flushBuffer();
      written = true;
    } catch (IOException | RuntimeException e) {
      // The client went away (or the exchange was already over): Jetty ends the response itself.
    }
    boolean endNow;
    synchronized (this) {
      writing = false;
      failed = !written;
      endNow = closing && written && !ended;
      ended |= endNow;
    }
    if (!written) {
      onEnd.run();
    } else if (endNow) {
      client.close();
    }
  }

  @Override
  public void close() {
    boolean endNow;
    synchronized (this) {
      closing = true;
      endNow = !writing && !failed && !ended;
      ended |= endNow;
    }
    // Released at once, whether the response ends now or when the write under way is over.
    onEnd.run();
    if (endNow) {
      client.close();
    }
  }

  @Override
  public synchronized boolean terminated() {
    return failed || closing || ended || client.terminated();
  }

  private static String oneLine(String field) {
    return field.replace("\r", "").replace("\n", "");
  }
}
