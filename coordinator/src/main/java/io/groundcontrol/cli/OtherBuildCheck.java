package io.groundcontrol.cli;

import io.groundcontrol.coordinator.SchemaSetTag;
import io.groundcontrol.coordinator.SchemaSetTag.Schemas;
import io.groundcontrol.schema.wire.ReleasedSchemaSets;
import io.groundcontrol.schema.wire.SchemaSet;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * Refuses to start a coordinator while instances of a build that writes other record schemas are in
 * its Kafka Streams group. Each build reads what older builds wrote, but not what a newer one writes:
 * mixed, the older instances dead-letter the newer ones' records (an admission request, a store
 * value of a mission that moved), and the missions behind them stall. The check runs both ways, so
 * neither an upgraded instance nor an old one restarted by its supervisor joins the other build.
 * Instances that each read what the other writes may share the group: a newer build writing an
 * older one's schemas ({@code --write-schemas}) with instances of that build, or with its own.
 *
 * <p>An instance stopped without leaving the group (killed) stays a member until its session times
 * out (10 s), so the check waits that long for such members to go before it refuses.
 */
final class OtherBuildCheck {
  /** How long members of another build may take to leave: the coordinator's session timeout and a heartbeat. */
  static final Duration WAIT = Duration.ofSeconds(12);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final int NAMED = 3;

  /**
   * A member of the group, as Kafka describes it.
   *
   * @param clientId its client id, where a coordinator names its schemas ({@link SchemaSetTag})
   * @param host where it connects from
   */
  record Member(String clientId, String host) {
    /** How the refusal names it: where it runs, and its schemas if it says. */
    String described() {
      return host + " (" + SchemaSetTag.ofMember(clientId).map(Member::named)
          .orElse("schemas not named: a build from before 2026-12-07") + ")";
    }

    private static String named(Schemas schemas) {
      return schemas.written().equals(schemas.reads()) ? "schemas " + schemas.written().id()
          : "schemas " + schemas.reads().id() + " writing " + schemas.written().id();
    }
  }

  /** What the check needs of its surroundings, so that tests can run it without Kafka or a clock. */
  interface Group {
    /**
     * The group's members now.
     *
     * @throws IllegalStateException if Kafka could not tell
     */
    List<Member> members();

    /** Waits {@code duration}. */
    void pause(Duration duration) throws InterruptedException;
  }

  private OtherBuildCheck() {}

  /**
   * The refusal, if members of another build are still in the group after {@code wait} ({@link #WAIT}
   * but in tests).
   *
   * @param waiting told once, in a line, when the check starts waiting for such members to leave
   * @throws IllegalStateException if Kafka could not tell (the caller warns and starts)
   */
  static Optional<String> check(Group group, String applicationId, Schemas own, Duration wait, LongSupplier nanoTime,
      Consumer<String> waiting) {
    List<Member> others = othersIn(group.members(), own);
    if (others.isEmpty()) {
      return Optional.empty();
    }
    waiting.accept("Group " + applicationId + " has members of another build (" + named(others) + "); waiting up to "
        + wait.toSeconds() + " s for them to leave, as a stopped instance's membership ends with its session");
    long deadline = nanoTime.getAsLong() + wait.toNanos();
    while (!others.isEmpty() && nanoTime.getAsLong() - deadline < 0) {
      try {
        group.pause(POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for group " + applicationId + "'s members", e);
      }
      others = othersIn(group.members(), own);
    }
    return others.isEmpty() ? Optional.empty() : Optional.of(refusal(applicationId, others, own));
  }

  /** The members that name no schemas, or ones that {@code own} cannot share the group with. */
  static List<Member> othersIn(Collection<Member> members, Schemas own) {
    return members.stream()
        .filter(member -> !SchemaSetTag.ofMember(member.clientId()).map(own::sharesWith).orElse(false))
        .toList();
  }

  static String refusal(String applicationId, List<Member> others, Schemas own) {
    return "Coordinator instances of another build are running in group " + applicationId + ": " + named(others)
        + "; this instance writes schemas " + own.written().id() + ", and a build cannot read records written with a "
        + "newer one's schemas (they would be dead-lettered and their missions stall), so the two must not run "
        + "together: stop every instance of the other build, then start this one" + rollingUpgrade(others, own)
        + " (an instance stopped less than its session timeout ago is still a member; README, \"Upgrading\")";
  }

  /** How to upgrade instead without stopping them, if they all write one older set this build can write. */
  private static String rollingUpgrade(List<Member> others, Schemas own) {
    Set<SchemaSet> written = others.stream().map(member -> SchemaSetTag.ofMember(member.clientId()))
        .map(schemas -> schemas.map(Schemas::written).orElse(null)).collect(Collectors.toSet());
    if (written.size() != 1 || written.contains(null)) {
      return "";
    }
    SchemaSet older = written.iterator().next();
    return !older.equals(own.written()) && own.readsRecordsOf(older) && ReleasedSchemaSets.find(older).isPresent()
        ? ", or upgrade them one by one: start this build with --write-schemas " + older.id() + " first" : "";
  }

  private static String named(List<Member> others) {
    Set<String> described = others.stream().map(Member::described).collect(Collectors.toCollection(LinkedHashSet::new));
    String first = described.stream().limit(NAMED).collect(Collectors.joining(", "));
    return described.size() > NAMED ? first + " and " + (described.size() - NAMED) + " more" : first;
  }

  /**
   * The group {@code applicationId} on the cluster behind {@code admin}: its members as a consumer
   * group, or as a streams group (KIP-1071, {@code group.protocol=streams}), which Kafka describes
   * apart.
   */
  static Group of(Admin admin, String applicationId) {
    return new Group() {
      @Override
      public List<Member> members() {
        Optional<ConsumerGroupDescription> consumers =
            described(admin.describeConsumerGroups(List.of(applicationId)).describedGroups().get(applicationId));
        if (consumers.isPresent() && consumers.get().type() != GroupType.STREAMS) {
          return consumers.get().members().stream().map(m -> new Member(m.clientId(), m.host())).toList();
        }
        return described(admin.describeStreamsGroups(List.of(applicationId)).describedGroups().get(applicationId))
            .map(streams -> streams.members().stream().map(m -> new Member(m.clientId(), m.clientHost())).toList())
            .orElse(List.of());
      }

      /** The group as described, or empty if there is none of that kind. */
      private <T> Optional<T> described(KafkaFuture<T> description) {
        try {
          return Optional.of(description.get(30, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
          // A broker before Kafka 4.1 has no streams groups, so none of that kind either.
          if (e.getCause() instanceof GroupIdNotFoundException || e.getCause() instanceof UnsupportedVersionException) {
            return Optional.empty();
          }
          throw new IllegalStateException("Could not describe group " + applicationId + ": "
              + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
          throw new IllegalStateException("Timed out describing group " + applicationId, e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Interrupted while describing group " + applicationId, e);
        }
      }

      @Override
      public void pause(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
      }
    };
  }
}
