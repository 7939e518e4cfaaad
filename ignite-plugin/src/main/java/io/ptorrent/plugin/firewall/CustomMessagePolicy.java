package io.ptorrent.plugin.firewall;

import org.apache.ignite.internal.managers.discovery.DiscoveryCustomMessage;
import org.apache.ignite.internal.processors.cache.CacheStatisticsClearMessage;
import org.apache.ignite.internal.processors.cache.CacheStatisticsModeChangeMessage;
import org.apache.ignite.internal.processors.cache.TxTimeoutOnPartitionMapExchangeChangeMessage;
import org.apache.ignite.internal.processors.cache.binary.MetadataUpdateProposedMessage;
import org.apache.ignite.internal.processors.marshaller.MappingProposedMessage;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What every ptorrent node accepts from a client node over discovery: the custom messages (cache start and
 * destroy, cluster state and baseline, DDL, continuous queries and remote listeners, services, WAL state,
 * metastorage, snapshots, ...) that a client can send to change the cluster.
 *
 * <p>Design: Ignite authorizes these on the node that <em>starts</em> them (cache create/destroy in
 * {@code GridCacheProcessor.initiateCacheChanges}, cluster state in {@code GridClusterStateProcessor.changeGlobalState})
 * and never where they arrive ({@code ClusterCachesInfo.onCacheChangeRequested} applies a request it is
 * given). A custom message reaches every node in the same order, and every node decides alone what it does
 * with it; so every honest node drops the same ones — as if they had never been sent — and topology versions
 * stay the same everywhere. Dropping on the harbors alone would not do: the contributors would start an
 * exchange that the coordinator never finishes.
 *
 * <p>A client may send only what a contributor's node sends by itself: the class-name and binary-type
 * mappings of what it marshals (they register types, never change data). Every node also writes the
 * cluster's id and tag to the distributed metastorage when it joins (Ignite's {@code ClusterProcessor}, the
 * same value it just read): from a client that write, like any metastorage write, is dropped without a
 * word — nothing waits for it — and does not count against the node. Three kinds take effect in their
 * acknowledgement, which the coordinator sends under its own name: those are dropped when they answer a
 * request that was dropped. Thread-safe.
 */
final class CustomMessagePolicy {
    static final Set<Class<? extends DiscoveryCustomMessage>> ALLOWED = Set.of(
            MappingProposedMessage.class,
            MetadataUpdateProposedMessage.class);

    /** A write and a compare-and-set (Ignite keeps both classes package-private): a client sets no distributed property. */
    static final Set<Class<?>> METASTORAGE_WRITES = Set.of(
            ignitesClass("org.apache.ignite.internal.processors.metastorage.persistence.DistributedMetaStorageUpdateMessage"),
            ignitesClass("org.apache.ignite.internal.processors.metastorage.persistence.DistributedMetaStorageCasMessage"));

    /** Requests remembered so that their acknowledgements are dropped too; old ones are forgotten first. */
    static final int MAX_REMEMBERED = 1_024;

    private final Set<UUID> droppedRequests = Collections.synchronizedSet(Collections.newSetFromMap(
            new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
                    return size() > MAX_REMEMBERED;
                }
            }));

    /** What a metastorage write from a client gets: dropped, but not held against the node. */
    static final String QUIET = "a metastorage write from a client (dropped, not held against the node)";

    /**
     * @param fromClient whether the message's creator is a client node
     * @return {@code null} to deliver it, {@link #QUIET} to drop it quietly, or why it is refused
     */
    String refusal(boolean fromClient, DiscoveryCustomMessage msg) {
        UUID req = requestOf(msg);
        if (fromClient) {
            if (ALLOWED.contains(msg.getClass())) {
                return null;
            }
            if (METASTORAGE_WRITES.contains(msg.getClass())) {
                return QUIET;
            }
            if (req != null) {
                droppedRequests.add(req);
            }
            return "a client may not change the cluster";
        }
        if (req != null && droppedRequests.contains(req)) {
            return "the acknowledgement of a request from a client that was dropped";
        }
        return null;
    }

    private static Class<?> ignitesClass(String name) {
        try {
            return Class.forName(name, false, CustomMessagePolicy.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError("this Ignite version has no " + name + ": " + e);
        }
    }

    /** The request id of the kinds whose acknowledgement carries the effect, else {@code null}. */
    private static UUID requestOf(DiscoveryCustomMessage msg) {
        if (msg instanceof CacheStatisticsModeChangeMessage m) {
            return m.requestId();
        }
        if (msg instanceof CacheStatisticsClearMessage m) {
            return m.requestId();
        }
        if (msg instanceof TxTimeoutOnPartitionMapExchangeChangeMessage m) {
            return m.getRequestId();
        }
        return null;
    }
}
