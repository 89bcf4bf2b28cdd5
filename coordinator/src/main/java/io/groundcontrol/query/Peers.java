package io.groundcontrol.query;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The other coordinator instances, asked for what only they hold (missions, schedules). Each call answers from the
 * peer's own stores only (it never forwards again), or throws {@link QueryUnavailableException}
 * if the peer does not answer in time.
 */
public interface Peers {
  /** The mission as stored in {@code partition} on {@code peer}; empty if it holds no such mission. */
  Optional<MissionDocument> mission(HostInfo peer, String missionId, int partition, String credentials);

  /** {@code peer}'s part of a list page, from {@code partitions}. */
  LocalPage page(HostInfo peer, MissionFilter filter, String cursor, int limit, Collection<Integer> partitions,
      String credentials);

  /** The schedules {@code peer} keeps in {@code partitions}. */
  List<ScheduleDocument> schedules(HostInfo peer, Collection<Integer> partitions, String credentials);

  /** Schedule {@code name} as kept in {@code partition} on {@code peer}; empty if it holds no such schedule. */
  Optional<ScheduleDocument> schedule(HostInfo peer, String name, int partition, String credentials);
}
