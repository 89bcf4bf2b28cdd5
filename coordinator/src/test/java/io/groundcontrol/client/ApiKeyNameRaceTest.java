package io.groundcontrol.client;

import static io.groundcontrol.client.ApiKeyNamesTest.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.ApiKey;
import org.junit.jupiter.api.Test;

/** Which of two keys written with one name keeps it, as each racer decides from what it read after its write. */
class ApiKeyNameRaceTest {
  private final ApiKey first = key("ci", false);
  private final ApiKey second = key(" CI", false);

  @Test
  void onOnePartitionTheKeyWrittenFirstKeepsTheNameInBothRacersEyes() {
    ApiKeyNameRace race = new ApiKeyNameRace();
    race.read(first.getId(), first, 0, 5);
    race.read(second.getId(), second, 0, 6);

    assertThat(race.earlierHolder(first, 0, 5)).isEmpty();
    assertThat(race.earlierHolder(second, 0, 6)).contains(first);
  }

  @Test
  void aKeyKeepsTheOffsetItWasFirstWrittenAtWhenRevokedAfterwards() {
    ApiKeyNameRace race = new ApiKeyNameRace();
    race.read(first.getId(), first, 0, 5);
    race.read(second.getId(), second, 0, 6);
    ApiKey revoked = ApiKey.newBuilder(first).setRevokedAt(ApiKeyNamesTest.NOW).build();
    race.read(first.getId(), revoked, 0, 7);

    assertThat(race.earlierHolder(second, 0, 6)).contains(revoked);
  }

  @Test
  void aWithdrawnKeyHoldsNoName() {
    ApiKeyNameRace race = new ApiKeyNameRace();
    race.read(first.getId(), first, 0, 5);
    race.read(first.getId(), null, 0, 6);
    race.read(second.getId(), second, 0, 7);

    assertThat(race.earlierHolder(second, 0, 7)).isEmpty();
  }

  @Test
  void aKeyOfTheNameOnAnotherPartitionBeatsOursWhereverItIs() {
    ApiKeyNameRace race = new ApiKeyNameRace();
    race.read(first.getId(), first, 1, 9);
    race.read(second.getId(), second, 0, 2);

    assertThat(race.earlierHolder(second, 0, 2)).contains(first);
    assertThat(race.earlierHolder(first, 1, 9)).contains(second);
  }

  @Test
  void keysOfOtherNamesDoNotCount() {
    ApiKeyNameRace race = new ApiKeyNameRace();
    ApiKey other = key("ci-2", false);
    race.read(other.getId(), other, 0, 1);
    race.read(second.getId(), second, 0, 2);

    assertThat(race.earlierHolder(second, 0, 2)).isEmpty();
  }
}
