package io.ptorrent.plugin.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Runs workers without any network: in a new user and network namespace ({@code unshare --user --net}, from
 * util-linux), where the machine lets an unprivileged user create one. The namespace holds only a loopback
 * interface that is down, so a worker can neither connect, listen, resolve nor send anything, not even to
 * the machine itself. {@code unshare} execs the worker, so the worker's pid is the JVM's.
 *
 * <p>Checked once per JVM by starting a JVM inside (some distributions forbid unprivileged user namespaces,
 * e.g. Ubuntu's AppArmor restriction or {@code kernel.unprivileged_userns_clone=0}); where it does not work
 * the node logs that once ({@link #describe()}) and carries on with the verifier and the other limits.
 */
final class NetworkConfinement {

    private NetworkConfinement() {
    }

    /** The command prefix that confines a worker, or an empty list where that does not work here. */
    static List<String> prefix() {
        return Probe.UNSHARE.map(unshare -> List.of(unshare.toString(), "--user", "--net", "--")).orElse(List.of());
    }

    /** Whether workers run without network on this machine. */
    static boolean active() {
        return Probe.UNSHARE.isPresent();
    }

    /** One line for the node's log: whether workers have a network. */
    static String describe() {
        if (active()) {
            return "sandbox workers run in their own user and network namespace (no network)";
        }
        return (Probe.FOUND.isEmpty() ? "no unshare (util-linux) on this machine" : "this machine does not let an unprivileged user create a network namespace")
                + ": sandbox workers run with the machine's network (the bytecode verifier alone keeps user code off it)";
    }

    /** Lazy holder: the probe runs once, on first use. */
    private static final class Probe {
        static final Optional<Path> FOUND = HostTools.find("unshare");
        static final Optional<Path> UNSHARE = FOUND.filter(unshare -> HostTools.javaRunsUnder(List.of(unshare.toString(), "--user", "--net", "--")));
    }
}
