package io.ptorrent.plugin.transport;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.lang.IgniteRunnable;
import org.apache.ignite.plugin.extensions.communication.Message;
import org.apache.ignite.spi.communication.CommunicationListener;
import org.apache.ignite.spi.communication.CommunicationSpi;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.apache.ignite.spi.communication.tcp.internal.CommunicationListenerEx;

import java.nio.channels.Channel;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * <b>Benchmark only</b>: a household's link on loopback. With the system property {@value #PROPERTY}{@code =N}
 * (milliseconds, 1–10,000) a node delivers every communication message that arrives from the other side of the
 * harbor–contributor link N ms late: a harbor delays what contributors (client nodes) send it, a contributor what
 * harbors (server nodes) send it; so with the property on both sides each way of the link takes N ms more.
 * Messages between harbors, discovery and the thin clients are not delayed. {@code bench/run utilization} sets it
 * to 25 for its "-wan" cases (docs/BENCHMARKS.md); it is not a configuration key and nothing else reads it.
 *
 * <p>Why receive-side, in front of Ignite's own listener: the NIO threads that read the socket hand a message on
 * at once and stay free, and one scheduler thread with one constant delay keeps the arrival order (a
 * {@code ScheduledThreadPoolExecutor} runs tasks due at the same time in submission order), which Ignite's
 * ordered messages need. Back-pressure closures run when the message is delivered, as without the delay.
 */
public final class LinkDelay implements CommunicationListenerEx<Message> {
    /** The system property: the one-way delay in ms; unset or 0 is off. */
    public static final String PROPERTY = "ptorrent.bench.linkDelayMs";
    /** What a node logs (a warning) when the delay is on: benchmarks check for it. */
    public static final String LOGGED = "benchmark-only link delay on";
    private static final long MAX_MS = 10_000;

    private final CommunicationListener<Message> delegate;
    private final Function<UUID, ClusterNode> nodes;
    private final boolean harbor;
    private final long delayMs;
    private final ScheduledExecutorService scheduler;

    private LinkDelay(CommunicationListener<Message> delegate, Function<UUID, ClusterNode> nodes, boolean harbor, long delayMs) {
        this.delegate = delegate;
        this.nodes = nodes;
        this.harbor = harbor;
        this.delayMs = delayMs;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ptorrent-link-delay");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The delay {@value #PROPERTY} asks for, in ms (0: off).
     *
     * @throws PtorrentException CONFIG_INVALID if it is not a whole number from 0 to 10,000
     */
    public static long configured() {
        return parse(System.getProperty(PROPERTY));
    }

    /** {@link #configured()}'s check, of the property's value ({@code null}: unset). */
    static long parse(String v) {
        if (v == null || v.isBlank()) {
            return 0;
        }
        try {
            long ms = Long.parseLong(v.strip());
            if (ms >= 0 && ms <= MAX_MS) {
                return ms;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new PtorrentException(ErrorCode.CONFIG_INVALID, "-D" + PROPERTY + " must be a whole number of milliseconds from 0 to "
                + MAX_MS + " (a benchmark-only link delay), was '" + v + "': fix or remove it");
    }

    /**
     * Wraps the node's communication listener (after Ignite has set it, before the node joins) when {@code delayMs > 0}.
     *
     * @param nodes  the node of an id as discovery knows it, or {@code null}
     * @param harbor whether this node is a harbor (it delays what client nodes send), else a contributor (it delays what servers send)
     * @return the installed delay (stop it with the node), or {@code null} when {@code delayMs} is 0
     * @throws IllegalStateException if the node's communication SPI is not a {@link TcpCommunicationSpi} with its listener set
     */
    @SuppressWarnings("unchecked")
    public static LinkDelay install(CommunicationSpi<?> spi, Function<UUID, ClusterNode> nodes, boolean harbor, long delayMs) {
        if (delayMs <= 0) {
            return null;
        }
        if (!(spi instanceof TcpCommunicationSpi tcp) || tcp.getListener() == null) {
            throw new IllegalStateException("-D" + PROPERTY + " needs Ignite's TcpCommunicationSpi with its listener set");
        }
        LinkDelay d = new LinkDelay(tcp.getListener(), nodes, harbor, delayMs);
        tcp.setListener(d);
        return d;
    }

    public long delayMs() {
        return delayMs;
    }

    public void stop() {
        scheduler.shutdownNow();
    }

    @Override
    public void onMessage(UUID nodeId, Message msg, IgniteRunnable msgC) {
        ClusterNode node = nodes.apply(nodeId);
        // The other side of the link: a harbor hears contributors (clients), a contributor hears harbors (servers).
        if (node == null || node.isClient() != harbor) {
            delegate.onMessage(nodeId, msg, msgC);
            return;
        }
        try {
            scheduler.schedule(() -> delegate.onMessage(nodeId, msg, msgC), delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            delegate.onMessage(nodeId, msg, msgC);
        }
    }

    @Override
    public void onDisconnected(UUID nodeId) {
        delegate.onDisconnected(nodeId);
    }

    @Override
    public void onChannelOpened(UUID rmtNodeId, Message initMsg, Channel channel) {
        if (delegate instanceof CommunicationListenerEx<Message> ex) {
            ex.onChannelOpened(rmtNodeId, initMsg, channel);
        }
    }
}
