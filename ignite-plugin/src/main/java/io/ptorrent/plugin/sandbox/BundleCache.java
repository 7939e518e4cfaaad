package io.ptorrent.plugin.sandbox;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.bundle.Bundle;
import io.ptorrent.client.bundle.BundleVerifier;
import io.ptorrent.client.wire.WireBundle;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.UnaryOperator;

/**
 * A contributor's verdicts on the bundles its harbors sent, by SHA-256: the bundle travels to a node once and
 * the bytecode verifier runs once per hash on it, not once per fragment (issue 10, part 2).
 *
 * <p>Design note. A verdict enters only through {@link #admit}, with the bytes: their SHA-256 is recomputed and
 * must equal the name ({@link Bundle#verified}) before anything is kept, so a hash the harbor never gave bytes
 * for is never trusted, and bytes that do not match their name are refused ({@code BUNDLE_INVALID}) and leave no
 * verdict behind (else they could poison the name of a real bundle). The verdict is the verifier's, unchanged in
 * strictness: the verified bundle, or its rejection ({@code BUNDLE_REJECTED} with the verifier's message), which
 * is kept too so that a hostile bundle is not verified again for each of its fragments either.
 * {@link #get} answers from the cache only; a miss is the caller's to report ("bundle missing": the harbor sends
 * the bytes again).
 *
 * <p>Bounds: at most {@code maxBundles} verdicts and {@code maxBytes} of accepted bundles' class bytes (a
 * rejection holds no bytes, only its message, and counts against the number); past either the least recently
 * used verdict goes first. A bundle larger than {@code maxBytes} alone is verified, used by the fragment that
 * brought it, and not kept. Evicting is harmless: the next fragment of that bundle answers "bundle missing".
 *
 * <p>Concurrency: one monitor guards the map and the counters; hashing and verifying run outside it. Two
 * fragments that bring the same unknown bundle at once verify it once: the first registers the work, the
 * others (and a {@link #get} of that hash) wait for its verdict. Thread-safe.
 */
public final class BundleCache {
    private final int maxBundles;
    private final long maxBytes;
    private final UnaryOperator<Bundle> verifier;

    private final Object lock = new Object();
    /** Verdicts, least recently used first. Guarded by lock. */
    private final LinkedHashMap<String, Verdict> verdicts = new LinkedHashMap<>(16, 0.75f, true);
    /** Verifications under way, by hash. Guarded by lock. */
    private final Map<String, CompletableFuture<Verdict>> pending = new HashMap<>();
    private long bytes;
    private long verifications;
    private long rejections;
    private long hits;
    private long misses;
    private long evictions;

    /**
     * A cache that verifies with {@link BundleVerifier#verify}.
     *
     * @param maxBundles the most verdicts it keeps, at least 1
     * @param maxBytes   the most class bytes of accepted bundles it keeps, at least 1
     */
    public BundleCache(int maxBundles, long maxBytes) {
        this(maxBundles, maxBytes, BundleVerifier::verify);
    }

    /** As above, with the verifier given (tests count its calls). */
    BundleCache(int maxBundles, long maxBytes, UnaryOperator<Bundle> verifier) {
        if (maxBundles < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("a bundle cache holds at least one bundle and one byte: " + maxBundles + ", " + maxBytes);
        }
        this.maxBundles = maxBundles;
        this.maxBytes = maxBytes;
        this.verifier = Objects.requireNonNull(verifier, "verifier");
    }

    /**
     * The verified bundle named {@code sha256}, if this node holds a verdict on it (waiting for one under way).
     *
     * @return the bundle, or null if this node holds no verdict on that hash (never sent, or evicted)
     * @throws PtorrentException the kept rejection ({@code BUNDLE_REJECTED}); TASK_CANCELLED if interrupted while waiting
     */
    public Bundle get(String sha256) {
        Objects.requireNonNull(sha256, "sha256");
        CompletableFuture<Verdict> underWay;
        synchronized (lock) {
            Verdict v = verdicts.get(sha256);
            if (v != null) {
                hits++;
                return v.use();
            }
            underWay = pending.get(sha256);
            if (underWay == null) {
                misses++;
                return null;
            }
            hits++;
        }
        Verdict v = await(underWay);
        return v == null ? null : v.use();
    }

