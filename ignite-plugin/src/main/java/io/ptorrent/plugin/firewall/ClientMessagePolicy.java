package io.ptorrent.plugin.firewall;

import org.apache.ignite.internal.GridJobExecuteResponse;
import org.apache.ignite.internal.GridTopic;
import org.apache.ignite.internal.managers.communication.GridIoUserMessage;
import org.apache.ignite.internal.processors.cache.binary.MetadataRequestMessage;
import org.apache.ignite.internal.processors.cache.distributed.dht.preloader.GridDhtPartitionMap;
import org.apache.ignite.internal.processors.cache.distributed.dht.preloader.GridDhtPartitionsSingleMessage;
import org.apache.ignite.internal.processors.marshaller.MissingMappingRequestMessage;
import org.apache.ignite.plugin.extensions.communication.Message;
import org.apache.ignite.spi.communication.tcp.internal.TcpInverseConnectionResponseMessage;

import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * What a harbor accepts from a client node (a contributor) over communication: the allow-list, decided
 * without Ignite's runtime so that it can be tested with plain message objects.
 *
 * <p>Design: a contributor is a stranger's machine; whatever its own node checks, it can send any message
 * kind Ignite knows. A harbor therefore delivers a client's message only if its kind is one a contributor
 * needs to send ({@link #ALLOWED}, with the topic it must come on), and for two kinds checks the content
 * that would let one node speak for another: a job result must name its sender as the node that ran the
 * job (Ignite's task worker compares the job's node with the id <em>inside</em> the response, which the
 * sender writes), a user message must be a share offer — its topic and body compared as bytes, so that
 * nothing is deserialized to decide — and an exchange answer may speak only for its sender and claim no
 * partition (a client holds none; the coordinator applies whatever partition states an answer's maps
 * claim for the node each map names). A message that names another security subject than its sender or
 * a harbor is refused whatever its kind (Ignite runs the handler in the subject the sender names; a
 * contributor answers a job in the context of the job's initiator, a harbor, and answers an exchange in the
 * context of the node whose join or leave started it, which may be another harbor: a contributor's exchange
 * answer to a second harbor's join names that harbor, NodeAuthenticationIT). A harbor's subject gives the
 * message no more than naming this harbor already did.
 *
 * <p>The list was derived by logging every kind client nodes sent during the plugin's 105 integration tests
 * (fragments, share offers, hand-backs, cancels, share rules, credit, node joins and leaves, a harbor
 * restart): docs/SECURITY.md keeps the table and the reasons. Cost on the hot path: one hash lookup on the message's class and an int
 * compare; the two content checks touch only the two kinds they apply to. Thread-safe (immutable).
 */
final class ClientMessagePolicy {
    /** Kinds a contributor sends, each with the one topic (ordinal of {@link GridTopic}) it travels on. */
    static final Map<Class<? extends Message>, Integer> ALLOWED = Map.of(
            // The result (or hand-back, or failure) of a fragment the harbor sent it.
            GridJobExecuteResponse.class, GridTopic.TOPIC_TASK.ordinal(),
            // Share offers on ShareOffers.TOPIC (content checked below).
            GridIoUserMessage.class, GridTopic.TOPIC_COMM_USER.ordinal(),
            // Partition-map exchange: every node answers the coordinator for each topology version.
            GridDhtPartitionsSingleMessage.class, GridTopic.TOPIC_CACHE.ordinal(),
            // Class-name and binary-type mappings it lacks to read a fragment: read-only lookups.
            MissingMappingRequestMessage.class, GridTopic.TOPIC_MAPPING_MARSH.ordinal(),
            MetadataRequestMessage.class, GridTopic.TOPIC_METADATA_REQ.ordinal(),
            // The answer on the connection a contributor opens when a harbor asks for one (it opens no port):
            // Ignite's inverse-connection path; the harbor only logs it. Not seen in the suite's runs.
            TcpInverseConnectionResponseMessage.class, GridTopic.TOPIC_COMM_SYSTEM.ordinal());

    private final byte[] shareOfferTopic;
    private final byte[] integerTemplate;
    private final Function<GridDhtPartitionsSingleMessage, Map<Integer, GridDhtPartitionMap>> partitionMaps;
    private final java.util.function.Predicate<UUID> isHarbor;

    /**
     * @param shareOfferTopic the share-offer topic as the grid's marshaller writes it
     * @param integerTemplate an {@link Integer} as the grid's marshaller writes it (the body of a share offer)
     * @param partitionMaps   an exchange answer's partition maps per cache group, read from its bytes (empty if
     *                        it has none; throws if they do not read)
     * @param isHarbor        whether a node id is a harbor's (a server node of the grid; this one included)
     */
    ClientMessagePolicy(byte[] shareOfferTopic, byte[] integerTemplate,
                        Function<GridDhtPartitionsSingleMessage, Map<Integer, GridDhtPartitionMap>> partitionMaps,
                        java.util.function.Predicate<UUID> isHarbor) {
        if (shareOfferTopic.length == 0 || integerTemplate.length == 0) {
            throw new IllegalArgumentException("the share-offer topic and integer template must not be empty");
        }
        this.shareOfferTopic = shareOfferTopic.clone();
        this.integerTemplate = integerTemplate.clone();
        this.partitionMaps = partitionMaps;
        this.isHarbor = isHarbor;
    }

    /**
     * Decides on one message from a client node.
     *
     * @param sender    the node the message came from, as communication knows it
     * @param msg       the message inside Ignite's envelope
     * @param topicOrd  the envelope's topic ordinal ({@code -1} for an object topic)
     * @param secSubjId the security subject the envelope names, or {@code null}
     * @return {@code null} to deliver it, or why it is refused (a short phrase for the log)
     */
    String refusal(UUID sender, Message msg, int topicOrd, UUID secSubjId) {
        if (msg == null) {
            return "an empty envelope";
        }
        Integer topic = ALLOWED.get(msg.getClass());
        if (topic == null) {
            return "not a kind a contributor sends";
        }
        if (topic != topicOrd) {
            // Also keeps object topics (ordinal -1) away: Ignite deserializes those before it dispatches.
            return "on topic " + topicOrd + " instead of " + topic;
        }
        if (secSubjId != null && !secSubjId.equals(sender) && !isHarbor.test(secSubjId)) {
            return "it names another security subject than its sender or a harbor";
        }
        if (msg instanceof GridJobExecuteResponse res && !sender.equals(res.getNodeId())) {
            return "a job result that claims to come from node " + res.getNodeId();
        }
        if (msg instanceof GridIoUserMessage user) {
            return userMessageRefusal(user);
        }
        if (msg instanceof GridDhtPartitionsSingleMessage answer) {
            return exchangeAnswerRefusal(sender, answer);
        }
        return null;
    }

    /** Once per exchange per client: reading the maps here costs what Ignite spends on them right after. */
    private String exchangeAnswerRefusal(UUID sender, GridDhtPartitionsSingleMessage answer) {
        Map<Integer, GridDhtPartitionMap> maps;
        try {
            maps = partitionMaps.apply(answer);
        } catch (RuntimeException e) {
            return "an exchange answer whose partition maps do not read: " + e.getMessage();
        }
        for (Map.Entry<Integer, GridDhtPartitionMap> e : maps.entrySet()) {
            GridDhtPartitionMap m = e.getValue();
            if (m == null || !sender.equals(m.nodeId())) {
                return "an exchange answer that speaks for node " + (m == null ? null : m.nodeId()) + " in cache group " + e.getKey();
            }
            if (m.size() != 0) {
                return "an exchange answer that claims " + m.size() + " partitions of cache group " + e.getKey();
            }
        }
        return null;
    }

    private String userMessageRefusal(GridIoUserMessage user) {
        if (!Arrays.equals(shareOfferTopic, user.topicBytes())) {
            return "a user message on another topic than the share offer";
        }
        if (user.deploymentClassName() != null || user.classLoaderId() != null) {
            return "a user message with peer-deployed classes";
        }
        byte[] body = user.bodyBytes();
        if (body == null || body.length != integerTemplate.length || body[0] != integerTemplate[0]) {
            return "a share offer whose body is not an integer";
        }
        return null;
    }
}
