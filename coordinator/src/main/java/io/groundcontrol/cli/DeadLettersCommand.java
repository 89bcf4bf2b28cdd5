package io.groundcontrol.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.groundcontrol.audit.TextTable;
import io.groundcontrol.client.DeadLetterLog;
import io.groundcontrol.client.DeadLetterLog.DeadLetter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code groundcontrol dead-letters}: what the coordinator could not use, where it came from and why. */
@Command(name = "dead-letters", mixinStandardHelpOptions = true,
    description = "List the records the coordinator dead-lettered (undecodable, or not a mission's): when, the "
        + "source topic[partition]@offset, the key, the mission it names, and the reason.")
final class DeadLettersCommand implements Callable<Integer> {
  @Mixin ClusterOptions cluster;

  @Option(names = "--mission", paramLabel = "ID", description = "Only dead letters keyed by this mission id.")
  String missionId;

  @Option(names = "--last", paramLabel = "N", defaultValue = "50", description = "Only the newest N (default: ${DEFAULT-VALUE}; 0: all).")
  int last;

  @Option(names = "--json", description = "Print JSON: one object per dead letter.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (last < 0) {
      System.err.println("Expected --last to be 0 or more, but it is " + last);
      return 2;
    }
    List<DeadLetter> letters;
    try (KafkaTarget target = cluster.connect()) {
      letters = new ArrayList<>(DeadLetterLog.readAll(target.connection(), cluster.topics()));
    }
    if (missionId != null) {
      letters.removeIf(letter -> !missionId.equals(letter.key()));
    }
    if (last > 0 && letters.size() > last) {
      letters = letters.subList(letters.size() - last, letters.size());
    }
    if (json) {
      System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(letters.stream().map(DeadLettersCommand::fields).toList()));
      return 0;
    }
    if (letters.isEmpty()) {
      System.out.println("No dead letters in " + cluster.topics().deadLetters());
      return 0;
    }
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("TIME", "SOURCE", "KEY", "MISSION", "REASON"));
    for (DeadLetter letter : letters) {
      rows.add(List.of(letter.at().toString(),
          letter.sourceTopic() + "[" + letter.sourcePartition() + "]@" + letter.sourceOffset(),
          letter.key() == null ? "-" : letter.key(), letter.missionId().orElse("-"), letter.reason()));
    }
    TextTable.print(rows, System.out);
    return 0;
  }

  private static Map<String, Object> fields(DeadLetter letter) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("at", letter.at().toString());
    fields.put("sourceTopic", letter.sourceTopic());
    fields.put("sourcePartition", letter.sourcePartition());
    fields.put("sourceOffset", letter.sourceOffset());
    fields.put("key", letter.key());
    fields.put("missionId", letter.missionId().orElse(null));
    fields.put("exception", letter.exception());
    fields.put("reason", letter.reason());
    fields.put("valueBytes", letter.valueBytes());
    return fields;
  }
}
