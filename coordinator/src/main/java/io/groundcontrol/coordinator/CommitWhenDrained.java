package io.groundcontrol.coordinator;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks Kafka Streams to commit as soon as its stream thread has nothing left to wait for, so that
 * under exactly-once an instruction caused by an input becomes readable right after it, instead of
 * at the next commit interval (up to {@code commit.interval.ms} plus a {@code poll.ms} later).
 *
 * <p>Nothing is left to wait for when the open transaction holds output, no task of the thread has
 * input buffered, and no report is awaited on the instructions the last commit released: all came
 * in, or the last commit was {@link #AWAIT_REPORTS_MS} ago ({@link CommitReadiness}). A transaction
 * on the path of asks (one that wrote a request to an admission sub-topology, a mission's ask for
 * its place or for a result to reuse, see {@link Ask}, or read one and wrote the answer, such as a
 * grant with its RUN instruction) also commits after 2 ms without a record, and
 * once what the last commit released was all answered: its asks read by the sub-topologies they
 * went to ({@link AnsweringProcessor}), its instructions reported on. With one mission in flight
 * every report is the one awaited, and commits at once. Under load a commit releases many
 * instructions whose reports come back over the next milliseconds, and the transaction waits for
 * the last of them, or for those 5 ms. The commit interval is then only the ceiling for a thread
 * that never drains its input (20 ms by default): with a 5 ms interval, Kafka Streams' own commits
 * cut a round in two before its last reports were in.
 * Committing the first report of a round alone, as an earlier rule did (a commit after 2 ms without
 * output), cost 16 and 64 in flight a third more commits and a longer tail; committing on every
 * drained input, with no rule, settles where every input is its own transaction (16 in flight: 311
 * instead of 819 completions/s).
 *
 * <p>A requested commit ({@link ProcessorContext#commit()}) is honoured by the stream thread right
 * after its current processing pass, and it commits every task of the thread in one transaction; so
 * the bookkeeping is per thread, over all tasks this thread runs. Kafka Streams has no public view
 * of its input buffer or of when it committed: both come from its {@code StreamTask} through
 * reflection. Where that is not available (another Kafka Streams version, a test context) no commit
 * is ever requested and the interval alone decides; {@code CommitWhenDrainedTest} fails if the
 * pinned version breaks it.
 */
final class CommitWhenDrained implements AutoCloseable {
  static final String ENABLED_CONFIG = CoordinatorConfig.COMMIT_WHEN_DRAINED_CONFIG;

  /**
   * How long after a commit the reports on its instructions are waited for. A round of no-op stages
   * comes back within it at 16 and 64 in flight; a report later than that is a stage doing work, and
   * what the transaction holds is committed without it by a one-shot wake (50 ms stages: hand-off
   * p50 4.7-5.2 ms here, against 24-26 ms when the 20 ms commit interval was all that committed it).
   */
  static final long AWAIT_REPORTS_MS = 5;

  /**
   * How long without a record makes a transaction that wrote to an admission sub-topology worth
   * committing before {@link #AWAIT_REPORTS_MS}: the earlier rule's 2 ms, which lets a lone capped
   * stage's request go at once.
   */
  static final long ADMISSION_QUIET_MS = 2;

  private static final Logger LOG = LoggerFactory.getLogger(CommitWhenDrained.class);
  private static final TaskInternals TASK = TaskInternals.find();
  /** The instances on each stream thread: one per task, since there is one processor per task. */
  private static final Map<Thread, ThreadTasks> BY_THREAD = new ConcurrentHashMap<>();

  private final ProcessorContext<?, ?> context;
  private final long awaitMs;
  private final long admissionQuietMs;
  private ThreadTasks thread;

  private CommitWhenDrained(ProcessorContext<?, ?> context, long awaitMs, long admissionQuietMs) {
    this.context = context;
    this.awaitMs = awaitMs;
    this.admissionQuietMs = admissionQuietMs;
  }

  /** For the processor given {@code context}; never requests a commit unless enabled in its config. */
  static CommitWhenDrained of(ProcessorContext<?, ?> context) {
    Map<String, Object> configs = context.appConfigs();
    boolean enabled = Boolean.parseBoolean(String.valueOf(configs.get(ENABLED_CONFIG))) && TASK.available(context);
    long commitIntervalMs = Long.parseLong(String.valueOf(configs.getOrDefault(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
        CoordinatorConfig.DEFAULT_COMMIT_INTERVAL_MS)));
    return new CommitWhenDrained(enabled ? context : null, Math.min(AWAIT_REPORTS_MS, commitIntervalMs),
        Math.min(ADMISSION_QUIET_MS, commitIntervalMs));
  }

  /** Whether this instance may request commits: enabled, and the task's internals are readable. */
  boolean active() {
    return context != null;
  }

  /** Whether the thread holds a wake for a transaction held back for reports; for tests. */
  boolean wakeScheduled() {
    return thread != null && thread.wake != null;
  }

  /** How many answers the thread awaits on what its last noted commit released; for tests. */
  int awaited() {
    return thread == null ? 0 : thread.readiness.awaited();
  }

  /** Called before a record is processed: notes whether the thread committed since the last input. */
  void inputBegins() {
    if (context != null) {
      ThreadTasks tasks = joinCurrentThread();
      long nowMs = context.currentSystemTimeMs();
      tasks.noteCommit(nowMs);
      tasks.readiness.recordBegins(nowMs);
    }
  }

  /** Called before timers are processed: notes whether the thread committed since the last input. */
  void timersBegin() {
    if (context != null) {
      ThreadTasks tasks = joinCurrentThread();
      tasks.noteCommit(context.currentSystemTimeMs());
      tasks.readiness.timersBegin();
    }
  }

  /** An instruction to run {@code attempt} of {@code stage} was written. */
  void dispatched(String missionId, String stage, int attempt) {
    if (context != null) {
      joinCurrentThread().readiness.instructed(missionId, stage, attempt);
    }
  }

  /** A report on {@code attempt} of {@code stage} came in. */
  void answered(String missionId, String stage, int attempt) {
    if (context != null) {
      joinCurrentThread().readiness.answered(missionId, stage, attempt);
    }
  }

  /**
   * {@code value}, an {@link Ask}, was written to another sub-topology: the commit fires before the
   * interval only if the thread was quiet just before, the last commit was {@link #AWAIT_REPORTS_MS}
   * ago, or all it released was answered (see {@link CommitReadiness#onAskPath}).
   */
  void asked(Object value) {
    if (context != null) {
      CommitReadiness readiness = joinCurrentThread().readiness;
      Ask.of(value).ifPresent(readiness::asked);
      readiness.onAskPath();
    }
  }

  /** {@code value}, an {@link Ask}, was read by the sub-topology it was written to, which now answers it. */
  void askRead(Object value) {
    if (context != null) {
      CommitReadiness readiness = joinCurrentThread().readiness;
      Ask.of(value).ifPresent(readiness::askRead);
      readiness.onAskPath();
    }
  }

  /** Output that a commit makes visible was written: events or other records for workers and clients. */
  void outputWritten() {
    if (context != null) {
      joinCurrentThread().readiness.outputWritten();
    }
  }

  /** Called after an input or a timer: requests a commit if the thread has output and nothing left to wait for. */
  void inputEnds() {
    if (context == null) {
      return;
    }
    ThreadTasks tasks = joinCurrentThread();
    long nowMs = context.currentSystemTimeMs();
    if (!tasks.readiness.holdsOutput() || tasks.anyBuffered()) {
      return;
    }
    if (tasks.readiness.ready(nowMs)) {
      tasks.cancelWake();
      context.commit();
    } else if (tasks.wake == null) {
      // Held back for reports: if none comes, commit when they stop being awaited, not at the interval.
      long delayMs = Math.max(1, tasks.readiness.readyWithoutInputAtMs() - nowMs);
      tasks.wake = context.schedule(Duration.ofMillis(delayMs), PunctuationType.WALL_CLOCK_TIME, at -> wake());
    }
  }

  private void wake() {
    ThreadTasks tasks = joinCurrentThread();
    tasks.cancelWake();
    timersBegin();
    inputEnds();
  }

  private ThreadTasks joinCurrentThread() {
    Thread current = Thread.currentThread();
    if (thread == null || thread.owner != current) {
      if (thread != null) {
        thread.leave(this);
      }
      thread = BY_THREAD.computeIfAbsent(current, owner -> new ThreadTasks(owner, awaitMs, admissionQuietMs));
      thread.members.add(this);
    }
    return thread;
  }

  boolean hasBuffered() {
    return TASK.hasBuffered(context);
  }

  boolean commitNeeded() {
    return TASK.commitNeeded(context);
  }

  @Override
  public void close() {
    if (thread != null) {
      thread.leave(this);
      thread = null;
    }
  }

  /** The instances of one stream thread, and what its transactions released and had answered. */
  private static final class ThreadTasks {
    private final Thread owner;
    private final Set<CommitWhenDrained> members = ConcurrentHashMap.newKeySet();
    private final CommitReadiness readiness;

    ThreadTasks(Thread owner, long awaitMs, long admissionQuietMs) {
      this.owner = owner;
      this.readiness = new CommitReadiness(awaitMs, admissionQuietMs);
    }

    /** A one-shot punctuation that commits a transaction held back for reports that did not come. */
    private Cancellable wake;

    /** If no task of the thread needs a commit at {@code nowMs}, the open transaction has committed. */
    void noteCommit(long nowMs) {
      if (!readiness.holdsOutput()) {
        return;
      }
      for (CommitWhenDrained member : members) {
        if (member.commitNeeded()) {
          return;
        }
      }
      readiness.committed(nowMs);
      cancelWake();
    }

    void cancelWake() {
      if (wake != null) {
        wake.cancel();
        wake = null;
      }
    }

    /** Whether any task of the thread has input buffered; stops at the first that has. */
    boolean anyBuffered() {
      for (CommitWhenDrained member : members) {
        if (member.hasBuffered()) {
          return true;
        }
      }
      return false;
    }

    void leave(CommitWhenDrained member) {
      // The wake may belong to the leaving task, whose schedules go with it.
      cancelWake();
      members.remove(member);
      if (members.isEmpty()) {
        BY_THREAD.remove(owner, this);
      }
    }
  }

  /**
   * Reads a task's input buffer and whether it has processed anything since its last commit, through
   * Kafka Streams internals: {@code ProcessorContextImpl.streamTask}, its {@code numBuffered()} and its
   * {@code commitNeeded} field (set after each record or punctuation, cleared by the commit).
   */
  private record TaskInternals(Field streamTask, MethodHandle numBuffered, VarHandle commitNeeded) {
    private static final String CONTEXT = "org.apache.kafka.streams.processor.internals.ProcessorContextImpl";
    private static final String TASK = "org.apache.kafka.streams.processor.internals.StreamTask";

    static TaskInternals find() {
      try {
        Class<?> contextClass = Class.forName(CONTEXT);
        Class<?> taskClass = Class.forName(TASK);
        Field field = contextClass.getDeclaredField("streamTask");
        field.setAccessible(true);
        MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(taskClass, MethodHandles.lookup());
        // Adapted once to (Object)int so that each call is an exact one, without a type check per call.
        MethodHandle method = lookup.findVirtual(taskClass, "numBuffered", MethodType.methodType(int.class))
            .asType(MethodType.methodType(int.class, Object.class));
        VarHandle commitNeeded = lookup.findVarHandle(taskClass, "commitNeeded", boolean.class);
        return new TaskInternals(field, method, commitNeeded);
      } catch (ReflectiveOperationException | RuntimeException e) {
        LOG.warn("Kafka Streams' task internals are not readable ({}): commits follow commit.interval.ms only",
            e.toString());
        return new TaskInternals(null, null, null);
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

    /** Whether the context's task has records buffered, not counting the one being processed. */
    boolean hasBuffered(ProcessorContext<?, ?> context) {
      try {
        Object task = streamTask.get(context);
        return task != null && (int) numBuffered.invokeExact(task) != 0;
      } catch (Throwable e) {
        // Unreadable now means unknown: do not request a commit that might split a batch.
        return true;
      }
    }

    /** Whether the context's task processed a record or punctuated since it last committed. */
    boolean commitNeeded(ProcessorContext<?, ?> context) {
      try {
        Object task = streamTask.get(context);
        return task != null && (boolean) commitNeeded.get(task);
      } catch (IllegalAccessException | RuntimeException e) {
        // Unreadable now means unknown: the open transaction goes on.
        return true;
      }
    }
  }
}