    /**
     * The verdict on a bundle that came with its bytes: from the cache if this node holds one on that hash
     * (the bytes are then not looked at: the kept ones were checked against the same name), else checked
     * against its name, verified and kept.
     *
     * @return the verified bundle
     * @throws PtorrentException BUNDLE_INVALID or BUNDLE_TOO_LARGE (the bytes are not what their name says; nothing
     *                           kept), BUNDLE_REJECTED (the verifier's verdict, kept), TASK_CANCELLED if interrupted
     *                           while waiting for the same bundle's verification on another thread
     */
    public Bundle admit(WireBundle wire) {
        Objects.requireNonNull(wire, "wire");
        String sha = wire.sha256();
        while (true) {
            CompletableFuture<Verdict> mine;
            CompletableFuture<Verdict> underWay;
            synchronized (lock) {
                Verdict v = verdicts.get(sha);
                if (v != null) {
                    hits++;
                    return v.use();
                }
                underWay = pending.get(sha);
                if (underWay == null) {
                    mine = new CompletableFuture<>();
                    pending.put(sha, mine);
                } else {
                    mine = null;
                    hits++;
                }
            }
            if (mine == null) {
                Verdict v = await(underWay);
                if (v != null) {
                    return v.use();
                }
                continue; // the other thread's bytes did not match the name; these may
            }
            return verify(wire, mine).use();
        }
    }

    /** Checks, verifies and keeps; completes {@code mine} with the verdict, or with null if nothing is kept. */
    private Verdict verify(WireBundle wire, CompletableFuture<Verdict> mine) {
        Verdict verdict = null;
        try {
            // Throws BUNDLE_INVALID / BUNDLE_TOO_LARGE when the bytes are not what their name says: no verdict then.
            Bundle named = Bundle.verified(wire);
            try {
                verdict = new Verdict(verifier.apply(named), null, size(named));
            } catch (PtorrentException rejected) {
                verdict = new Verdict(null, rejected, 0); // holds no class bytes
            }
            keep(wire.sha256(), verdict);
            return verdict;
        } finally {
            synchronized (lock) {
                pending.remove(wire.sha256());
            }
            mine.complete(verdict);
        }
    }

    private void keep(String sha, Verdict v) {
        synchronized (lock) {
            verifications++;
            if (v.rejection() != null) {
                rejections++;
            }
            if (v.bytes() > maxBytes) {
                return; // used by the fragment that brought it, never kept: it alone would pass the bound
            }
            verdicts.put(sha, v);
            bytes += v.bytes();
            var it = verdicts.entrySet().iterator();
            while ((verdicts.size() > maxBundles || bytes > maxBytes) && it.hasNext()) {
                Map.Entry<String, Verdict> eldest = it.next();
                if (eldest.getKey().equals(sha)) {
                    continue;
                }
                bytes -= eldest.getValue().bytes();
                evictions++;
                it.remove();
            }
        }
    }

    private static Verdict await(CompletableFuture<Verdict> underWay) {
        try {
            return underWay.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PtorrentException(ErrorCode.TASK_CANCELLED, "the fragment was cancelled while its bundle was being verified");
        } catch (ExecutionException e) {
            throw new IllegalStateException("a bundle's verification completes normally", e);
        }
    }

    private static long size(Bundle b) {
        long n = 0;
        for (byte[] c : b.classes().values()) {
            n += c.length;
        }
        return n;
    }

    /** What the cache holds and has done since the node started. */
    public Stats stats() {
        synchronized (lock) {
            return new Stats(verdicts.size(), bytes, verifications, rejections, hits, misses, evictions);
        }
    }

    /** Whether the cache holds a verdict on this hash now (it is not touched: the eviction order stays). */
    public boolean holds(String sha256) {
        synchronized (lock) {
            return verdicts.containsKey(sha256);
        }
    }

    /**
     * @param bundles       verdicts held now (accepted and rejected)
     * @param bytes         class bytes of the accepted bundles held now
     * @param verifications times the verifier ran (once per hash, unless a verdict was evicted and the bytes came again)
     * @param rejections    of those, how many rejected the bundle
     * @param hits          look-ups answered from a held verdict or one under way
     * @param misses        look-ups by hash alone that found nothing ("bundle missing")
     * @param evictions     verdicts dropped to stay within the bounds
     */
    public record Stats(int bundles, long bytes, long verifications, long rejections, long hits, long misses, long evictions) {
    }

    /** A bundle's verdict: the bundle, or the rejection; and the class bytes it holds. */
    private record Verdict(Bundle bundle, PtorrentException rejection, long bytes) {
        /** The bundle, or the rejection thrown. */
        Bundle use() {
            if (rejection != null) {
                // A new exception each time, with the verifier's code and message: a thrown one carries its thrower's stack.
                throw new PtorrentException(rejection.code(), rejection.getMessage());
            }
            return bundle;
        }
    }
}
