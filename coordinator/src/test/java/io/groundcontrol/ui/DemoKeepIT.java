package io.groundcontrol.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.testing.CliProcess;
import io.groundcontrol.testing.TestDirs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** `groundcontrol demo --keep`: prints the web UI's address and a key, and keeps serving after the mission. */
class DemoKeepIT {
  private static final Pattern KEPT = Pattern.compile("Web UI: (http://\\S+)/missions/(\\S+)  API key \\(admin\\): (\\S+)");

  @Test
  void theDemoPrintsTheWebUiAndAKeyAndKeepsServingAfterTheMission() throws Exception {
    Path dataDir = TestDirs.create("gc-demo-keep-");
    try (CliProcess demo = CliProcess.start("demo", "--keep", "--data-dir", dataDir.toString())) {
      demo.awaitOutput("Ctrl-C stops.", Duration.ofMinutes(4));
      assertThat(demo.output()).contains("Web UI: http://127.0.0.1:").contains("(sign in with the API key)")
          .contains("Mission ").contains(" ended after ");
      Matcher kept = KEPT.matcher(demo.output());
      assertThat(kept.find()).as("the kept line in:\n" + demo.output()).isTrue();
      String ui = kept.group(1);
      String mission = kept.group(2);
      String key = kept.group(3);

      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(ui + "/missions")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).isEqualTo(302);
      HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(ui + "/missions/" + mission))
          .header("Cookie", Session.COOKIE + "=" + key).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("id=\"mission-status\">FINISHED<").contains("data-stage=\"publish\"");
    }
  }
}
