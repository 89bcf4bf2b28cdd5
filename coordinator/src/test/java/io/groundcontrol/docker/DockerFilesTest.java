package io.groundcontrol.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Docker files against what they refer to: no Docker engine needed. */
class DockerFilesTest {
  private static final Path ROOT = Path.of("..");

  @Test
  void theComposeFilesExampleStartsThePlanItApplies() throws IOException {
    String compose = Files.readString(ROOT.resolve("docker-compose.yml"));
    Matcher applied = Pattern.compile("cli plan apply (\\S+)").matcher(compose);
    Matcher started = Pattern.compile("cli mission start (\\S+)").matcher(compose);
    assertThat(applied.find()).as("a plan apply in docker-compose.yml").isTrue();
    assertThat(started.find()).as("a mission start in docker-compose.yml").isTrue();

    String plan = Files.readString(ROOT.resolve(applied.group(1)));

    assertThat(plan).as(applied.group(1)).containsPattern("(?m)^name: " + Pattern.quote(started.group(1)) + "$");
  }

  @Test
  void theImagesBuildStageCopiesWhatTheCoordinatorBuildTakesFromOutsideItsModule() throws IOException {
    String pom = Files.readString(ROOT.resolve("coordinator/pom.xml"));
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    String buildStage = dockerfile.substring(0, dockerfile.indexOf("FROM", dockerfile.indexOf("FROM") + 1));
    List<String> outside = new ArrayList<>();
    Matcher directory = Pattern.compile("\\$\\{project\\.basedir}/\\.\\./([\\w-]+)").matcher(pom);
    while (directory.find()) {
      outside.add(directory.group(1));
    }

    assertThat(outside).as("directories coordinator/pom.xml reads outside its module").isNotEmpty();
    for (String name : outside) {
      assertThat(buildStage).as("Dockerfile build stage").containsPattern("(?m)^COPY " + name + " " + name + "$");
    }
  }
}
