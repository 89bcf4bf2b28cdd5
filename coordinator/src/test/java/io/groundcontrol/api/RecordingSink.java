package io.groundcontrol.api;

import java.util.ArrayList;
import java.util.List;

/** What a stream's client would have received: each event's name and id, and each comment. */
class RecordingSink implements OpenStream.Sink {
  final List<String> sent = new ArrayList<>();
  private volatile boolean closed;

  @Override
  public void send(String name, String data, String id) {
    sent.add(id == null ? name : name + " " + id);
  }

  @Override
  public void comment() {
    sent.add("comment");
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public boolean terminated() {
    return closed;
  }
}
