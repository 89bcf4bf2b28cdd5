package io.groundcontrol.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.groundcontrol.admission.InMemoryTable;
import io.groundcontrol.schema.MissionAdmission;
import io.groundcontrol.schema.MissionAdmissionRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The count and queue of active missions per plan, without Kafka. */
class ActiveMissionsTest {
  private final InMemoryTable<io.groundcontrol.schema.AdmissionEntry> entries = new InMemoryTable<>();
  private final InMemoryTable<String> queue = new InMemoryTable<>();
  private final InMemoryTable<Long> counts = new InMemoryTable<>();
  private final ActiveMissions missions = new ActiveMissions(entries, queue, counts);
  private Instant clock = Instant.parse("2026-12-01T10:00:00Z");

  private List<MissionAdmission> ask(String plan, String missionId, int priority, Integer limit) {
    return ask(plan, missionId, priority, limit, 1);
  }

  private List<MissionAdmission> ask(String plan, String missionId, int priority, Integer limit, int number) {
    clock = clock.plusMillis(1);
    return missions.handle(new MissionAdmissionRequest(plan, missionId, clock, limit, priority, false, null, number),
        limit, clock);
  }

  private List<MissionAdmission> end(String plan, String missionId, Integer limit) {
    return end(plan, missionId, limit, 1);
  }

  private List<MissionAdmission> end(String plan, String missionId, Integer limit, int number) {
    clock = clock.plusMillis(1);
    return missions.handle(new MissionAdmissionRequest(plan, missionId, clock, limit, 0, true, "finished", number),
        limit, clock);
  }

  /**
   * A mission retried after it ended asks again under a new number: an end of its earlier ask, read
   * again, neither frees the place its latest ask holds nor withdraws it while it waits, and every
   * answer names the ask it answers.
   */
  @Test
  void eachAskOfAMissionIsKeptApartAndAnswersNameTheirs() {
    ask("nightly", "m1", 0, 1, 1);
    end("nightly", "m1", 1, 1);
    assertThat(ask("nightly", "m1", 0, 1, 2)).extracting(MissionAdmission::getAdmitted, MissionAdmission::getAsk)
        .containsExactly(tuple(true, 2));
    assertThat(ask("nightly", "m2", 0, 1, 1)).extracting(MissionAdmission::getAdmitted, MissionAdmission::getAsk)
        .containsExactly(tuple(false, 1));

    assertThat(end("nightly", "m1", 1, 1)).as("the first ask's end, read again").isEmpty();
    assertThat(missions.active("nightly")).isEqualTo(1);
    assertThat(missions.waiting("nightly")).isEqualTo(1);

    end("nightly", "m1", 1, 2);
    assertThat(ask("nightly", "m1", 0, 1, 3)).extracting(MissionAdmission::getAdmitted).containsExactly(false);
    assertThat(end("nightly", "m1", 1, 2)).as("the second ask's end, read again, while the third waits").isEmpty();
    assertThat(missions.waiting("nightly")).isEqualTo(1);
    assertThat(admitted(end("nightly", "m2", 1, 1))).containsExactly("m1");
  }

  private static List<String> admitted(List<MissionAdmission> answers) {
    return answers.stream().filter(MissionAdmission::getAdmitted).map(MissionAdmission::getMissionId).toList();
  }

  @Test
  void limitOneAdmitsOneAndTellsTheNextWhyItWaits() {
    assertThat(ask("nightly", "m1", 0, 1)).extracting(
            MissionAdmission::getMissionId, MissionAdmission::getAdmitted, MissionAdmission::getActive, MissionAdmission::getLimit)
        .containsExactly(tuple("m1", true, 1, 1));
    assertThat(ask("nightly", "m2", 0, 1)).extracting(
            MissionAdmission::getMissionId, MissionAdmission::getAdmitted, MissionAdmission::getActive, MissionAdmission::getLimit)
        .containsExactly(tuple("m2", false, 1, 1));

    assertThat(admitted(end("nightly", "m1", 1))).containsExactly("m2");
    assertThat(missions.active("nightly")).isEqualTo(1);
    assertThat(missions.waiting("nightly")).isZero();
  }

  @Test
  void waitingMissionsGoByPriorityThenInTheOrderTheyAsked() {
    ask("nightly", "m1", 0, 1);
    ask("nightly", "low-old", 0, 1);
    ask("nightly", "high-old", 5, 1);
    ask("nightly", "high-new", 5, 1);
    ask("nightly", "low-new", 0, 1);

    List<String> order = new ArrayList<>();
    String running = "m1";
    for (int i = 0; i < 4; i++) {
      List<String> next = admitted(end("nightly", running, 1));
      assertThat(next).hasSize(1);
      running = next.get(0);
      order.add(running);
    }
    assertThat(order).containsExactly("high-old", "high-new", "low-old", "low-new");
  }

  @Test
  void anEndOfAWaitingMissionWithdrawsItAndRepeatsChangeNothing() {
    ask("nightly", "m1", 0, 1);
    ask("nightly", "m2", 0, 1);
    ask("nightly", "m3", 0, 1);
    ask("nightly", "m3", 0, 1);
    assertThat(missions.waiting("nightly")).isEqualTo(2);

    assertThat(end("nightly", "m2", 1)).isEmpty();
    assertThat(end("nightly", "m2", 1)).isEmpty();
    assertThat(end("nightly", "never-asked", 1)).isEmpty();
    assertThat(missions.active("nightly")).isEqualTo(1);

    assertThat(admitted(end("nightly", "m1", 1))).containsExactly("m3");
    assertThat(end("nightly", "m3", 1)).isEmpty();
    assertThat(missions.active("nightly")).as("nothing held once every mission ended").isZero();
    assertThat(missions.waiting("nightly")).isZero();
    assertThat(entries.range("", "\uffff")).isEmpty();
    assertThat(queue.range("", "\uffff")).isEmpty();
  }

  @Test
  void aRaisedLimitAdmitsAtOnceALoweredOneStopsNothingAndNoLimitAdmitsEveryone() {
    for (int i = 1; i <= 6; i++) {
      ask("nightly", "m" + i, 0, 2);
    }
    assertThat(missions.active("nightly")).isEqualTo(2);

    assertThat(admitted(missions.admitWhatFits("nightly", 3, clock, 100))).containsExactly("m3");
    assertThat(missions.admitWhatFits("nightly", 1, clock, 100)).isEmpty();
    assertThat(admitted(end("nightly", "m1", 1))).as("3 active, limit 1: the end admits nobody").isEmpty();
    assertThat(missions.active("nightly")).isEqualTo(2);

    assertThat(admitted(missions.admitWhatFits("nightly", null, clock, 100))).containsExactly("m4", "m5", "m6");
  }

  @Test
  void plansAreCountedApart() {
    ask("nightly", "n1", 0, 1);
    ask("hourly", "h1", 0, 1);
    assertThat(ask("nightly", "n2", 0, 1)).extracting(MissionAdmission::getAdmitted).containsExactly(false);
    assertThat(ask("hourly", "h2", 0, 2)).extracting(MissionAdmission::getAdmitted).containsExactly(true);
    assertThat(missions.plans()).containsExactlyInAnyOrder("nightly", "hourly");
  }
}
