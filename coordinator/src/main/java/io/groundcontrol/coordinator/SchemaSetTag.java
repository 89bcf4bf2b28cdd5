package io.groundcontrol.coordinator;

import io.groundcontrol.schema.wire.ReleasedSchemaSets;
import io.groundcontrol.schema.wire.SchemaSet;
import io.groundcontrol.schema.wire.WrittenSchemas;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A coordinator's {@link SchemaSet}s in the client id of its Kafka Streams clients, so that an
 * instance about to join a group can tell, from the members Kafka describes, whether they are of a
 * build that writes other schemas. Kafka Streams names each main consumer
 * {@code <client.id>-StreamThread-<n>-consumer}, and the client id is the only part of a member it
 * shows to others before they join.
 *
 * <p>The tag ends in {@code -schemas-<written>}, which every build since 2026-12-07 reads. An
 * instance writing an older build's schemas (coordinator {@code --write-schemas}) puts
 * {@code -reads-<its own>} before it: builds that know no more take it for an instance of the build
 * whose schemas it writes, as they should, while later ones also see which build it is.
 */
public final class SchemaSetTag {
  private static final String MARKER = "-schemas-";
  private static final String READS = "-reads-";
  // A main consumer of Kafka Streams' classic protocol, or the client itself as the streams protocol may name it.
  private static final Pattern MEMBER = Pattern.compile(
      ".*?(?:" + READS + "([0-9a-f]{8}))?" + MARKER + "([0-9a-f]{8})(?:-StreamThread-\\d+-consumer)?");

  /**
   * What an instance writes and which build it is.
   *
   * @param written the schemas it writes its records with
   * @param reads its build's own schemas: it reads those and every older build's
   */
  public record Schemas(SchemaSet written, SchemaSet reads) {
    /** This process: what it writes ({@link WrittenSchemas}), and this build's schemas. */
    public static Schemas ofThisProcess() {
      return new Schemas(WrittenSchemas.written(), SchemaSet.current());
    }

    /** An instance writing its own build's schemas. */
    public static Schemas own(SchemaSet set) {
      return new Schemas(set, set);
    }

    /**
     * Whether this instance reads records written with {@code set}: its build's, an older build's, or
     * the ones it writes itself.
     */
    public boolean readsRecordsOf(SchemaSet set) {
      return set.equals(written) || set.equals(reads) || ReleasedSchemaSets.reads(reads, set);
    }

    /** Whether the two may share a group: each reads every record the other writes. */
    public boolean sharesWith(Schemas other) {
      return readsRecordsOf(other.written) && other.readsRecordsOf(written);
    }
  }

  private SchemaSetTag() {}

  /**
   * The client id of an instance of {@code applicationId} writing {@code schemas}: {@code base} (a
   * {@code client.id} the user set) or a unique one, then the tag.
   */
  public static String clientId(String base, String applicationId, Schemas schemas) {
    String prefix = base == null || base.isBlank() ? applicationId + "-" + UUID.randomUUID() : base;
    String reads = schemas.reads().equals(schemas.written()) ? "" : READS + schemas.reads().id();
    return prefix + reads + MARKER + schemas.written().id();
  }

  /**
   * The schemas a group member's client id names, if it is a coordinator's main consumer that
   * names them; builds from before 2026-12-07 do not. A member that names only what it writes is of
   * the build that writes those.
   */
  public static Optional<Schemas> ofMember(String memberClientId) {
    Matcher matcher = MEMBER.matcher(memberClientId == null ? "" : memberClientId);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    SchemaSet written = new SchemaSet(matcher.group(2));
    return Optional.of(new Schemas(written, matcher.group(1) == null ? written : new SchemaSet(matcher.group(1))));
  }
}
