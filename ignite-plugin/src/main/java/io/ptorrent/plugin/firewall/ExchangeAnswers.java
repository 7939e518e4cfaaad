package io.ptorrent.plugin.firewall;

import org.apache.ignite.IgniteCheckedException;
import org.apache.ignite.internal.processors.cache.distributed.dht.preloader.GridDhtPartitionMap;
import org.apache.ignite.internal.processors.cache.distributed.dht.preloader.GridDhtPartitionsSingleMessage;
import org.apache.ignite.internal.util.typedef.internal.U;
import org.apache.ignite.marshaller.Marshaller;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;

/**
 * Reads the partition maps of an exchange answer from its bytes, the way Ignite does after the firewall has
 * let it through ({@code GridDhtPartitionsSingleMessage.finishUnmarshal}, which keeps the bytes private).
 */
final class ExchangeAnswers {
    private static final VarHandle PARTS_BYTES;

    static {
        try {
            PARTS_BYTES = MethodHandles.privateLookupIn(GridDhtPartitionsSingleMessage.class, MethodHandles.lookup())
                    .findVarHandle(GridDhtPartitionsSingleMessage.class, "partsBytes", byte[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError("this Ignite version's GridDhtPartitionsSingleMessage has no partsBytes field: " + e);
        }
    }

    private ExchangeAnswers() {
    }

    /** @return the maps per cache group; empty if the answer carries none */
    static Map<Integer, GridDhtPartitionMap> partitionMaps(GridDhtPartitionsSingleMessage answer, Marshaller marsh, ClassLoader ldr) {
        byte[] bytes = (byte[]) PARTS_BYTES.get(answer);
        if (bytes == null) {
            Map<Integer, GridDhtPartitionMap> parts = answer.partitions();
            return parts == null ? Map.of() : parts;
        }
        try {
            Map<Integer, GridDhtPartitionMap> parts = answer.compressed() ? U.unmarshalZip(marsh, bytes, ldr) : U.unmarshal(marsh, bytes, ldr);
            return parts == null ? Map.of() : parts;
        } catch (IgniteCheckedException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
