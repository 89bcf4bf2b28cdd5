package io.groundcontrol.coordinator;

import io.groundcontrol.schema.wire.SchemaSet;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A coordinator's {@link SchemaSet} in the client id of its Kafka Streams clients, so that an
 * instance about to join a group can tell, from the members Kafka describes, whether they are of a
 * build that writes other schemas. Kafka Streams names each main consumer
 * {@code <client.id>-StreamThread-<n>-consumer}, and the client id is the only part of a member it
 * shows to others before they join.
 */
public final class SchemaSetTag {
  private static final String MARKER = "-schemas-";
  // A main consumer of Kafka Streams' classic protocol, or the client itself as the streams protocol may name it.
  private static final Pattern MEMBER =
      Pattern.compile(".*" + MARKER + "([0-9a-f]{8})(?:-StreamThread-\\d+-consumer)?");

  private SchemaSetTag() {}

  /**
   * The client id of an instance of {@code applicationId} writing {@code schemas}: {@code base} (a
   * {@code client.id} the user set) or a unique one, then the tag.
   */
  public static String clientId(String base, String applicationId, SchemaSet schemas) {
    String prefix = base == null || base.isBlank() ? applicationId + "-" + UUID.randomUUID() : base;
    return prefix + MARKER + schemas.id();
  }

  /**
   * The schema set a group member's client id names, if it is a coordinator's main consumer that
   * names one; builds from before 2026-12-07 do not.
   */
  public static Optional<SchemaSet> ofMember(String memberClientId) {
    Matcher matcher = MEMBER.matcher(memberClientId == null ? "" : memberClientId);
    return matcher.matches() ? Optional.of(new SchemaSet(matcher.group(1))) : Optional.empty();
  }
}
