package io.groundcontrol.api;

import io.groundcontrol.client.ApiKeyCache;
import io.groundcontrol.client.EventFeed;
import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.client.LiveTable;
import io.groundcontrol.client.PlanPublisher;
import io.groundcontrol.coordinator.InputStall;
import io.groundcontrol.query.MissionQueries;
import io.groundcontrol.query.ScheduleQueries;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.wire.TopicNames;
import io.groundcontrol.trigger.TriggerStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;

/**
 * What the routes work with once the coordinator runs: its streams and read side (missions,
 * schedules), the keys, the event feed, the senders of commands, schedule commands and plans, and
 * the components' sources.
 *
 * @param currentStreams the coordinator's Kafka Streams now: a new one after its trigger topics change
 * @param restartDue why a restart of the process is due: the coordinator stopped by itself, or its
 *     streams are stuck (see {@code Coordinator#restartDue})
 * @param stall the coordinator's inputs that stalled, if any (see {@code Coordinator#stall})
 * @param triggers the applied triggers and whether this instance reads their topics, as it last checked
 * @param planApplies when each {@code name@version} on the plans topic was last applied, followed
 * @param commandWait how long a command's answer waits for the coordinator's decision
 */
record Backend(
    Supplier<KafkaStreams> currentStreams,
    Supplier<Optional<String>> restartDue,
    Supplier<Optional<InputStall>> stall,
    Supplier<Optional<String>> hanging,
    HostInfo self,
    KafkaConnection kafka,
    TopicNames topics,
    MissionQueries queries,
    ScheduleQueries schedules,
    Supplier<List<TriggerStatus>> triggers,
    ApiKeyCache keys,
    EventFeed feed,
    CommandSender commands,
    ScheduleGateway scheduleCommands,
    PlanPublisher plans,
    LiveTable<PlanApply> planApplies,
    ComponentSources components,
    ApiMetrics metrics,
    Duration commandWait) {

  /** The coordinator's Kafka Streams now, for its state. */
  KafkaStreams streams() {
    return currentStreams.get();
  }

  /** The actor recorded in the audit log for commands sent with {@code keyName}'s key. */
  Actor actor(String keyName) {
    return new Actor(ActorKind.USER, keyName, "api@" + self.host() + ":" + self.port());
  }
}
