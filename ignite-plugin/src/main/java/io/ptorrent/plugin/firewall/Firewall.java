package io.ptorrent.plugin.firewall;

import io.ptorrent.plugin.admission.ShareOffers;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCheckedException;
import org.apache.ignite.IgniteLogger;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.internal.GridKernalContext;
import org.apache.ignite.internal.IgniteEx;
import org.apache.ignite.internal.util.typedef.internal.U;
import org.apache.ignite.marshaller.Marshaller;
import org.apache.ignite.plugin.extensions.communication.Message;
import org.apache.ignite.spi.communication.CommunicationListener;
import org.apache.ignite.spi.communication.CommunicationSpi;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.apache.ignite.spi.discovery.DiscoverySpi;
import org.apache.ignite.spi.discovery.DiscoverySpiListener;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * What a client node (a contributor) may send: Ignite checks permissions on the node that starts an
 * operation, and a stranger's node passes its own checks, so ptorrent decides again on what arrives. See
 * docs/SECURITY.md ("What a contributor node may send a harbor").
 *
 * <ul>
 *   <li>Communication (harbors): {@link ClientMessagePolicy} — a client's message is delivered only if its
 *       kind is one a contributor sends; a client that sends another kind is failed out of the topology.</li>
 *   <li>Discovery (every ptorrent node, so that all of them skip the same messages):
 *       {@link CustomMessagePolicy} — a client's custom message that would change the cluster is dropped.</li>
 * </ul>
 *
 * <p>Lifecycle: made and {@link #installCommunication() installed on communication} by the plugin at
 * {@code start} (Ignite's communication manager has set its listener, the node has not joined); installed on
 * discovery when Ignite first collects the node's join data ({@link #installDiscovery()}: the one plugin
 * callback between Ignite setting its discovery listener and the node's first discovery event);
 * {@link #requireInstalled()} at {@code onIgniteStart}. Thread-safe.
 */
public final class Firewall {
    private final Ignite ignite;
    private final GridKernalContext ctx;
    private final boolean harbor;
    private final Refusals refusals;
    private final ExecutorService failer;
    private volatile boolean discoveryInstalled;

    private Firewall(Ignite ignite, IgniteLogger log, boolean harbor) {
        this.ignite = ignite;
        this.ctx = ((IgniteEx) ignite).context();
        this.harbor = harbor;
        this.failer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ptorrent-firewall-" + ignite.name());
            t.setDaemon(true);
            return t;
        });
        this.refusals = new Refusals(log, this::fail);
    }

    /** @param harbor whether this node is a harbor (it filters communication too, and fails refused clients) */
    public static Firewall create(Ignite ignite, IgniteLogger log, boolean harbor) {
        return new Firewall(ignite, log, harbor);
    }

    /**
     * Wraps the harbor's communication listener. Harbors only.
     *
     * @throws IllegalStateException if the node's communication SPI is not a started {@link TcpCommunicationSpi}
     */
    @SuppressWarnings("unchecked")
    public void installCommunication() {
        CommunicationSpi<?> spi = ignite.configuration().getCommunicationSpi();
        if (!harbor || !(spi instanceof TcpCommunicationSpi tcp) || tcp.getListener() == null) {
            throw new IllegalStateException("a harbor needs Ignite's TcpCommunicationSpi with its listener set to filter what contributors send; it has "
                    + (spi == null ? "none" : spi.getClass().getName()));
        }
        CommunicationListener<Message> ignites = tcp.getListener();
        Marshaller marsh = ignite.configuration().getMarshaller();
        Lazy<ClientMessagePolicy> policy = new Lazy<>(() -> {
            try {
                return new ClientMessagePolicy(U.marshal(marsh, ShareOffers.TOPIC), U.marshal(marsh, Integer.valueOf(0)),
                        answer -> ExchangeAnswers.partitionMaps(answer, marsh, U.resolveClassLoader(ignite.configuration())),
                        id -> {
                            ClusterNode n = id.equals(ctx.localNodeId()) ? null : node(id);
                            return id.equals(ctx.localNodeId()) || n != null && !n.isClient();
                        });
            } catch (IgniteCheckedException e) {
                throw new IllegalStateException("cannot marshal the share-offer topic: " + e.getMessage(), e);
            }
        });
        tcp.setListener(new CommunicationFirewall(ignites, this::node, policy, refusals));
    }

    /**
     * Wraps the discovery SPI's listener, once; later calls do nothing (Ignite collects join data again at
     * every join of another node and at a client's reconnect).
     */
    public synchronized void installDiscovery() {
        if (discoveryInstalled) {
            return;
        }
        DiscoverySpi spi = ignite.configuration().getDiscoverySpi();
        if (!(spi instanceof TcpDiscoverySpi tcp)) {
            throw new IllegalStateException("ptorrent needs Ignite's TcpDiscoverySpi to filter what client nodes send; this node has "
                    + (spi == null ? "none" : spi.getClass().getName()));
        }
        DiscoverySpiListener ignites = ListenerField.get(tcp);
        if (ignites == null) {
            throw new IllegalStateException("Ignite has not set its discovery listener yet: the firewall cannot wrap it");
        }
        if (!(ignites instanceof DiscoveryFirewall)) {
            tcp.setListener(new DiscoveryFirewall(ignites, new CustomMessagePolicy(), refusals, harbor));
        }
        discoveryInstalled = true;
    }

    /** @throws IllegalStateException if the discovery listener was not wrapped before the node joined */
    public void requireInstalled() {
        if (!discoveryInstalled) {
            throw new IllegalStateException("the ptorrent firewall was not installed on discovery before the node joined");
        }
    }

    /** How many messages from client nodes this node refused since it started. */
    public long refused() {
        return refusals.total();
    }

    /** Refusals per message kind (its simple class name), sorted by kind. */
    public Map<String, Long> refusedByKind() {
        return refusals.byKind();
    }

    public void stop() {
        failer.shutdownNow();
    }

    private void fail(UUID nodeId) {
        if (!harbor) {
            return; // a contributor drops; failing nodes is the harbors' call
        }
        try {
            // Off the communication and discovery threads: failing a node sends a discovery message.
            failer.execute(() -> ctx.discovery().failNode(nodeId,
                    "ptorrent firewall: the client node sent a message a contributor has no reason to send"));
        } catch (RejectedExecutionException stopping) {
            // the harbor is stopping: the node goes with it
        }
    }

    /** Discovery's view of a node: its cached topology first, then the SPI's own (a node joining right now). */
    private ClusterNode node(UUID id) {
        ClusterNode n = ctx.discovery().node(id);
        return n != null ? n : ctx.discovery().getAlive(id);
    }

    /** TcpDiscoverySpi keeps its listener in a protected field with no getter. */
    private static final class ListenerField {
        private static final Field FIELD;

        static {
            try {
                FIELD = TcpDiscoverySpi.class.getDeclaredField("lsnr");
                FIELD.setAccessible(true);
            } catch (NoSuchFieldException e) {
                throw new ExceptionInInitializerError("this Ignite version's TcpDiscoverySpi has no 'lsnr' field: " + e);
            }
        }

        static DiscoverySpiListener get(TcpDiscoverySpi spi) {
            try {
                return (DiscoverySpiListener) FIELD.get(spi);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
