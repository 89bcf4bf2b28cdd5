package io.groundcontrol.cli;

import io.groundcontrol.client.ApiClient;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * Where the read commands find the HTTP API: given, or the API of a `dev` running on the data
 * dir with the key it keeps there, if the command reads that dev's cluster and topic prefix.
 */
final class ApiOptions {
  @Option(names = "--api-url", defaultValue = "${env:GROUNDCONTROL_API_URL}",
      description = "Base URL of the HTTP API, e.g. http://host:8080/api/v1 (env GROUNDCONTROL_API_URL). "
          + "Absent: the API of a `dev` on the data dir, if it runs the cluster and topic prefix this command reads.")
  String url;

  @Option(names = "--api-key", defaultValue = "${env:GROUNDCONTROL_API_KEY}",
      description = "API key (env GROUNDCONTROL_API_KEY). Absent: the key `dev` keeps in the data dir.")
  String key;

  /**
   * A client of the API, if one is given or the `dev` on the data dir serves the cluster and prefix
   * {@code cluster} reads; else empty, after giving {@code none} the reason (a clause).
   */
  Optional<ApiClient> client(ClusterOptions cluster, Consumer<String> none) {
    Path dataDir = cluster.dataDir;
    Optional<String> base = Optional.ofNullable(url).filter(given -> !given.isBlank());
    if (base.isEmpty()) {
      Optional<DevInstance.Served> dev = DevInstance.served(dataDir);
      if (dev.isPresent() && !cluster.targets(dev.get())) {
        none.accept("the `dev` on " + dataDir + " runs prefix '" + dev.get().topicPrefix() + "' on "
            + dev.get().bootstrapServers() + ", not what this command reads (--bootstrap-servers, --kafka-config, "
            + "--topic-prefix), and no --api-url is given");
        return Optional.empty();
      }
      base = dev.map(DevInstance.Served::apiUrl);
    }
    Optional<String> secret = key != null && !key.isBlank() ? Optional.of(key) : LocalApiKey.read(dataDir);
    if (base.isEmpty() || secret.isEmpty()) {
      none.accept("no HTTP API configured (--api-url, --api-key) and no `dev` on " + dataDir);
      return Optional.empty();
    }
    return Optional.of(new ApiClient(base.get(), secret.get()));
  }
}
