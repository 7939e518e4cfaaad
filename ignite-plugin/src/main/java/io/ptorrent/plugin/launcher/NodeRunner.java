package io.ptorrent.plugin.launcher;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteState;
import org.apache.ignite.Ignition;
import org.apache.ignite.IgnitionListener;
import org.apache.ignite.configuration.IgniteConfiguration;

import java.util.concurrent.CountDownLatch;

/** Starts a node and keeps the process alive until the node stops (Ctrl-C stops it cleanly). */
final class NodeRunner {
    private NodeRunner() {
    }

    /**
     * Starts the node, prints {@code banner} (with where the node logs) on standard output and waits until the node
     * stops. The terminal shows this line and the warnings and errors of the log (config/java.util.logging.properties).
     *
     * @return the exit status
     */
    static int runUntilStopped(IgniteConfiguration cfg, java.util.function.Function<Ignite, String> banner) {
        CountDownLatch stopped = new CountDownLatch(1);
        IgnitionListener listener = (name, state) -> {
            if (state == IgniteState.STOPPED || state == IgniteState.STOPPED_ON_FAILURE || state == IgniteState.STOPPED_ON_SEGMENTATION) {
                if (java.util.Objects.equals(name, cfg.getIgniteInstanceName())) {
                    stopped.countDown();
                }
            }
        };
        Ignition.addListener(listener);
        Ignite ignite;
        try {
            ignite = Ignition.start(cfg);
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof PtorrentException p) {
                    throw p;
                }
                // The harbor's refusal arrives as Ignite's discovery exception, with our "JOIN_REFUSED: ... (hint)" as its message.
                String m = String.valueOf(t.getMessage());
                int at = m.indexOf(ErrorCode.JOIN_REFUSED.name() + ": ");
                if (at >= 0) {
                    String why = m.substring(at + ErrorCode.JOIN_REFUSED.name().length() + 2);
                    int hint = why.indexOf(" (" + ErrorCode.JOIN_REFUSED.hint() + ")");
                    throw new PtorrentException(ErrorCode.JOIN_REFUSED, hint >= 0 ? why.substring(0, hint) : why, e);
                }
            }
            throw new PtorrentException(ErrorCode.INTERNAL, "the node could not start: " + NodeConfigs.rootMessage(e), e);
        }
        System.out.println(banner.apply(ignite) + NodeLog.suffix(ignite));
        System.out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
