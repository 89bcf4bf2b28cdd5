package io.groundcontrol.cli;

import io.groundcontrol.client.ApiClient;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where the read commands find the HTTP API: given, or the API of a `dev` running on the data
 * dir with the key it keeps there.
 */
final class ApiOptions {
  @Option(names = "--api-url", defaultValue = "${env:GROUNDCONTROL_API_URL}",
      description = "Base URL of the HTTP API, e.g. http://host:8080/api/v1 (env GROUNDCONTROL_API_URL). "
          + "Absent: the API of a `dev` on the data dir.")
  String url;

  @Option(names = "--api-key", defaultValue = "${env:GROUNDCONTROL_API_KEY}",
      description = "API key (env GROUNDCONTROL_API_KEY). Absent: the key `dev` keeps in the data dir.")
  String key;

  /** A client of the API, if one is configured or a local `dev` serves one. */
  Optional<ApiClient> client(Path dataDir) {
    Optional<String> base = url != null && !url.isBlank() ? Optional.of(url) : DevInstance.apiUrl(dataDir);
    Optional<String> secret = key != null && !key.isBlank() ? Optional.of(key) : LocalApiKey.read(dataDir);
    if (base.isEmpty() || secret.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ApiClient(base.get(), secret.get()));
  }
}
