package io.groundcontrol.cli;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the records that {@code --write-schemas} had to write with this build's schemas, as the older
 * build's could not hold a value of theirs: once per record type and reason, as a stream of them
 * would say nothing more.
 */
final class KeptCurrentVersions {
  private static final Logger LOG = LoggerFactory.getLogger(KeptCurrentVersions.class);

  private final Set<String> said = ConcurrentHashMap.newKeySet();

  void kept(Class<? extends SpecificRecord> type, String reason) {
    if (said.add(type.getName() + ": " + reason)) {
      LOG.warn("A {} record was written with this build's schema, not the one of --write-schemas: that one cannot hold its "
          + "value ({}); instances of the older build dead-letter it. Said once for this type and reason",
          type.getSimpleName(), reason);
    }
  }
}
