package io.groundcontrol.audit;

import io.groundcontrol.cli.GroundcontrolCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * One run of the {@code groundcontrol} CLI in this JVM, with what it printed. The CLI prints to
 * {@code System.out} and {@code System.err}, so runs swap them and must not overlap.
 *
 * @param exitCode the command's exit code
 * @param out what it printed on standard output
 * @param err what it printed on standard error (Kafka client logs included)
 */
public record CliRun(int exitCode, String out, String err) {
  public static synchronized CliRun of(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
      int code = GroundcontrolCli.commandLine().execute(args);
      return new CliRun(code, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- out:\n" + out + "\n--- err:\n" + err;
  }
}
