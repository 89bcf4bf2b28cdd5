package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** README says docs/api.md has every route: its route table names exactly the public routes. */
class ApiDocsRouteTableTest {
  /** A route as the table writes it: `GET /path?query=` or `GET /path[?format=csv]`, or `.../last` after one. */
  private static final Pattern ROUTE = Pattern.compile("`(?:(GET|POST) )?([^`?\\[]+)[^`]*`");

  @Test
  void theRouteTableOfDocsApiMdNamesEveryPublicRoute() throws Exception {
    Set<String> routes = new TreeSet<>();
    for (ApiRoute route : ApiServer.routes(() -> null, () -> false)) {
      if (!route.path().startsWith("/internal/")) {
        routes.add(route.method().name() + " " + route.path());
      }
    }
    routes.add("GET " + EventStreams.PATH);

    assertThat(documented(Files.readAllLines(Path.of("..", "docs", "api.md")))).isEqualTo(routes);
  }

  private static Set<String> documented(List<String> lines) {
    Set<String> documented = new TreeSet<>();
    int at = lines.indexOf("| method and path | role | answer |");
    assertThat(at).as("docs/api.md's route table").isNotNegative();
    for (String line : lines.subList(at + 2, lines.size())) {
      if (!line.startsWith("|")) {
        break;
      }
      String previous = null;
      Matcher route = ROUTE.matcher(line.split("\\|")[1]);
      while (route.find()) {
        String path = route.group(2);
        if (path.startsWith("...") && previous != null) {
          // `.../fail` after `POST /a/b/skip`: the same method and path up to the last segment.
          path = previous.substring(previous.indexOf(' ') + 1, previous.lastIndexOf('/')) + path.substring(3);
          documented.add(previous.substring(0, previous.indexOf(' ')) + " " + path);
        } else {
          previous = route.group(1) + " " + path;
          documented.add(previous);
        }
      }
    }
    return documented;
  }
}
