package io.groundcontrol.python;

import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Python worker runs one attempt from each partition of its component, each until cancelled, when a
 * second worker joins and the eager rebalance moves one partition to it (README "Adding or removing a
 * worker while attempts run"): the first worker hands both attempts over, and a mission cancel stops
 * both where they run ({@link PythonMovedAttempts}; {@code SecuredPythonWorkerIT} does the same under the
 * worker role's ACLs).
 */
class PythonMovedAttemptIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @Test
  void anAttemptWhosePartitionMovesIsHandedOverAndItsCancelStillReachesIt(@TempDir Path marks) throws Exception {
    try (GroundcontrolFixture groundcontrol = new GroundcontrolFixture(KAFKA, "moved").startCoordinator();
        PythonMovedAttempts moved = new PythonMovedAttempts(groundcontrol, KAFKA.admin(), "moving",
            groundcontrol.bootstrapServers(), marks)) {
      moved.check();
    }
  }
}
