package io.ptorrent.plugin.firewall;

import org.apache.ignite.internal.GridJobCancelRequest;
import org.apache.ignite.internal.GridJobExecuteRequest;
import org.apache.ignite.internal.GridJobExecuteResponse;
import org.apache.ignite.internal.GridJobSiblingsRequest;
import org.apache.ignite.internal.GridTaskCancelRequest;
import org.apache.ignite.internal.GridTaskSessionRequest;
import org.apache.ignite.internal.GridTopic;
import org.apache.ignite.internal.managers.communication.GridIoUserMessage;
import org.apache.ignite.internal.managers.deployment.GridDeploymentRequest;
import org.apache.ignite.internal.processors.cache.distributed.dht.atomic.GridNearAtomicFullUpdateRequest;
import org.apache.ignite.internal.processors.cache.distributed.dht.atomic.GridNearAtomicSingleUpdateRequest;
import org.apache.ignite.internal.processors.affinity.AffinityTopologyVersion;
import org.apache.ignite.internal.processors.cache.distributed.dht.preloader.GridDhtPartitionMap;
import org.apache.ignite.internal.processors.cache.distributed.dht.preloader.GridDhtPartitionsSingleMessage;
import org.apache.ignite.internal.processors.cache.distributed.dht.topology.GridDhtPartitionState;
import org.apache.ignite.internal.util.GridPartitionStateMap;
import org.apache.ignite.internal.processors.cache.distributed.near.GridNearGetRequest;
import org.apache.ignite.internal.processors.cache.distributed.near.GridNearLockRequest;
import org.apache.ignite.internal.processors.cache.distributed.near.GridNearSingleGetRequest;
import org.apache.ignite.internal.processors.cache.distributed.near.GridNearTxPrepareRequest;
import org.apache.ignite.internal.processors.cache.query.GridCacheQueryRequest;
import org.apache.ignite.internal.processors.continuous.GridContinuousMessage;
import org.apache.ignite.internal.processors.datastreamer.DataStreamerRequest;
import org.apache.ignite.internal.processors.query.h2.twostep.messages.GridQueryNextPageRequest;
import org.apache.ignite.lang.IgniteUuid;
import org.apache.ignite.plugin.extensions.communication.Message;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The allow-list decision on plain message objects: no node runs. */
class ClientMessagePolicyTest {
    /** Stand-ins for what the grid's marshaller writes: the policy compares bytes, it never reads them. */
    private static final byte[] TOPIC = {9, 19, 0, 0, 0, 'p', 't'};
    private static final byte[] INT = {3, 0, 0, 0, 0};

    private final UUID sender = UUID.randomUUID();
    /** What the answer under test claims (the real policy reads it from the answer's bytes). */
    private Map<Integer, GridDhtPartitionMap> answerMaps = Map.of();
    private final UUID harbor = UUID.randomUUID();
    private final UUID otherHarbor = UUID.randomUUID();
    private final ClientMessagePolicy policy = new ClientMessagePolicy(TOPIC, INT, answer -> answerMaps, java.util.Set.of(harbor, otherHarbor)::contains);

    @Test
    void aJobResultOfTheSendersOwnJobOnTheTaskTopicIsDelivered() {
        assertThat(policy.refusal(sender, result(sender), GridTopic.TOPIC_TASK.ordinal(), null)).isNull();
        assertThat(policy.refusal(sender, result(sender), GridTopic.TOPIC_TASK.ordinal(), sender)).isNull();
        // A job runs, and answers, in the security context of its initiator: this harbor.
        assertThat(policy.refusal(sender, result(sender), GridTopic.TOPIC_TASK.ordinal(), harbor)).isNull();
    }

    @Test
    void aJobResultThatClaimsAnotherNodeIsRefused() {
        assertThat(policy.refusal(sender, result(UUID.randomUUID()), GridTopic.TOPIC_TASK.ordinal(), null))
                .contains("claims to come from node");
    }

    @Test
    void aKnownKindOnAnotherTopicIsRefusedAnObjectTopicToo() {
        assertThat(policy.refusal(sender, result(sender), GridTopic.TOPIC_JOB.ordinal(), null)).contains("on topic");
        assertThat(policy.refusal(sender, result(sender), -1, null)).contains("on topic -1");
    }

    @Test
    void anExchangeAnswerInTheContextOfAnotherHarborsJoinIsDelivered() {
        // A contributor answers the exchange that a second harbor's join started in that harbor's context.
        assertThat(policy.refusal(sender, new GridDhtPartitionsSingleMessage(), GridTopic.TOPIC_CACHE.ordinal(), otherHarbor)).isNull();
    }

    @Test
    void aMessageThatNamesAnotherSecuritySubjectIsRefused() {
        assertThat(policy.refusal(sender, result(sender), GridTopic.TOPIC_TASK.ordinal(), UUID.randomUUID()))
                .contains("another security subject");
    }

    @Test
    void anExchangeAnswerForItselfWithoutPartitionsIsDelivered() {
        assertThat(policy.refusal(sender, new GridDhtPartitionsSingleMessage(), GridTopic.TOPIC_CACHE.ordinal(), null)).isNull();
        answerMaps = Map.of(17, partitionMap(sender, Map.of()));
        assertThat(policy.refusal(sender, new GridDhtPartitionsSingleMessage(), GridTopic.TOPIC_CACHE.ordinal(), null)).isNull();
    }

