package io.ptorrent.plugin.launcher;

import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCheckedException;
import org.apache.ignite.logger.java.JavaLoggerFileHandler;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * Where a node started by {@code bin/ptorrent} writes its log file. {@code config/java.util.logging.properties}
 * puts Ignite's {@link JavaLoggerFileHandler} on the root logger, and Ignite opens its file under the node's work
 * directory ({@code log/}, or {@code $IGNITE_LOG_DIR}) when the node starts.
 */
final class NodeLog {
    private static final String PATTERN = JavaLoggerFileHandler.class.getName() + ".pattern";

    private NodeLog() {
    }

    /** The node's current log file; empty where this JVM logs to no file (no such handler configured, as in tests). */
    static Optional<Path> file(Ignite ignite) {
        if (Arrays.stream(Logger.getLogger("").getHandlers()).noneMatch(JavaLoggerFileHandler.class::isInstance)) {
            return Optional.empty();
        }
        String named = ignite.log().fileName();
        if (named != null) {
            return Optional.of(Path.of(named));
        }
        // Ignite reads the file's name from FileHandler's private field, which Java 17 hides without one more
        // --add-opens: the name follows from the same pattern Ignite resolves (the current file is generation 0).
        String pattern = LogManager.getLogManager().getProperty(PATTERN);
        String name = (pattern == null ? "%{app}%{id8}.%g.log" : pattern).replace("%{app}", "ignite")
                .replace("%{id8}", "-" + ignite.cluster().localNode().id().toString().substring(0, 8)).replace("%g", "0").replace("%u", "0");
        try {
            return Optional.of(JavaLoggerFileHandler.logDirectory(ignite.configuration().getWorkDirectory()).toPath().resolve(name));
        } catch (IgniteCheckedException e) {
            return Optional.empty();
        }
    }

    /** "; log: FILE" for a start-up line, or nothing where the node logs to no file. */
    static String suffix(Ignite ignite) {
        return file(ignite).map(f -> "; log: " + f).orElse("");
    }
}
