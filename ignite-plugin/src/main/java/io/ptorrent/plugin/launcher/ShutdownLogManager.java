package io.ptorrent.plugin.launcher;

import java.util.logging.LogManager;

/**
 * The JVM's {@link LogManager} in a process of {@code bin/ptorrent} ({@code -Djava.util.logging.manager}): it keeps the
 * log handlers open while the JVM shuts down. Why: {@code LogManager}'s own shutdown hook resets (closes) every handler
 * at the same time as Ignite's hook stops the node, so a node stopped by Ctrl-C or SIGTERM lost its last lines ("Invoking
 * shutdown hook", "stopped OK") from its log file. Nothing is lost by not closing: the file and console handlers flush
 * after each record, and a lock file left behind is taken over at the next start. Outside shutdown it is the JDK's.
 */
public final class ShutdownLogManager extends LogManager {
    /** Called by the JDK (the class is named by a system property), before anything logs. */
    public ShutdownLogManager() {
        super();
    }

    @Override
    public void reset() {
        if (!shuttingDown()) {
            super.reset();
        }
    }

    /** Whether the JVM runs its shutdown hooks now: it then refuses a new hook. */
    private static boolean shuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
