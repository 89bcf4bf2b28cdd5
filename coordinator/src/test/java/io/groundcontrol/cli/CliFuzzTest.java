package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.audit.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Randomised command lines, fixed seeds, no broker: every command's options and positionals get
 * random (mostly bad) values; Kafka commands get --kafka-config naming a missing file and an
 * unreachable --bootstrap-servers, so none ever waits on a broker.
 *
 * <p>Invariant: a run that fails exits non-zero, says what is wrong on the first line of stderr, and
 * prints no stack trace; no run takes long.
 */
class CliFuzzTest {
  private static final long SEED = Long.getLong("clifuzz.seed", 20260522L);
  /** About 5 s; more with {@code -Dclifuzz.runs=300} (and another {@code -Dclifuzz.seed}). */
  private static final int RUNS = Integer.getInteger("clifuzz.runs", 70);
  /** Long-running commands: they start brokers, coordinators or workers. */
  private static final Set<String> SKIPPED = Set.of("demo", "dev", "bench", "chaos", "broker", "workers", "coordinator");
  private static final Set<String> FORCED = Set.of("--kafka-config", "--bootstrap-servers", "--data-dir", "--api-url",
      "--output", "--state-dir", "--apply", "--wait");
  private static final Pattern STACK = Pattern.compile("(?m)^\\s+at [\\w.$]+\\(|Exception in thread|^(java|javax|org|io)\\.[\\w.$]+(Exception|Error)");

  @TempDir Path dir;

  @Test
  void everyFailureIsOneLineWithoutAStackTrace() throws Exception {
    Path validPlan = Path.of("..", "examples", "diamond.yaml");
    Path badPlan = Path.of("..", "examples", "bad-cycle.yaml");
    Path schedules = Path.of("..", "examples", "schedules.yaml");
    Files.createDirectories(dir.resolve("adir.yaml"));
    Path binary = Files.write(dir.resolve("bin.yaml"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0xc3});
    String[] values = {"", " ", "-1", "0", "2147483648", "99999999999999999999", "abc", "5m", "PT5M", "-5m", "0s",
        "1.5", "nope/missing.yaml", dir.resolve("adir.yaml").toString(), dir.toString(), binary.toString(),
        validPlan.toString(), badPlan.toString(), schedules.toString(), "a=b", "=", "x=", "=y", "x\ny", "ünï", "-",
        "%s%n", "${x}", "2026-13-45T25:00:00Z", "2026-01-01T00:00:00Z", "FINISHED", "finished", "admin", "a/b",
        "x".repeat(300), "--", "-x"};
    CommandLine root = GroundcontrolCli.commandLine();   // read for its options only; each run parses its own
    List<String[]> commands = new ArrayList<>();
    leaves(root, new ArrayList<>(), commands);
    Random random = new Random(SEED);
    List<String> violations = new ArrayList<>();
    for (int step = 0; step < RUNS; step++) {
      String[] path = commands.get(random.nextInt(commands.size()));
      CommandLine command = find(root, path);
      List<String> args = new ArrayList<>(List.of(path));
      List<OptionSpec> options = command.getCommandSpec().options().stream()
          .filter(o -> !FORCED.contains(o.longestName()) && !o.longestName().equals("--help")
              && !o.longestName().equals("--version"))
          .toList();
      int optionCount = options.isEmpty() ? 0 : random.nextInt(Math.min(4, options.size()) + 1);
      for (int i = 0; i < optionCount; i++) {
        OptionSpec option = options.get(random.nextInt(options.size()));
        args.add(option.longestName());
        if (option.arity().max > 0 && random.nextInt(10) > 0) {
          args.add(values[random.nextInt(values.length)]);
        }
      }
      int positionals = command.getCommandSpec().positionalParameters().size() + random.nextInt(3) - 1;
      for (int i = 0; i < positionals; i++) {
        args.add(values[random.nextInt(values.length)]);
      }
      switch (random.nextInt(8)) {
        case 0 -> args.add("--bogus");
        case 1 -> args.add(random.nextInt(args.size() + 1), "frobnicate");
        default -> { }
      }
      if (command.getCommandSpec().findOption("--kafka-config") != null) {
        args.addAll(List.of("--kafka-config", dir.resolve("missing.properties").toString(),
            "--bootstrap-servers", "127.0.0.1:1"));
      }
      if (command.getCommandSpec().findOption("--data-dir") != null) {
        args.addAll(List.of("--data-dir", dir.resolve("data").toString()));
      }
      if (command.getCommandSpec().findOption("--api-url") != null) {
        args.addAll(List.of("--api-url", "http://127.0.0.1:1"));
      }
      if (command.getCommandSpec().findOption("--output") != null) {
        args.addAll(List.of("--output", dir.resolve("out-" + step).toString()));
      }
      long started = System.nanoTime();
      CliRun run = CliRun.of(args.toArray(String[]::new));
      long millis = (System.nanoTime() - started) / 1_000_000;
      String firstErr = run.err().lines().filter(l -> !l.isBlank() && !l.startsWith("warning:")).findFirst().orElse("");
      String problem = null;
      if (STACK.matcher(run.err()).find() || STACK.matcher(run.out()).find()) {
        problem = "stack trace";
      } else if (run.exitCode() != 0 && firstErr.isEmpty()) {
        problem = "non-zero exit without a message on stderr";
      } else if (run.exitCode() != 0 && (firstErr.matches(".*(: |^)(null)$") || firstErr.length() > 600)) {
        problem = "unclear first line";
      } else if (millis > 15_000) {
        problem = "took " + millis + " ms";
      }
      if (problem != null && violations.size() < 12) {
        violations.add("seed " + SEED + " step " + step + ": " + problem + "\n  args: " + quoted(args) + "\n  " + run
            .toString().replace("\n", "\n  "));
      }
    }
    assertThat(violations).as(String.join("\n\n", violations)).isEmpty();
  }

  private static String quoted(List<String> args) {
    return String.join(" ", args.stream().map(a -> "'" + a.replace("\n", "\\n") + "'").toList());
  }

  private static void leaves(CommandLine command, List<String> path, List<String[]> out) {
    if (command.getSubcommands().isEmpty()) {
      if (!path.isEmpty() && !SKIPPED.contains(path.get(0))) {
        out.add(path.toArray(String[]::new));
      }
      return;
    }
    command.getSubcommands().forEach((name, sub) -> {
      if (!name.equals("help") && sub.getCommandName().equals(name)) {
        List<String> next = new ArrayList<>(path);
        next.add(name);
        leaves(sub, next, out);
      }
    });
  }

  private static CommandLine find(CommandLine root, String[] path) {
    CommandLine command = root;
    for (String name : path) {
      command = command.getSubcommands().get(name);
    }
    return command;
  }
}
