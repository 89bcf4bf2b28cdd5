package io.groundcontrol.coordinator;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks Kafka Streams to commit as soon as the stream thread has no input left to process, so that
 * under exactly-once an instruction becomes readable right after the input that caused it, instead of
 * at the next commit interval (up to {@code commit.interval.ms} plus a {@code poll.ms} later). Under
 * load the input buffer seldom runs dry and the interval commits as before, many inputs at a time.
 *
 * <p>A requested commit ({@link ProcessorContext#commit()}) is honoured by the stream thread right
 * after its current processing pass, and it commits every task of the thread in one transaction; so
 * the test is on all tasks this thread runs, not just the caller's. Kafka Streams has no public view of
 * its input buffer: the count comes from its {@code StreamTask} through reflection. Where that is not
 * available (another Kafka Streams version, a test context) no commit is ever requested and the
 * interval alone decides, as it did before; {@code CommitWhenDrainedTest} fails if the pinned version
 * breaks it.
 */
final class CommitWhenDrained implements AutoCloseable {
  static final String ENABLED_CONFIG = CoordinatorConfig.COMMIT_WHEN_DRAINED_CONFIG;
  /** A brake for loads where the buffer runs dry after every few inputs. */
  static final String MIN_GAP_CONFIG = CoordinatorConfig.COMMIT_WHEN_DRAINED_MIN_GAP_CONFIG;

  private static final Logger LOG = LoggerFactory.getLogger(CommitWhenDrained.class);
  private static final TaskBuffer TASK_BUFFER = TaskBuffer.find();
  /** The instances on each stream thread: one per task, since there is one processor per task. */
  private static final Map<Thread, ThreadTasks> BY_THREAD = new ConcurrentHashMap<>();

  private final ProcessorContext<?, ?> context;
  private final long minGapMs;
  private ThreadTasks thread;

  private CommitWhenDrained(ProcessorContext<?, ?> context, long minGapMs) {
    this.context = context;
    this.minGapMs = minGapMs;
  }

  /** For the processor given {@code context}; never requests a commit unless enabled in its config. */
  static CommitWhenDrained of(ProcessorContext<?, ?> context) {
    Map<String, Object> configs = context.appConfigs();
    boolean enabled = Boolean.parseBoolean(String.valueOf(configs.get(ENABLED_CONFIG)))
        && TASK_BUFFER.available(context);
    Object gap = configs.get(MIN_GAP_CONFIG);
    return new CommitWhenDrained(enabled ? context : null, gap == null ? 0 : Long.parseLong(gap.toString()));
  }

  /** Whether this instance may request commits: enabled, and the input buffer is readable. */
  boolean active() {
    return context != null;
  }

  /**
   * Called after an input or a timer produced output: requests a commit if no task of this thread
   * has input waiting.
   */
  void outputWritten() {
    if (context == null) {
      return;
    }
    ThreadTasks tasks = joinCurrentThread();
    long now = context.currentSystemTimeMs();
    if (now - tasks.lastRequestMs < minGapMs || tasks.buffered() > 0) {
      return;
    }
    tasks.lastRequestMs = now;
    context.commit();
  }

  private ThreadTasks joinCurrentThread() {
    Thread current = Thread.currentThread();
    if (thread == null || thread.owner != current) {
      if (thread != null) {
        thread.leave(this);
      }
      thread = BY_THREAD.computeIfAbsent(current, ThreadTasks::new);
      thread.members.add(this);
    }
    return thread;
  }

  int buffered() {
    return TASK_BUFFER.buffered(context);
  }

  @Override
  public void close() {
    if (thread != null) {
      thread.leave(this);
      thread = null;
    }
  }

  /** The instances of one stream thread and when it last requested a commit. */
  private static final class ThreadTasks {
    private final Thread owner;
    private final Set<CommitWhenDrained> members = ConcurrentHashMap.newKeySet();
    private long lastRequestMs = Long.MIN_VALUE / 2;

    ThreadTasks(Thread owner) {
      this.owner = owner;
    }

    int buffered() {
      int sum = 0;
      for (CommitWhenDrained member : members) {
        sum += member.buffered();
      }
      return sum;
    }

    void leave(CommitWhenDrained member) {
      members.remove(member);
      if (members.isEmpty()) {
        BY_THREAD.remove(owner, this);
      }
    }
  }

  /** Reads a task's input buffer through Kafka Streams internals: {@code ProcessorContextImpl.streamTask.numBuffered()}. */
  private record TaskBuffer(Field streamTask, MethodHandle numBuffered) {
    private static final String CONTEXT = "org.apache.kafka.streams.processor.internals.ProcessorContextImpl";
    private static final String TASK = "org.apache.kafka.streams.processor.internals.StreamTask";

    static TaskBuffer find() {
      try {
        Class<?> contextClass = Class.forName(CONTEXT);
        Class<?> taskClass = Class.forName(TASK);
        Field field = contextClass.getDeclaredField("streamTask");
        field.setAccessible(true);
        MethodHandle method = MethodHandles.privateLookupIn(taskClass, MethodHandles.lookup())
            .findVirtual(taskClass, "numBuffered", MethodType.methodType(int.class));
        return new TaskBuffer(field, method);
      } catch (ReflectiveOperationException | RuntimeException e) {
        LOG.warn("Kafka Streams' input buffer is not readable ({}): commits follow commit.interval.ms only", e.toString());
        return new TaskBuffer(null, null);
      }
    }

    boolean available(ProcessorContext<?, ?> context) {
      if (streamTask == null || !streamTask.getDeclaringClass().isInstance(context)) {
        return false;
      }
      try {
        return streamTask.get(context) != null;
      } catch (IllegalAccessException e) {
        return false;
      }
    }

    /** Records buffered for the context's task, not counting the one being processed. */
    int buffered(ProcessorContext<?, ?> context) {
      try {
        Object task = streamTask.get(context);
        return task == null ? 0 : (int) numBuffered.invoke(task);
      } catch (Throwable e) {
        // Unreadable now means unknown: do not request a commit that might split a batch.
        return Integer.MAX_VALUE / 16;
      }
    }
  }
}
