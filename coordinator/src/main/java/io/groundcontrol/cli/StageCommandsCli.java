package io.groundcontrol.cli;

import io.groundcontrol.schema.FailStage;
import io.groundcontrol.schema.RetryStage;
import io.groundcontrol.schema.SkipStage;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Manual operations on one stage of a mission. Each sends a command and waits for the coordinator's
 * answer: what it did, or a rejection saying why not (exit 1).
 */
final class StageCommandsCli {
  private StageCommandsCli() {}

  /** What every stage operation names. */
  static final class Target {
    @Mixin ClusterOptions cluster;

    @Parameters(index = "0", paramLabel = "MISSION", description = "Mission id.")
    String missionId;

    @Parameters(index = "1", paramLabel = "STAGE",
        description = "Stage name, or one chunk of a stage fanned out in chunks: 'score[17]', quoted, as a shell "
            + "takes [17] for a file name pattern.")
    String stage;

    /** Sends {@code command} and waits for its answer; {@code done} is the verb for what happened. */
    int send(String done, Object command) {
      return AnsweredCommands.send(cluster, missionId, command, done + " stage '" + stage + "' of " + missionId);
    }
  }

  @Command(name = "retry", mixinStandardHelpOptions = true,
      description = "Run a FAILED stage again now, as a new attempt; resumes a FAILED mission.")
  static final class Retry implements Callable<Integer> {
    @Mixin Target target;

    @Option(names = "--with-downstream", description = "Also rerun stages after it that finished, failed or were skipped.")
    boolean withDownstream;

    @Override
    public Integer call() {
      return target.send("retried", new RetryStage(target.stage, withDownstream));
    }
  }

  @Command(name = "skip", mixinStandardHelpOptions = true,
      description = "Pass over a stage as if it finished (stopping it if it runs), so that its downstream runs.")
  static final class Skip implements Callable<Integer> {
    @Mixin Target target;

    @Option(names = "--reason", description = "Why; kept in the audit log.")
    String reason;

    @Override
    public Integer call() {
      return target.send("skipped", new SkipStage(target.stage, reason));
    }
  }

  @Command(name = "fail", mixinStandardHelpOptions = true,
      description = "Mark a stage failed, without retry (stopping it if it runs).")
  static final class Fail implements Callable<Integer> {
    @Mixin Target target;

    @Option(names = "--reason", description = "Why; kept in the audit log.")
    String reason;

    @Override
    public Integer call() {
      return target.send("failed", new FailStage(target.stage, reason));
    }
  }
}
