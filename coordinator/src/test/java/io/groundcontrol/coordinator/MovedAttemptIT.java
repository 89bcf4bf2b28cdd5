package io.groundcontrol.coordinator;

import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.testing.MovedJavaAttempts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A worker joins a component while another runs its long attempts: the partitions that move take
 * no attempt with them (the first worker committed their RUNs as it gave them up, the coordinator
 * knowing they had started), so the newcomer runs none of them again, and a cancel of one still
 * stops it where it runs ({@link MovedJavaAttempts}; {@code SecuredClusterIT} does the same under the
 * worker role's ACLs).
 */
class MovedAttemptIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @Test
  void aWorkerThatJoinsWhileAttemptsRunRunsNoneOfThemAgainAndTheirCancelsStillReachThem() {
    try (GroundcontrolFixture groundcontrol = new GroundcontrolFixture(KAFKA, "moved").startCoordinator();
        MovedJavaAttempts moved = new MovedJavaAttempts(groundcontrol, KAFKA.admin(), "mlmoved")) {
      moved.check(6);
    }
  }
}
