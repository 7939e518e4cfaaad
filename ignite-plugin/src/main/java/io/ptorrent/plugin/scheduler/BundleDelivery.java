package io.ptorrent.plugin.scheduler;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What a harbor knows of the bundles its contributors hold: whether a fragment must carry its bundle's bytes
 * to a node, or may name it by SHA-256 only (issue 10, part 2: the bundle goes to each contributor once).
 *
 * <p>Design note. Two ways were possible: the harbor remembers per node what it sent, or it always names by
 * hash and lets the node ask for the bytes. This class does the first and the node's answer covers the rest:
 * <ul>
 *   <li>A hash is {@code SENDING} to a node from the moment a fragment carries its bytes there until that
 *       fragment answers, and {@code HELD} once an answer says the node holds it ({@link FragmentOutcome#bundleHeld}).
 *       In both states further fragments go by hash only: while the first one is on its way too, so that a node
 *       with several shared cores (or fragments queued ahead) gets the bytes once, not once per core; the node
 *       waits for a verification under way of the same hash.</li>
 *   <li>Anything else ({@link FragmentOutcome#BUNDLE_MISSING}: the node evicted it, or a name-only fragment overtook
 *       the one with the bytes; or the fragment with the bytes failed before the node kept them) makes the harbor
 *       forget the hash for that node, and the next fragment carries the bytes again — unless the bytes are still on
 *       their way ({@code SENDING}) and the miss came to a name-only fragment: then they arrive anyway. The scheduler sends a
 *       fragment answered BUNDLE_MISSING again without using up an attempt: the node did not fail, it lacked a
 *       cache entry. A node that answers BUNDLE_MISSING to a fragment that carried the bytes is at fault, and
 *       that does use an attempt, so a node that lies about what it holds costs each fragment at most one extra
 *       round trip per attempt.</li>
 *   <li>Why not the node's answer alone: a miss costs a round trip, and the bytes would still have to be sent
 *       on the first fragment of each task to learn that. Why not memory alone: the node's cache is bounded and
 *       may drop a bundle the harbor believes it holds.</li>
 * </ul>
 * The node's "held" is a hint from an untrusted party: believing a lie only makes the liar answer BUNDLE_MISSING.
 * What a node holds is forgotten when it leaves ({@link #forget}); a restarted contributor has a new node id and
 * gets the bytes again. At most {@link #MAX_HASHES_PER_NODE} hashes are remembered per node (least recently used
 * out), so the harbor's memory is bounded too.
 *
 * <p>Thread-safe: one monitor; called from the scheduler's send and answer paths, outside its lock.
 */
final class BundleDelivery {
    /** More than a contributor's cache keeps by default: forgetting one only sends its bytes again. */
    static final int MAX_HASHES_PER_NODE = 256;

    private enum State { SENDING, HELD }

    private final Map<UUID, LinkedHashMap<String, State>> nodes = new HashMap<>();
    private final Map<UUID, long[]> sentWithBytes = new HashMap<>();
    private long withBytes;
    private long byHash;
    private long missing;

    /**
     * Whether the fragment about to go to {@code node} must carry the bytes of bundle {@code sha256}. When it
     * must, the hash is {@code SENDING} to that node from now on.
     */
    synchronized boolean mustCarry(UUID node, String sha256) {
        LinkedHashMap<String, State> known = nodes.computeIfAbsent(node, k -> new LinkedHashMap<>(16, 0.75f, true));
        if (known.get(sha256) != null) {
            byHash++;
            return false;
        }
        known.put(sha256, State.SENDING);
        if (known.size() > MAX_HASHES_PER_NODE) {
            var eldest = known.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
        withBytes++;
        sentWithBytes.computeIfAbsent(node, k -> new long[1])[0]++;
        return true;
    }

    /**
     * A fragment's answer from {@code node}.
     *
     * @param carried whether that fragment carried the bytes
     * @param outcome null if it brought no answer (the node left, the send failed, the task was cancelled)
     */
    synchronized void answered(UUID node, String sha256, boolean carried, FragmentOutcome outcome) {
        LinkedHashMap<String, State> known = nodes.get(node);
        if (known == null) {
            return; // it left meanwhile
        }
        if (outcome != null && outcome.isBundleMissing()) {
            missing++;
            // A name-only batch that overtook the one with the bytes, still on its way: those bytes will do.
            if (carried || known.get(sha256) != State.SENDING) {
                known.remove(sha256);
            }
        } else if (outcome != null && outcome.bundleHeld()) {
            known.put(sha256, State.HELD);
        } else if (carried && known.get(sha256) == State.SENDING) {
            known.remove(sha256); // the bytes did not arrive in the node's cache: the next fragment brings them
        }
    }

    /** A node left: what it held goes with it. */
    synchronized void forget(UUID node) {
        nodes.remove(node);
        sentWithBytes.remove(node);
    }

    /** Forgets every node but these (the contributors in the grid now). */
    synchronized void retainOnly(java.util.Collection<UUID> present) {
        nodes.keySet().retainAll(present);
        sentWithBytes.keySet().retainAll(present);
    }

    /** Fragments that carried bytes to {@code node} while it has been in the grid. */
    synchronized long sentWithBytes(UUID node) {
        long[] n = sentWithBytes.get(node);
        return n == null ? 0 : n[0];
    }

    synchronized FragmentScheduler.BundleSends totals() {
        return new FragmentScheduler.BundleSends(withBytes, byHash, missing);
    }
}
