package io.groundcontrol.api;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.groundcontrol.client.LiveWorkers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The live workers of every component, as {@code GET /api/v1/components} and the notes of a
 * mission show them. Asking Kafka (list the topics, describe every component's consumer group)
 * costs about 100 ms idle and up to a second under load, and the web UI polls: requests that come
 * while a lookup runs share it, and its answer serves every request for {@link #FRESH} after it
 * came, stamped with when that was. A failed lookup is not kept: the next request asks again.
 */
final class LiveWorkerSnapshots implements AutoCloseable {
  /** How long one answer serves: membership changes take seconds (a session timeout) to show anyway. */
  static final Duration FRESH = Duration.ofSeconds(1);

  /** The live workers by component, and when Kafka told them. */
  record Snapshot(Map<String, List<String>> workers, Instant at) {
    /** The live workers of each of {@code components}; empty for one with none or no group. */
    Map<String, List<String>> of(Collection<String> components) {
      Map<String, List<String>> some = new TreeMap<>();
      components.forEach(component -> some.put(component, workers.getOrDefault(component, List.of())));
      return some;
    }
  }

  private static final String EVERY_COMPONENT = "";

  /**
   * A lookup's snapshot or its failure. Kept as a value, not as a failed future: Caffeine logs every
   * failed load as a WARN with its stack trace, which an outage would repeat at every request.
   */
  record Lookup(Snapshot snapshot, RuntimeException failure) {
    /** The snapshot, or what the lookup failed with thrown. */
    Snapshot orThrow() {
      if (failure != null) {
        throw failure;
      }
      return snapshot;
    }
  }

  private final AsyncLoadingCache<String, Lookup> cache;
  private final ExecutorService owned;

  /** Snapshots of {@code workers}, each lookup on a thread of its own. */
  LiveWorkerSnapshots(LiveWorkers workers, Clock clock) {
    this(() -> workers.of(workers.components()), clock, Ticker.systemTicker(), Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "groundcontrol-live-workers");
      thread.setDaemon(true);
      return thread;
    }));
  }

  /**
   * Snapshots of what {@code lookup} answers, stamped by {@code clock}, kept by {@code ticker}'s
   * time, looked up on {@code executor}: how tests drive the sharing and the expiry.
   */
  LiveWorkerSnapshots(Supplier<Map<String, List<String>>> lookup, Clock clock, Ticker ticker, Executor executor) {
    this.owned = executor instanceof ExecutorService service ? service : null;
    // The cache's own upkeep runs in the caller (it is quick); only the lookup, which waits on Kafka, on the executor.
    this.cache = Caffeine.newBuilder()
        .expireAfterWrite(FRESH)
        .ticker(ticker)
        .executor(Runnable::run)
        .buildAsync((key, upkeep) -> CompletableFuture.supplyAsync(() -> {
          try {
            return new Lookup(new Snapshot(Map.copyOf(lookup.get()), clock.instant()), null);
          } catch (RuntimeException e) {
            return new Lookup(null, e);
          }
        }, executor));
  }

  /**
   * The newest snapshot, waiting for the lookup under way or starting one if the last is older than {@link #FRESH}.
   *
   * @throws RuntimeException what the lookup failed with ({@link LiveWorkers#of})
   */
  Snapshot get() {
    return lookup().join().orThrow();
  }

  /**
   * The newest snapshot if its lookup answers within {@code wait}; empty if it has not by then (Kafka
   * is away or slow: the lookup goes on, for the next caller). For what may do without it, such as
   * a mission's notes, which would otherwise hold a page as long as a lookup's 15 s give-up.
   *
   * @throws RuntimeException what the lookup failed with ({@link LiveWorkers#of})
   */
  Optional<Snapshot> within(Duration wait) {
    try {
      return Optional.of(lookup().get(wait.toMillis(), TimeUnit.MILLISECONDS).orThrow());
    } catch (TimeoutException late) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (ExecutionException e) {
      throw new IllegalStateException("The live workers' lookup failed: " + e.getCause(), e.getCause());
    }
  }

  /**
   * The lookup under way or done: shared by every caller until it is older than {@link #FRESH}; one
   * that failed is dropped once it ends, so the next caller asks Kafka again.
   */
  CompletableFuture<Lookup> lookup() {
    CompletableFuture<Lookup> pending = cache.get(EVERY_COMPONENT);
    pending.thenAccept(done -> {
      if (done.failure() != null) {
        cache.asMap().remove(EVERY_COMPONENT, pending);
      }
    });
    return pending;
  }

  @Override
  public void close() {
    if (owned != null) {
      owned.shutdownNow();
    }
  }
}
