package io.ptorrent.plugin.firewall;

import org.apache.ignite.cluster.ClusterState;
import org.apache.ignite.internal.binary.BinaryMetadata;
import org.apache.ignite.internal.managers.discovery.DiscoveryCustomMessage;
import org.apache.ignite.internal.processors.cache.CacheStatisticsModeChangeMessage;
import org.apache.ignite.internal.processors.cache.DynamicCacheChangeBatch;
import org.apache.ignite.internal.processors.cache.DynamicCacheChangeRequest;
import org.apache.ignite.internal.processors.cache.binary.MetadataUpdateProposedMessage;
import org.apache.ignite.internal.processors.cluster.ChangeGlobalStateMessage;
import org.apache.ignite.internal.processors.continuous.StartRoutineDiscoveryMessage;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Which custom messages every ptorrent node drops, on plain message objects: no node runs. */
class CustomMessagePolicyTest {
    private final CustomMessagePolicy policy = new CustomMessagePolicy();

    @Test
    void aClientMayNotChangeTheClusterAServerMay() {
        DynamicCacheChangeRequest stop = new DynamicCacheChangeRequest(UUID.randomUUID(), "ptorrent-ledger", UUID.randomUUID());
        stop.stop(true);
        DynamicCacheChangeBatch destroy = new DynamicCacheChangeBatch(List.of(stop));
        ChangeGlobalStateMessage deactivate = new ChangeGlobalStateMessage(UUID.randomUUID(), UUID.randomUUID(), null,
                ClusterState.INACTIVE, false, null, false, 0L);
        StartRoutineDiscoveryMessage listen = new StartRoutineDiscoveryMessage(UUID.randomUUID(), null, false);
        for (DiscoveryCustomMessage m : List.of(destroy, deactivate, listen)) {
            assertThat(policy.refusal(true, m)).as(m.getClass().getSimpleName()).isEqualTo("a client may not change the cluster");
            assertThat(policy.refusal(false, m)).as(m.getClass().getSimpleName()).isNull();
        }
    }

    @Test
    void aClientMayRegisterTheTypesItMarshals() {
        assertThat(policy.refusal(true, new MetadataUpdateProposedMessage(new BinaryMetadata(1, "x.Type", null, null, null, false, null), UUID.randomUUID()))).isNull();
    }

    @Test
    void aClientsMetastorageWriteIsDroppedQuietlyAServersDelivered() throws Exception {
        Class<?> update = Class.forName("org.apache.ignite.internal.processors.metastorage.persistence.DistributedMetaStorageUpdateMessage");
        java.lang.reflect.Constructor<?> c = update.getDeclaredConstructor(UUID.class, String.class, byte[].class);
        c.setAccessible(true);
        DiscoveryCustomMessage write = (DiscoveryCustomMessage) c.newInstance(UUID.randomUUID(), "ignite.internal.cluster.id.tag", new byte[] {1});
        assertThat(policy.refusal(true, write)).isSameAs(CustomMessagePolicy.QUIET);
        assertThat(policy.refusal(false, write)).isNull();
    }

    @Test
    void theCoordinatorsAcknowledgementOfADroppedRequestIsDroppedAndNoOther() {
        CacheStatisticsModeChangeMessage fromClient = new CacheStatisticsModeChangeMessage(UUID.randomUUID(), List.of("ptorrent-ledger"), true);
        CacheStatisticsModeChangeMessage fromHarbor = new CacheStatisticsModeChangeMessage(UUID.randomUUID(), List.of("ptorrent-ledger"), true);

        assertThat(policy.refusal(true, fromClient)).isNotNull();
        assertThat(policy.refusal(false, (DiscoveryCustomMessage) fromClient.ackMessage())).contains("acknowledgement");
        assertThat(policy.refusal(false, fromHarbor)).isNull();
        assertThat(policy.refusal(false, (DiscoveryCustomMessage) fromHarbor.ackMessage())).isNull();
    }
}
