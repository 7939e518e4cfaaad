package io.ptorrent.plugin.gateway;

import io.ptorrent.client.bundle.Bundle;
import org.apache.ignite.Ignite;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;

/**
 * The code bundles a harbor holds, by SHA-256: a client uploads a bundle once and then names it by hash.
 *
 * <p>Design: bundles are stored as verified bytes (checked with {@code BundleVerifier} on arrival) and never
 * loaded or deserialized on the harbor; they go to each contributor once, with its first fragment of them
 * (the scheduler's {@code BundleDelivery}; later fragments name them by SHA-256). The store is this
 * harbor's own memory, least-recently-used first out past {@link #MAX_BYTES}: a client that meets another
 * harbor, or a bundle dropped to make room, simply uploads again (the task start answers BUNDLE_NOT_FOUND).
 * Why not an Ignite cache: bundles are only needed by the harbor that schedules the task, and a cache
 * would need its own size cap on top. Thread-safe (one monitor; operations are map look-ups).
 */
public final class BundleStore {
    /** The most class bytes the store holds: 16 bundles of the largest size. */
    public static final long MAX_BYTES = 16L * Bundle.MAX_BYTES;
    private static final String NODE_LOCAL_KEY = BundleStore.class.getName();

    private final long maxBytes;
    private final Map<String, Stored> bundles = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;
    private long uploads;

    BundleStore(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The store of this harbor, made on first use. */
    public static BundleStore of(Ignite ignite) {
        ConcurrentMap<String, Object> local = ignite.cluster().nodeLocalMap();
        return (BundleStore) local.computeIfAbsent(NODE_LOCAL_KEY, k -> new BundleStore(MAX_BYTES));
    }

    /** The bundle with this hash, or null. */
    public synchronized Bundle get(String sha256) {
        Stored s = bundles.get(sha256);
        return s == null ? null : s.bundle;
    }

    /**
     * Keeps a verified bundle.
     *
     * @return true if it was new here (an upload that stored something)
     */
    public synchronized boolean put(Bundle bundle) {
        if (bundles.containsKey(bundle.sha256())) {
            bundles.get(bundle.sha256()); // touch: recently used
            return false;
        }
        long size = bundle.classes().values().stream().mapToLong(b -> b.length).sum();
        bundles.put(bundle.sha256(), new Stored(bundle, size));
        bytes += size;
        uploads++;
        var it = bundles.entrySet().iterator();
        while (bytes > maxBytes && it.hasNext()) {
            Map.Entry<String, Stored> eldest = it.next();
            if (eldest.getKey().equals(bundle.sha256())) {
                continue;
            }
            bytes -= eldest.getValue().size;
            it.remove();
        }
        return true;
    }

    /** How many bundles were stored new since the harbor started (a repeated upload does not count). */
    public synchronized long uploads() {
        return uploads;
    }

    /** Bundles held now. */
    public synchronized int size() {
        return bundles.size();
    }

    private record Stored(Bundle bundle, long size) {
    }
}
