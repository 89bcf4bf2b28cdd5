package io.groundcontrol.client;

import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.wire.AvroSerde;
import io.groundcontrol.schema.wire.TopicNames;
import java.util.function.Consumer;

/**
 * The mission-events log as it grows, read once per process and handed to every listener: the
 * answers to commands sent through the API, the live event streams, the metrics. Starts at the
 * log's end; reads committed events only.
 */
public final class EventFeed implements AutoCloseable {
  private final LogFeed<MissionEvent> feed;

  public EventFeed(KafkaConnection kafka, TopicNames topics) {
    this.feed = new LogFeed<>(kafka, topics.missionEvents(), AvroSerde.of(MissionEvent.class).deserializer());
  }

  /** Calls {@code listener} with every event from now on, on the feed's thread; it must not block. */
  public AutoCloseable subscribe(Consumer<MissionEvent> listener) {
    return feed.subscribe(listener);
  }

  @Override
  public void close() {
    feed.close();
  }
}
