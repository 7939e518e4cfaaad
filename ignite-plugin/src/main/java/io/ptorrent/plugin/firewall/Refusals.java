package io.ptorrent.plugin.firewall;

import org.apache.ignite.IgniteLogger;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * What the firewall refused: counted per kind, logged once per sender and kind (a rogue node that repeats
 * itself must not flood the harbor's log), and reported to {@code onRefused} (which fails the node out of
 * the topology). Thread-safe; called on Ignite's communication and discovery threads.
 */
final class Refusals {
    /** Past this many (node, kind) pairs the log stops naming new ones: the counters go on. */
    static final int MAX_LOGGED_PAIRS = 10_000;

    private final IgniteLogger log;
    private final Consumer<UUID> onRefused;
    private final Map<String, LongAdder> byKind = new ConcurrentHashMap<>();
    private final Set<String> logged = ConcurrentHashMap.newKeySet();
    private final LongAdder total = new LongAdder();

    Refusals(IgniteLogger log, Consumer<UUID> onRefused) {
        this.log = log;
        this.onRefused = onRefused;
    }

    /**
     * @param channel "communication" or "discovery"
     * @param sender  the client node's id
     * @param kind    the message's kind (its simple class name)
     * @param why     the policy's reason
     * @param fail    whether the sender is a client node to fail out of the topology
     */
    void refuse(String channel, UUID sender, Object consistentId, String kind, String why, boolean fail) {
        total.increment();
        byKind.computeIfAbsent(kind, k -> new LongAdder()).increment();
        String pair = sender + "/" + kind;
        if (logged.size() < MAX_LOGGED_PAIRS && logged.add(pair)) {
            log.warning("ptorrent firewall refused a " + kind + " from " + (fail ? "client " : "") + "node " + sender
                    + (consistentId == null ? "" : " (" + consistentId + ")") + " over " + channel + ": " + why
                    + (fail ? "; a contributor has no reason to send it, so the node is failed out of the grid" : "")
                    + " (further refusals of this kind from it are only counted)");
        }
        if (fail && sender != null) {
            onRefused.accept(sender);
        }
    }

    /** A message dropped without holding it against its sender: counted under "ignored:" + kind, not logged. */
    void ignore(String kind) {
        byKind.computeIfAbsent("ignored:" + kind, k -> new LongAdder()).increment();
    }

    /** Refusals (not counting what was {@linkplain #ignore ignored}). */
    long total() {
        return total.sum();
    }

    /** A snapshot, sorted by kind. */
    Map<String, Long> byKind() {
        Map<String, Long> out = new TreeMap<>();
        byKind.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
