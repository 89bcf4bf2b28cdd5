package io.groundcontrol.cli;

import io.groundcontrol.apikey.Role;
import io.groundcontrol.audit.TextTable;
import io.groundcontrol.client.ApiKeyRegistry;
import io.groundcontrol.schema.ApiKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `groundcontrol apikey ...`: keys of the HTTP API, kept as salted hashes on a compacted topic. */
@Command(
    name = "apikey",
    mixinStandardHelpOptions = true,
    description = "Create, list and revoke keys of the HTTP API.",
    subcommands = {ApiKeyCommands.Create.class, ApiKeyCommands.ListKeys.class, ApiKeyCommands.Revoke.class})
final class ApiKeyCommands {
  private ApiKeyCommands() {}

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create a key and print it, once: only its salted hash is stored.")
  static final class Create implements Callable<Integer> {
    @Mixin ClusterOptions cluster;

    @Option(names = "--name", required = true, description = "Who or what the key is for; recorded as the actor of its commands, so no two keys may "
        + "share it (revoked ones included, whatever the case).")
    String name;

    @Option(names = "--role", required = true,
        description = "viewer (reads), operator (also starts and operates missions), admin (also applies plans).")
    Role role;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      if (name.isBlank()) {
        throw new ParameterException(spec.commandLine(), "Expected --name to say who or what the key is for, but it is blank");
      }
      try (KafkaTarget target = cluster.connect();
          ApiKeyRegistry registry = new ApiKeyRegistry(target.connection(), cluster.topics(), Clock.systemUTC())) {
        String key;
        try {
          key = registry.create(name, role);
        } catch (IllegalArgumentException | ApiKeyRegistry.UncheckedKeyException taken) {
          // A refusal, or a key written but not checked: one line, without the usage picocli adds to a
          // ParameterException.
          System.err.println("error: " + taken.getMessage());
          return 1;
        }
        System.out.println(key);
        System.err.println("Key for '" + name + "' with role " + role + ". It is shown only now: keep it safe. "
            + "Send it as 'Authorization: Bearer <key>'.");
      }
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys: id, name, role, created, revoked.")
  static final class ListKeys implements Callable<Integer> {
    @Mixin ClusterOptions cluster;

    @Override
    public Integer call() {
      try (KafkaTarget target = cluster.connect();
          ApiKeyRegistry registry = new ApiKeyRegistry(target.connection(), cluster.topics(), Clock.systemUTC())) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("ID", "NAME", "ROLE", "CREATED", "REVOKED"));
        for (ApiKey key : ApiKeyRegistry.byCreation(registry.readAll().values())) {
          rows.add(List.of(key.getId(), key.getName(), key.getRole().name(), key.getCreatedAt().toString(),
              key.getRevokedAt() == null ? "-" : key.getRevokedAt().toString()));
        }
        TextTable.print(rows, System.out);
      }
      return 0;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key: every instance refuses it from then on.")
  static final class Revoke implements Callable<Integer> {
    @Mixin ClusterOptions cluster;

    @Parameters(paramLabel = "ID", description = "The key's id (see `apikey list`), or the key itself.")
    String id;

    @Override
    public Integer call() {
      String keyId = io.groundcontrol.apikey.ApiKeySecrets.idOf(id).orElse(id);
      try (KafkaTarget target = cluster.connect();
          ApiKeyRegistry registry = new ApiKeyRegistry(target.connection(), cluster.topics(), Clock.systemUTC())) {
        ApiKey revoked = registry.revoke(keyId);
        System.out.println("Revoked key " + revoked.getId() + " ('" + revoked.getName() + "', " + revoked.getRole() + ")");
        return 0;
      } catch (IllegalArgumentException e) {
        System.err.println(e.getMessage());
        return 1;
      }
    }
  }
}
