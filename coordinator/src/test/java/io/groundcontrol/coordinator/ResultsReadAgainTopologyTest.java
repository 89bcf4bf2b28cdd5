package io.groundcontrol.coordinator;

import static io.groundcontrol.coordinator.CoordinatorDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.ReportFailed;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.ResultAbandoned;
import io.groundcontrol.schema.ResultRequest;
import io.groundcontrol.schema.RetryStage;
import io.groundcontrol.schema.StageError;
import io.groundcontrol.schema.StageStatus;
import io.groundcontrol.schema.wire.AvroSerde;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A results-index request read again, as {@code --at-least-once} may, through the whole topology:
 * the end-to-end form of {@code ResultsReadAgainFindingsTest}'s hang.
 */
class ResultsReadAgainTopologyTest {
  private static final long HOUR = 3_600_000;
  @TempDir Path stateDir;
  private CoordinatorDriver c;
  private TestOutputTopic<String, ResultRequest> requestsOut;
  private TestInputTopic<String, ResultRequest> requestsIn;

  @BeforeEach
  void setUp() {
    c = new CoordinatorDriver(stateDir);
    var names = c.topics.names();
    requestsOut = c.driver.createOutputTopic(names.resultsRequests(), new StringDeserializer(),
        AvroSerde.of(ResultRequest.class).deserializer());
    requestsIn = c.driver.createInputTopic(names.resultsRequests(), new StringSerializer(),
        AvroSerde.of(ResultRequest.class).serializer());
  }

  @AfterEach
  void tearDown() {
    c.close();
  }

  private StageStatus extract(String missionId) {
    return c.storedStage(missionId, "extract").getStatus();
  }

  /**
   * m1 claims the key and fails for good; its abandonment passes the claim to the waiter m2. m1 is
   * retried and waits for m2. m1's abandonment is read again: the index takes m1 off the waiters.
   * m2 finishes, and m1 waits AWAITING_RESULT for ever.
   */
  @Test
  void anAbandonmentReadAgainDoesNotLeaveTheStageThatAskedAgainWaitingForEver() {
    c.apply(TestPlan.named("daily").stage("extract", "warehouse", Map.of("day", "\"d1\"")).reuse(HOUR).build());
    c.start("m1", "daily", T0.plusMillis(1));
    c.start("m2", "daily", T0.plusMillis(2));
    assertThat(extract("m1")).isEqualTo(StageStatus.DISPATCHED);
    assertThat(extract("m2")).isEqualTo(StageStatus.AWAITING_RESULT);
    requestsOut.readValuesToList();
    c.report("m1", "extract", 1, new ReportFailed(new StageError("disk full", null, false)), T0.plusMillis(3));
    ResultRequest abandoned = requestsOut.readValuesToList().get(0);
    assertThat(abandoned.getRequest()).isInstanceOf(ResultAbandoned.class);
    assertThat(extract("m2")).isEqualTo(StageStatus.DISPATCHED);
    c.command("m1", new RetryStage("extract", false), T0.plusMillis(4));
    assertThat(extract("m1")).isEqualTo(StageStatus.AWAITING_RESULT);

    requestsIn.pipeInput(abandoned.getResultKey(), abandoned, T0.plusMillis(3));

    c.report("m2", "extract", 1, new ReportFinished(Map.of("table", "\"t\"")), T0.plusMillis(5));
    assertThat(extract("m1")).as("m1 gets m2's result, which it waits for").isEqualTo(StageStatus.REUSED);
    assertThat(c.stored("m1").getStatus()).isEqualTo(MissionStatus.FINISHED);
  }
}
