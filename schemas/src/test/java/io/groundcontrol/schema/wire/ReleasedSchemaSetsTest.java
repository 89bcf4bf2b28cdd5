package io.groundcontrol.schema.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class ReleasedSchemaSetsTest {
  /** The next schema change must add its set, or --write-schemas could not name this build's. */
  @Test
  void theTableHasTheSetThisBuildWritesLast() {
    List<ReleasedSchemaSets.Release> all = ReleasedSchemaSets.all();

    assertThat(all.get(all.size() - 1).set())
        .as("this build's schemas are not the last line of %s; add this line at its end:%n%s",
            ReleasedSchemaSets.RESOURCE, ReleasedSchemaSets.lineOfCurrent())
        .isEqualTo(SchemaSet.current());
  }

  @Test
  void eachIdIsThatOfTheVersionsItsLineNames() {
    for (ReleasedSchemaSets.Release release : ReleasedSchemaSets.all()) {
      List<Schema> schemas = SchemaSet.WIRE_TYPES.stream()
          .map(type -> release.schemaOf(type).orElseThrow(() -> new AssertionError(
              release.set().id() + " names no version of " + type.getSimpleName() + " that the history has")))
          .toList();

      assertThat(SchemaSet.of(schemas)).as("the set of the versions line %s names", release.set().id())
          .isEqualTo(release.set());
    }
  }

  @Test
  void aLaterSetNeverWritesAnOlderVersion() {
    List<ReleasedSchemaSets.Release> all = ReleasedSchemaSets.all();
    for (int i = 1; i < all.size(); i++) {
      for (Class<? extends SpecificRecord> type : SchemaSet.WIRE_TYPES) {
        assertThat(all.get(i).versionOf(type)).as("%s in %s, after %s", type.getSimpleName(), all.get(i).set().id(),
            all.get(i - 1).set().id()).isGreaterThanOrEqualTo(all.get(i - 1).versionOf(type));
      }
    }
  }

  @Test
  void aBuildReadsItsOwnAndOlderSetsOnly() {
    SchemaSet oldest = ReleasedSchemaSets.all().get(0).set();
    SchemaSet unknown = new SchemaSet("00000000");

    assertThat(ReleasedSchemaSets.reads(SchemaSet.current(), oldest)).isTrue();
    assertThat(ReleasedSchemaSets.reads(SchemaSet.current(), SchemaSet.current())).isTrue();
    assertThat(ReleasedSchemaSets.reads(oldest, SchemaSet.current())).isFalse();
    assertThat(ReleasedSchemaSets.reads(SchemaSet.current(), unknown)).isFalse();
    assertThat(ReleasedSchemaSets.reads(unknown, oldest)).isFalse();
  }

  @Test
  void theLineOfTheCurrentSetNamesEveryVersion() {
    assertThat(ReleasedSchemaSets.lineOfCurrent())
        .isEqualTo(SchemaSet.current().id() + ": " + SchemaSet.versions().stream().collect(Collectors.joining(", ")));
  }
}
