package io.groundcontrol.trigger;

import io.groundcontrol.client.CompactedTopic;
import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.schema.Trigger;
import io.groundcontrol.schema.wire.AvroSerde;
import io.groundcontrol.schema.wire.TopicNames;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which topics the trigger sub-topology must read: those of the applied triggers that exist, but
 * none of Groundcontrol's own. Checked every {@link #INTERVAL}; a change is passed on so that the
 * coordinator rebuilds its topology (a Kafka Streams topology's sources are fixed when built).
 */
public final class TriggerTopicWatcher implements AutoCloseable {
  /** How often the applied triggers and existing topics are checked. */
  public static final Duration INTERVAL = Duration.ofSeconds(5);
  private static final Logger LOG = LoggerFactory.getLogger(TriggerTopicWatcher.class);

  private final KafkaConnection kafka;
  private final TopicNames names;
  private final Admin admin;
  private Thread thread;
  private volatile boolean running = true;

  public TriggerTopicWatcher(KafkaConnection kafka, TopicNames names) {
    this.kafka = kafka;
    this.names = names;
    this.admin = kafka.admin();
  }

  /** The topics to read now. */
  public Set<String> topics() {
    Set<String> wanted = new TreeSet<>();
    CompactedTopic.read(kafka, names.triggers(), AvroSerde.of(Trigger.class).deserializer())
        .values().forEach(trigger -> wanted.add(trigger.getTopic()));
    wanted.removeIf(topic -> topic.startsWith(names.prefix() + "."));
    try {
      wanted.retainAll(admin.listTopics().names().get(30, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while listing topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Could not list topics: " + e.getMessage(), e);
    }
    return wanted;
  }

  /** Calls {@code onChange} from a background thread whenever {@link #topics()} differs from {@code current}. */
  public void watch(Set<String> current, Consumer<Set<String>> onChange) {
    thread = new Thread(() -> {
      Set<String> known = current;
      while (running) {
        try {
          Thread.sleep(INTERVAL.toMillis());
          Set<String> now = topics();
          if (!now.equals(known)) {
            LOG.info("Trigger topics changed from {} to {}", known, now);
            known = now;
            onChange.accept(now);
          }
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          LOG.warn("Could not check the trigger topics; trying again in {}", INTERVAL, e);
        }
      }
    }, "groundcontrol-trigger-topics");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() {
    running = false;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    admin.close();
  }
}