    @Test
    void anExchangeAnswerThatSpeaksForAnotherNodeOrClaimsPartitionsIsRefused() {
        UUID other = UUID.randomUUID();
        answerMaps = Map.of(17, partitionMap(other, Map.of()));
        assertThat(policy.refusal(sender, new GridDhtPartitionsSingleMessage(), GridTopic.TOPIC_CACHE.ordinal(), null)).contains("speaks for node " + other);
        answerMaps = Map.of(17, partitionMap(sender, Map.of(3, GridDhtPartitionState.LOST)));
        assertThat(policy.refusal(sender, new GridDhtPartitionsSingleMessage(), GridTopic.TOPIC_CACHE.ordinal(), null)).contains("claims 1 partitions");
    }

    @Test
    void aShareOfferIsDeliveredAndOnlyThat() throws Exception {
        int user = GridTopic.TOPIC_COMM_USER.ordinal();
        assertThat(policy.refusal(sender, userMessage(TOPIC, new byte[] {3, 4, 0, 0, 0}, null), user, null)).isNull();
        assertThat(policy.refusal(sender, userMessage(new byte[] {9, 1, 0, 0, 0, 'x'}, INT, null), user, null)).contains("another topic");
        assertThat(policy.refusal(sender, userMessage(TOPIC, new byte[] {103, 1, 2, 3, 4}, null), user, null)).contains("not an integer");
        assertThat(policy.refusal(sender, userMessage(TOPIC, new byte[] {3, 0, 0, 0, 0, 0}, null), user, null)).contains("not an integer");
        assertThat(policy.refusal(sender, userMessage(TOPIC, null, null), user, null)).contains("not an integer");
        assertThat(policy.refusal(sender, userMessage(TOPIC, INT, "evil.Payload"), user, null)).contains("peer-deployed");
    }

    static Stream<Object[]> whatAContributorNeverSends() {
        return Stream.of(
                new Object[] {"compute on the harbor", new GridJobExecuteRequest(), GridTopic.TOPIC_JOB},
                new Object[] {"cancel a harbor's job", new GridJobCancelRequest(), GridTopic.TOPIC_JOB_CANCEL},
                new Object[] {"cancel a harbor's task", new GridTaskCancelRequest(), GridTopic.TOPIC_TASK_CANCEL},
                new Object[] {"set task session attributes", new GridTaskSessionRequest(), GridTopic.TOPIC_TASK},
                new Object[] {"list job siblings", new GridJobSiblingsRequest(), GridTopic.TOPIC_JOB_SIBLINGS},
                new Object[] {"atomic put", new GridNearAtomicSingleUpdateRequest(), GridTopic.TOPIC_CACHE},
                new Object[] {"atomic putAll", new GridNearAtomicFullUpdateRequest(), GridTopic.TOPIC_CACHE},
                new Object[] {"get", new GridNearSingleGetRequest(), GridTopic.TOPIC_CACHE},
                new Object[] {"getAll", new GridNearGetRequest(), GridTopic.TOPIC_CACHE},
                new Object[] {"transactional lock", new GridNearLockRequest(), GridTopic.TOPIC_CACHE},
                new Object[] {"transactional prepare", new GridNearTxPrepareRequest(), GridTopic.TOPIC_CACHE},
                new Object[] {"scan query", new GridCacheQueryRequest(), GridTopic.TOPIC_CACHE},
                new Object[] {"SQL page", new GridQueryNextPageRequest(), GridTopic.TOPIC_QUERY},
                new Object[] {"continuous query or remote listener", new GridContinuousMessage(), GridTopic.TOPIC_CONTINUOUS},
                new Object[] {"data streamer", new DataStreamerRequest(), GridTopic.TOPIC_DATASTREAM},
                new Object[] {"class request", new GridDeploymentRequest(), GridTopic.TOPIC_CLASSLOAD});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("whatAContributorNeverSends")
    void whatAContributorNeverSendsIsRefusedOnItsOwnTopic(String what, Message msg, GridTopic topic) {
        assertThat(policy.refusal(sender, msg, topic.ordinal(), null)).isEqualTo("not a kind a contributor sends");
    }

    @Test
    void anEmptyEnvelopeIsRefused() {
        assertThat(policy.refusal(sender, null, GridTopic.TOPIC_TASK.ordinal(), null)).isNotNull();
    }

    @Test
    void everyAllowedKindNamesItsTopic() {
        assertThat(ClientMessagePolicy.ALLOWED.values()).allSatisfy(ord -> assertThat(ord).isBetween(0, GridTopic.values().length - 1));
        assertThat(ClientMessagePolicy.ALLOWED).doesNotContainKeys(GridJobExecuteRequest.class, GridNearAtomicSingleUpdateRequest.class);
    }

    private static GridDhtPartitionMap partitionMap(UUID node, Map<Integer, GridDhtPartitionState> states) {
        GridPartitionStateMap m = new GridPartitionStateMap();
        states.forEach(m::put);
        return new GridDhtPartitionMap(node, 1L, AffinityTopologyVersion.NONE, m, false);
    }

    private static GridJobExecuteResponse result(UUID claimedNode) {
        return new GridJobExecuteResponse(claimedNode, IgniteUuid.randomUuid(), IgniteUuid.randomUuid(), null, null,
                new byte[] {1}, null, null, null, false, null);
    }

    /** Ignite makes these only through its messaging facade; its constructor is package-private. */
    private static GridIoUserMessage userMessage(byte[] topicBytes, byte[] bodyBytes, String depClsName) throws Exception {
        Constructor<GridIoUserMessage> c = GridIoUserMessage.class.getDeclaredConstructor(Object.class, byte[].class, String.class,
                Object.class, byte[].class, IgniteUuid.class, org.apache.ignite.configuration.DeploymentMode.class, String.class, java.util.Map.class);
        c.setAccessible(true);
        return c.newInstance(null, bodyBytes, depClsName, null, topicBytes, null, null, null, null);
    }
}
