package io.ptorrent.console;

import org.apache.ignite.Ignite;
import org.apache.ignite.plugin.IgnitePlugin;

/**
 * The web console of one node, found with {@link #of(Ignite)}: tells where the console listens, for
 * launchers that print its address.
 *
 * <p>Thread-safe. The port is known once the node has started.
 */
public final class ConsolePlugin implements IgnitePlugin {
    private volatile int port;

    ConsolePlugin() {
    }

    /** The console plugin of a node; fails if the node has none. */
    public static ConsolePlugin of(Ignite ignite) {
        return ignite.plugin(ConsolePluginProvider.NAME);
    }

    /** The port the console listens on; {@code 0} while it does not (a contributor, console off, not started). */
    public int port() {
        return port;
    }

    void port(int port) {
        this.port = port;
    }
}
