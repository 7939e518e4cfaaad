package io.ptorrent.plugin.admission;

import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteLogger;
import org.apache.ignite.lang.IgniteBiPredicate;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each contributor shares right now, as it told the harbors: a contributor sends its free-to-share
 * cores (a bare {@link Integer}, so that a harbor deserializes nothing richer from an untrusted node) on
 * the {@link #TOPIC} whenever they change; each harbor keeps the latest number per node. Until a node has
 * sent one, its {@code sharedCores} attribute from the join stands.
 *
 * <p>The number is the contributor's own offer: the harbor trusts it to decide where to send work, never
 * to compute credit. Thread-safe.
 */
public final class ShareOffers {
    public static final String TOPIC = "ptorrent.shareOffer";
    /** A contributor cannot offer more than this, whatever it says. */
    static final int MAX_OFFER = 4096;

    private final Map<UUID, Integer> offers = new ConcurrentHashMap<>();
    private final IgniteBiPredicate<UUID, Object> listener;
    private final Ignite ignite;

    private ShareOffers(Ignite ignite, Runnable onChange) {
        this.ignite = ignite;
        IgniteLogger log = ignite.log().getLogger(ShareOffers.class);
        this.listener = (nodeId, msg) -> {
            if (msg instanceof Integer cores && cores >= 0 && cores <= MAX_OFFER) {
                offers.put(nodeId, cores);
                onChange.run();
            } else {
                log.warning("ignored a share offer from node " + nodeId + ": " + msg);
            }
            return true;
        };
    }

    /** Starts listening on a harbor; {@code onChange} runs (on an Ignite thread) after every new offer. */
    public static ShareOffers listen(Ignite ignite, Runnable onChange) {
        ShareOffers offers = new ShareOffers(ignite, onChange);
        ignite.message().localListen(TOPIC, offers.listener);
        return offers;
    }

    /** The latest offer of a node, or {@code fallback} (its join-time attribute) if it sent none. */
    public int offer(UUID nodeId, int fallback) {
        return offers.getOrDefault(nodeId, fallback);
    }

    /** Forgets a node that left. */
    public void forget(UUID nodeId) {
        offers.remove(nodeId);
    }

    public void stop() {
        ignite.message().stopLocalListen(TOPIC, listener);
    }

    /** Sends a contributor's offer to every harbor. */
    public static void publish(Ignite contributor, int cores) {
        if (!contributor.cluster().forServers().nodes().isEmpty()) {
            // As the contributor itself: a change of share often runs in a harbor's context (its rules job, a harbor's join).
            io.ptorrent.plugin.security.Caller.asThisNode(contributor, () -> {
                contributor.message(contributor.cluster().forServers()).send(TOPIC, cores);
                return null;
            });
        }
    }
}
