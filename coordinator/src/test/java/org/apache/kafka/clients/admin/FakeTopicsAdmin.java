package org.apache.kafka.clients.admin;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.internals.KafkaFutureImpl;

/** An Admin for unit tests that knows topics and their partition counts (changed in {@code topics}), and creates topics. */
public final class FakeTopicsAdmin {
  private FakeTopicsAdmin() {}

  public static Admin of(Map<String, Integer> topics) {
    return of(topics, UnaryOperator.identity());
  }

  /**
   * As {@link #of(Map)}, listing what {@code listing} makes of the topics at each call: a broker
   * whose metadata lags behind leaves some out.
   */
  public static Admin of(Map<String, Integer> topics, UnaryOperator<Set<String>> listing) {
    return of(topics, listing, new ArrayList<>());
  }

  /** As {@link #of(Map)}, adding each topic it creates to {@code created}, with its replication and configs. */
  public static Admin of(Map<String, Integer> topics, List<NewTopic> created) {
    return of(topics, UnaryOperator.identity(), created, Map.of());
  }

  /**
   * As {@link #of(Map)}, answering every call {@code delay} after it is made, as a slow cluster
   * does: the caller gets its result at once, and its futures complete later.
   */
  public static Admin answeringAfter(Duration delay, Map<String, Integer> topics) {
    return of(topics, UnaryOperator.identity(), new ArrayList<>(), Map.of(), delay);
  }

  /** As {@link #of(Map, List)}, failing the creation of each topic in {@code refusals} with its exception. */
  public static Admin refusing(Map<String, Integer> topics, List<NewTopic> created, Map<String, Exception> refusals) {
    return of(topics, UnaryOperator.identity(), created, refusals);
  }

  private static Admin of(Map<String, Integer> topics, UnaryOperator<Set<String>> listing, List<NewTopic> creations) {
    return of(topics, listing, creations, Map.of());
  }

  private static Admin of(Map<String, Integer> topics, UnaryOperator<Set<String>> listing, List<NewTopic> creations,
      Map<String, Exception> refusals) {
    return of(topics, listing, creations, refusals, Duration.ZERO);
  }

  /** {@code value}, now or {@code delay} from now. */
  private static <T> KafkaFuture<T> answer(T value, Duration delay) {
    if (delay.isZero()) {
      return KafkaFuture.completedFuture(value);
    }
    KafkaFutureImpl<T> later = new KafkaFutureImpl<>();
    CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS).execute(() -> later.complete(value));
    return later;
  }

  @SuppressWarnings("unchecked")
  private static Admin of(Map<String, Integer> topics, UnaryOperator<Set<String>> listing, List<NewTopic> creations,
      Map<String, Exception> refusals, Duration delay) {
    Node node = new Node(0, "localhost", 9092);
    return (Admin) Proxy.newProxyInstance(Admin.class.getClassLoader(), new Class<?>[] {Admin.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "listTopics" -> {
            Map<String, TopicListing> listings = new HashMap<>();
            listing.apply(Set.copyOf(topics.keySet())).forEach(t -> listings.put(t, new TopicListing(t, null, false)));
            yield new ListTopicsResult(answer(listings, delay));
          }
          case "describeTopics" -> {
            Map<String, KafkaFuture<TopicDescription>> described = new HashMap<>();
            Collection<String> names = args[0] instanceof org.apache.kafka.common.TopicCollection.TopicNameCollection c
                ? c.topicNames() : (Collection<String>) args[0];
            for (String t : names) {
              List<TopicPartitionInfo> parts = new ArrayList<>();
              for (int p = 0; p < topics.get(t); p++) {
                parts.add(new TopicPartitionInfo(p, node, List.of(node), List.of(node)));
              }
              described.put(t, answer(new TopicDescription(t, false, parts), delay));
            }
            yield DescribeTopicsResult.ofTopicNames(described);
          }
          case "createTopics" -> {
            Map<String, KafkaFuture<CreateTopicsResult.TopicMetadataAndConfig>> created = new HashMap<>();
            for (NewTopic t : (Collection<NewTopic>) args[0]) {
              if (refusals.containsKey(t.name())) {
                KafkaFutureImpl<CreateTopicsResult.TopicMetadataAndConfig> refused = new KafkaFutureImpl<>();
                refused.completeExceptionally(refusals.get(t.name()));
                created.put(t.name(), refused);
                continue;
              }
              topics.put(t.name(), t.numPartitions());
              creations.add(t);
              created.put(t.name(), answer(null, delay));
            }
            yield new CreateTopicsResult(created);
          }
          case "close" -> null;
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }
}
