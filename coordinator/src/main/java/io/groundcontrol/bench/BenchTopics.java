package io.groundcontrol.bench;

import io.groundcontrol.client.KafkaConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/** Topics of the scenarios that run a Kafka Streams application of their own (raw baseline, floor). */
final class BenchTopics {
  private BenchTopics() {}

  static void create(KafkaConnection bootstrap, int partitions, String... names) {
    try (Admin admin = bootstrap.admin()) {
      List<NewTopic> topics = new ArrayList<>();
      for (String name : names) {
        topics.add(new NewTopic(name, partitions, (short) 1));
      }
      admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("Could not create the topics " + List.of(names) + ": " + e, e);
    }
  }

  /** Deletes the topics named, and every topic starting with a name that ends in a dash. */
  static void delete(KafkaConnection bootstrap, List<String> names) {
    try (Admin admin = bootstrap.admin()) {
      List<String> prefixes = names.stream().filter(n -> n.endsWith("-")).toList();
      List<String> doomed = new ArrayList<>(names.stream().filter(n -> !n.endsWith("-")).toList());
      if (!prefixes.isEmpty()) {
        admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
            .filter(t -> prefixes.stream().anyMatch(t::startsWith))
            .forEach(doomed::add);
      }
      admin.deleteTopics(doomed).all().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("bench: could not delete the topics " + names + ": " + e);
    }
  }
}
