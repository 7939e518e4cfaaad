package io.ptorrent.plugin.firewall;

import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.internal.managers.communication.GridIoMessage;
import org.apache.ignite.internal.managers.communication.GridIoSecurityAwareMessage;
import org.apache.ignite.lang.IgniteRunnable;
import org.apache.ignite.plugin.extensions.communication.Message;
import org.apache.ignite.spi.communication.CommunicationListener;
import org.apache.ignite.spi.communication.tcp.internal.CommunicationListenerEx;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.Channel;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Sits between a harbor's {@code TcpCommunicationSpi} and Ignite's {@code GridIoManager}: a message from a
 * server node passes untouched; a message from a client node passes only if {@link ClientMessagePolicy}
 * allows it, before Ignite reads its topic or payload. Whether the sender is a client is what discovery
 * says of the node id the connection was opened under, never what the message says.
 *
 * <p>A refused message is dropped and its back-pressure closure run (so that the connection's queue
 * accounting stays right); the refusal goes to {@link Refusals}. Called on communication threads; holds
 * no lock.
 */
final class CommunicationFirewall implements CommunicationListenerEx<Message> {
    // GridIoMessage keeps its topic ordinal and security subject package-private; read them through handles
    // (as cheap as a field read once compiled) rather than put a class into Ignite's package.
    private static final VarHandle TOPIC_ORD;
    private static final VarHandle SEC_SUBJ;

    static {
        try {
            TOPIC_ORD = MethodHandles.privateLookupIn(GridIoMessage.class, MethodHandles.lookup())
                    .findVarHandle(GridIoMessage.class, "topicOrd", int.class);
            SEC_SUBJ = MethodHandles.privateLookupIn(GridIoSecurityAwareMessage.class, MethodHandles.lookup())
                    .findVarHandle(GridIoSecurityAwareMessage.class, "secSubjId", UUID.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError("this Ignite version's GridIoMessage has no topicOrd/secSubjId field: " + e);
        }
    }

    private final CommunicationListener<Message> delegate;
    private final Function<UUID, ClusterNode> nodes;
    private final Supplier<ClientMessagePolicy> policy;
    private final Refusals refusals;

    /**
     * @param delegate Ignite's own listener
     * @param nodes    the node of an id as discovery knows it, or {@code null}
     * @param policy   the allow-list (made on first use: it needs the node's marshaller)
     */
    CommunicationFirewall(CommunicationListener<Message> delegate, Function<UUID, ClusterNode> nodes,
                          Supplier<ClientMessagePolicy> policy, Refusals refusals) {
        this.delegate = delegate;
        this.nodes = nodes;
        this.policy = policy;
        this.refusals = refusals;
    }

    @Override
    public void onMessage(UUID nodeId, Message msg, IgniteRunnable msgC) {
        ClusterNode node = nodes.apply(nodeId);
        if (node != null && !node.isClient()) {
            delegate.onMessage(nodeId, msg, msgC);
            return;
        }
        String why;
        Message inner = null;
        if (node == null) {
            why = "the sender is not in the topology";
        } else if (msg instanceof GridIoMessage io) {
            inner = io.message();
            UUID subj = io instanceof GridIoSecurityAwareMessage ? (UUID) SEC_SUBJ.get(io) : null;
            why = policy.get().refusal(nodeId, inner, (int) TOPIC_ORD.get(io), subj);
        } else {
            why = "not an Ignite envelope";
        }
        if (why == null) {
            delegate.onMessage(nodeId, msg, msgC);
            return;
        }
        try {
            msgC.run();
        } finally {
            Message shown = inner == null ? msg : inner;
            refusals.refuse("communication", nodeId, node == null ? null : node.consistentId(),
                    shown == null ? "null" : shown.getClass().getSimpleName(), why, node != null);
        }
    }

    @Override
    public void onDisconnected(UUID nodeId) {
        delegate.onDisconnected(nodeId);
    }

    @Override
    public void onChannelOpened(UUID rmtNodeId, Message initMsg, Channel channel) {
        ClusterNode node = nodes.apply(rmtNodeId);
        if (node != null && !node.isClient()) {
            if (delegate instanceof CommunicationListenerEx<Message> ex) {
                ex.onChannelOpened(rmtNodeId, initMsg, channel);
            }
            return;
        }
        // File-transfer channels carry snapshots and rebalancing between servers: nothing a contributor sends.
        try {
            channel.close();
        } catch (java.io.IOException ignored) {
            // closing a refused channel: nothing more to do
        }
        refusals.refuse("communication", rmtNodeId, node == null ? null : node.consistentId(), "Channel",
                "a file-transfer channel", node != null);
    }
}
