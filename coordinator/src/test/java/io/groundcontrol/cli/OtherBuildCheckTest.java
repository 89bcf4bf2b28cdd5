package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.cli.OtherBuildCheck.Member;
import io.groundcontrol.coordinator.SchemaSetTag;
import io.groundcontrol.coordinator.SchemaSetTag.Schemas;
import io.groundcontrol.schema.wire.ReleasedSchemaSets;
import io.groundcontrol.schema.wire.SchemaSet;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OtherBuildCheckTest {
  private static final SchemaSet OWN = new SchemaSet("1234abcd");
  private static final String APP = "groundcontrol-coordinator";
  private static final Member SAME = new Member(APP + "-0f1e-schemas-1234abcd-StreamThread-1-consumer", "/10.0.0.1");
  private static final Member NEWER = new Member(APP + "-77aa-schemas-99990000-StreamThread-1-consumer", "/10.0.0.2");
  private static final Member UNTAGGED = new Member(APP + "-5c2d-4e1f-StreamThread-1-consumer", "/10.0.0.3");

  /** A group whose members change as the check polls, on a clock that each pause moves on. */
  private static final class ScriptedGroup implements OtherBuildCheck.Group {
    private final Deque<List<Member>> answers;
    private long nanos;
    private int pauses;

    ScriptedGroup(List<List<Member>> answers) {
      this.answers = new ArrayDeque<>(answers);
    }

    @Override
    public List<Member> members() {
      return answers.size() > 1 ? answers.poll() : answers.peek();
    }

    @Override
    public void pause(Duration duration) {
      pauses++;
      nanos += duration.toNanos();
    }
  }

  private final List<String> said = new ArrayList<>();

  private Optional<String> check(ScriptedGroup group) {
    return OtherBuildCheck.check(group, APP, Schemas.own(OWN), OtherBuildCheck.WAIT, () -> group.nanos, said::add);
  }

  @Test
  void membersOfThisBuildOrNoneStartAtOnce() {
    ScriptedGroup group = new ScriptedGroup(List.of(List.of(SAME, SAME)));

    assertThat(check(group)).isEmpty();
    assertThat(check(new ScriptedGroup(List.of(List.of())))).isEmpty();
    assertThat(group.pauses).isZero();
    assertThat(said).isEmpty();
  }

  @Test
  void aMemberOfAnotherBuildThatStaysIsRefusedAfterTheWait() {
    ScriptedGroup group = new ScriptedGroup(List.of(List.of(SAME, NEWER)));

    Optional<String> refusal = check(group);

    assertThat(refusal).hasValue("Coordinator instances of another build are running in group " + APP
        + ": /10.0.0.2 (schemas 99990000); this instance writes schemas 1234abcd, and a build cannot read records"
        + " written with a newer one's schemas (they would be dead-lettered and their missions stall), so the two"
        + " must not run together: stop every instance of the other build, then start this one (an instance"
        + " stopped less than its session timeout ago is still a member; README, \"Upgrading\")");
    assertThat(Duration.ofNanos(group.nanos)).isGreaterThanOrEqualTo(OtherBuildCheck.WAIT);
    assertThat(said).singleElement().asString().startsWith("Group " + APP + " has members of another build"
        + " (/10.0.0.2 (schemas 99990000)); waiting up to 12 s");
  }

  @Test
  void aBuildThatNamesNoSchemasIsAnotherBuild() {
    Optional<String> refusal = check(new ScriptedGroup(List.of(List.of(UNTAGGED))));

    assertThat(refusal).get().asString()
        .contains("/10.0.0.3 (schemas not named: a build from before 2026-12-07)");
  }

  @Test
  void aMemberOfAnotherBuildThatLeavesInTheWaitLetsItStart() {
    ScriptedGroup group = new ScriptedGroup(List.of(List.of(NEWER, SAME), List.of(NEWER, SAME), List.of(SAME)));

    assertThat(check(group)).isEmpty();
    assertThat(group.pauses).isEqualTo(2);
    assertThat(said).hasSize(1);
  }

  @Test
  void eachInstanceIsNamedOnceAndAtMostThreeInAll() {
    List<Member> many = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      for (int thread = 1; thread <= 2; thread++) {
        many.add(new Member(APP + "-" + i + "-schemas-99990000-StreamThread-" + thread + "-consumer", "/10.0.1." + i));
      }
    }

    assertThat(OtherBuildCheck.refusal(APP, many, Schemas.own(OWN))).contains(": /10.0.1.1 (schemas 99990000), /10.0.1.2"
        + " (schemas 99990000), /10.0.1.3 (schemas 99990000) and 2 more; ");
  }

  @Test
  void anInstanceWritingAnOlderBuildsSchemasJoinsThatBuildAndIsJoinedByItsOwn() {
    SchemaSet older = ReleasedSchemaSets.all().get(ReleasedSchemaSets.all().size() - 2).set();
    Member olderBuild = tagged("/10.0.0.4", Schemas.own(older));
    Member thisBuildWritingOlder = tagged("/10.0.0.5", new Schemas(older, SchemaSet.current()));
    Member thisBuild = tagged("/10.0.0.6", Schemas.own(SchemaSet.current()));

    // The first roll: the older build's instances and this build's writing their schemas.
    assertThat(OtherBuildCheck.othersIn(List.of(olderBuild), new Schemas(older, SchemaSet.current()))).isEmpty();
    assertThat(OtherBuildCheck.othersIn(List.of(thisBuildWritingOlder), Schemas.own(older))).isEmpty();
    // The second roll: this build's own schemas beside this build writing the older ones.
    assertThat(OtherBuildCheck.othersIn(List.of(thisBuildWritingOlder), Schemas.own(SchemaSet.current()))).isEmpty();
    assertThat(OtherBuildCheck.othersIn(List.of(thisBuild), new Schemas(older, SchemaSet.current()))).isEmpty();
    // The older build restarted once this one writes its own schemas, either way round.
    assertThat(OtherBuildCheck.othersIn(List.of(olderBuild, thisBuildWritingOlder), Schemas.own(SchemaSet.current())))
        .containsExactly(olderBuild);
    assertThat(OtherBuildCheck.othersIn(List.of(thisBuild), Schemas.own(older))).containsExactly(thisBuild);
  }

  @Test
  void aRefusalForAnOlderBuildThisOneCanWriteSaysHowToUpgradeInstanceByInstance() {
    SchemaSet older = ReleasedSchemaSets.all().get(ReleasedSchemaSets.all().size() - 2).set();
    Member olderBuild = tagged("/10.0.0.4", Schemas.own(older));

    String refusal = OtherBuildCheck.refusal(APP, List.of(olderBuild), Schemas.own(SchemaSet.current()));

    assertThat(refusal).contains(": /10.0.0.4 (schemas " + older.id() + "); this instance writes schemas "
        + SchemaSet.current().id() + ", ").contains("stop every instance of the other build, then start this one, or "
        + "upgrade them one by one: start this build with --write-schemas " + older.id() + " first (an instance");
    assertThat(OtherBuildCheck.refusal(APP, List.of(NEWER), Schemas.own(SchemaSet.current())))
        .doesNotContain("--write-schemas");
  }

  @Test
  void aMemberWritingAnOlderBuildsSchemasIsNamedWithBoth() {
    Member member = tagged("/10.0.0.5", new Schemas(new SchemaSet("0a1b2c3d"), OWN));

    assertThat(member.described()).isEqualTo("/10.0.0.5 (schemas 1234abcd writing 0a1b2c3d)");
  }

  private static Member tagged(String host, Schemas schemas) {
    return new Member(SchemaSetTag.clientId(null, APP, schemas) + "-StreamThread-1-consumer", host);
  }
}
