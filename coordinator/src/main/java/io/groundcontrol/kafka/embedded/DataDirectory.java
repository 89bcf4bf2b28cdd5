package io.groundcontrol.kafka.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * The on-disk home of an embedded node: formatted once, then reused as is.
 *
 * <p>Formatting writes {@code meta.properties} (cluster id and node id) and the bootstrap
 * metadata; its presence is what marks a directory as already formatted.
 */
final class DataDirectory {

    private final Path path;

    DataDirectory(Path path) {
        this.path = path.toAbsolutePath();
    }

    Path path() {
        return path;
    }

    boolean isFormatted() {
        return Files.isRegularFile(path.resolve(MetaPropertiesEnsemble.META_PROPERTIES_NAME));
    }

    /** Formats the directory for a new single-node cluster with a fresh cluster id, unless already formatted. */
    void formatIfNeeded() throws IOException {
        if (isFormatted()) {
            return;
        }
        Files.createDirectories(path);
        try (PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(quiet)
                    .setNodeId(BrokerProperties.NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName(BrokerProperties.CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(path.toString())
                    .addDirectory(path.toString())
                    .run();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("Could not format Kafka data directory " + path, e);
        }
    }
}
