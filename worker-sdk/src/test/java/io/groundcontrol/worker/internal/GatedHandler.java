package io.groundcontrol.worker.internal;

import io.groundcontrol.worker.api.StageContext;
import io.groundcontrol.worker.api.StageHandler;
import io.groundcontrol.worker.api.StageResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A handler that blocks every call until the test opens the gate, and records what it saw. */
final class GatedHandler implements StageHandler {
  private final CountDownLatch gate = new CountDownLatch(1);
  final AtomicInteger running = new AtomicInteger();
  final AtomicInteger mostRunning = new AtomicInteger();
  final List<String> calls = new CopyOnWriteArrayList<>();
  final List<String> interrupted = new CopyOnWriteArrayList<>();
  final Map<String, StageContext> contexts = new ConcurrentHashMap<>();
  final Map<String, String> threads = new ConcurrentHashMap<>();

  @Override
  public StageResult handle(StageContext context) throws InterruptedException {
    calls.add(context.missionId());
    contexts.put(context.missionId(), context);
    threads.put(context.missionId(), Thread.currentThread().getName());
    mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
    try {
      if (!gate.await(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("The test never opened the gate");
      }
      return StageResult.finished().stringOutput("mission", context.missionId());
    } catch (InterruptedException e) {
      interrupted.add(context.missionId());
      throw e;
    } finally {
      running.decrementAndGet();
    }
  }

  void open() {
    gate.countDown();
  }

  void awaitCalls(int count) {
    Await.until(count + " handler calls", () -> calls.size() >= count);
  }
}
