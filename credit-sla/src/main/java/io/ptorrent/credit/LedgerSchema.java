package io.ptorrent.credit;

import org.apache.ignite.IgniteBinary;
import org.apache.ignite.binary.BinaryObject;
import org.apache.ignite.cache.CacheAtomicityMode;
import org.apache.ignite.cache.CacheWriteSynchronizationMode;
import org.apache.ignite.cache.PartitionLossPolicy;
import org.apache.ignite.cache.QueryEntity;
import org.apache.ignite.cache.QueryIndex;
import org.apache.ignite.cache.affinity.rendezvous.RendezvousAffinityFunction;
import org.apache.ignite.configuration.CacheConfiguration;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the ledger is stored: three TRANSACTIONAL caches of binary objects, their SQL tables, and the
 * conversions between stored rows and the public records.
 *
 * <p>Why binary objects and not the records themselves: the stored form stays independent of Java
 * classes (rows written by one version are read by the next, and by JDBC/SQL tools with no ptorrent
 * jar), and Ignite's marshaller cannot rebuild Java records (final fields) anyway.
 */
final class LedgerSchema {
    static final String ACCOUNT_TYPE = "PtorrentAccount";
    static final String HOLD_TYPE = "PtorrentHold";
    static final String TRANSFER_TYPE = "PtorrentTransfer";

    // Few partitions: the ledger is small and a harbor has few servers; 1024 (the default) per
    // cache group would mean 1024 partition files and slower checkpoints under persistence.
    private static final int PARTITIONS = 64;

    private LedgerSchema() {
    }

    static List<CacheConfiguration<String, BinaryObject>> caches(CreditConfiguration c) {
        return List.of(
                cache(c, c.accountsCache(), entity(ACCOUNT_TYPE, "ACCOUNT", "id", fields(
                        "id", String.class, "displayName", String.class, "tier", String.class, "created", Timestamp.class,
                        "balance", Long.class, "held", Long.class, "earned", Long.class, "spent", Long.class), List.of())),
                cache(c, c.holdsCache(), entity(HOLD_TYPE, "HOLD", "taskId", fields(
                        "taskId", String.class, "account", String.class, "amount", Long.class, "remaining", Long.class,
                        "open", Boolean.class, "created", Timestamp.class), List.of(new QueryIndex("account")))),
                cache(c, c.ledgerCache(), entity(TRANSFER_TYPE, "LEDGER", "idemKey", fields(
                        "idemKey", String.class, "id", Long.class, "at", Timestamp.class, "kind", String.class,
                        "fromAccount", String.class, "toAccount", String.class, "amount", Long.class),
                        List.of(new QueryIndex("fromAccount"), new QueryIndex("toAccount"), new QueryIndex("id")))
                        .setAliases(Map.of("idemKey", "IDEM_KEY", "fromAccount", "FROM_ACCOUNT", "toAccount", "TO_ACCOUNT",
                                "displayName", "DISPLAY_NAME"))));
    }

    private static CacheConfiguration<String, BinaryObject> cache(CreditConfiguration c, String name, QueryEntity entity) {
        return new CacheConfiguration<String, BinaryObject>(name)
                .setGroupName(c.cacheGroup())
                .setAtomicityMode(CacheAtomicityMode.TRANSACTIONAL)
                // Always one backup: with one server Ignite keeps none; when a second harbor joins it
                // rebalances one, so the choice does not depend on the topology at creation time.
                .setBackups(1)
                // A commit returns only when the backup has it too: a harbor crash right after an
                // acknowledged settlement loses nothing.
                .setWriteSynchronizationMode(CacheWriteSynchronizationMode.FULL_SYNC)
                // Never answer from a lost partition as if it were empty: a missing account would look new.
                .setPartitionLossPolicy(PartitionLossPolicy.READ_WRITE_SAFE)
                .setAffinity(new RendezvousAffinityFunction(false, PARTITIONS))
                .setDataRegionName(c.dataRegion())
                .setSqlSchema(c.sqlSchema())
                .setQueryEntities(List.of(entity));
    }

    private static QueryEntity entity(String type, String table, String keyField, LinkedHashMap<String, String> fields, List<QueryIndex> indexes) {
        return new QueryEntity(String.class.getName(), type)
                .setTableName(table)
                .setKeyFieldName(keyField)
                .setFields(fields)
                .setIndexes(indexes);
    }

    private static LinkedHashMap<String, String> fields(Object... nameTypePairs) {
        LinkedHashMap<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < nameTypePairs.length; i += 2) {
            m.put((String) nameTypePairs[i], ((Class<?>) nameTypePairs[i + 1]).getName());
        }
        return m;
    }

    static Account account(BinaryObject o) {
        return new Account(o.field("id"), o.field("displayName"), SlaTier.valueOf(o.field("tier")), instant(o.field("created")),
                o.field("balance"), o.field("held"), o.field("earned"), o.field("spent"));
    }

    static BinaryObject binary(IgniteBinary binary, Account a) {
        return binary.builder(ACCOUNT_TYPE)
                .setField("id", a.id(), String.class)
                .setField("displayName", a.displayName(), String.class)
                .setField("tier", a.tier().name(), String.class)
                .setField("created", Timestamp.from(a.created()), Timestamp.class)
                .setField("balance", a.balance(), Long.class)
                .setField("held", a.held(), Long.class)
                .setField("earned", a.earned(), Long.class)
                .setField("spent", a.spent(), Long.class)
                .build();
    }

    static Hold hold(BinaryObject o) {
        return new Hold(o.field("taskId"), o.field("account"), o.field("amount"), o.field("remaining"), o.field("open"), instant(o.field("created")));
    }

    static BinaryObject binary(IgniteBinary binary, Hold h) {
        return binary.builder(HOLD_TYPE)
                .setField("taskId", h.taskId(), String.class)
                .setField("account", h.account(), String.class)
                .setField("amount", h.amount(), Long.class)
                .setField("remaining", h.remaining(), Long.class)
                .setField("open", h.open(), Boolean.class)
                .setField("created", Timestamp.from(h.created()), Timestamp.class)
                .build();
    }

    static Transfer transfer(String key, BinaryObject o) {
        return new Transfer(o.field("id"), instant(o.field("at")), Transfer.Kind.valueOf(o.field("kind")),
                o.field("fromAccount"), o.field("toAccount"), o.field("amount"), key);
    }

    static BinaryObject binary(IgniteBinary binary, Transfer t) {
        return binary.builder(TRANSFER_TYPE)
                .setField("idemKey", t.key(), String.class)
                .setField("id", t.id(), Long.class)
                .setField("at", Timestamp.from(t.time()), Timestamp.class)
                .setField("kind", t.kind().name(), String.class)
                .setField("fromAccount", t.from(), String.class)
                .setField("toAccount", t.to(), String.class)
                .setField("amount", t.amount(), Long.class)
                .build();
    }

    static Instant instant(Timestamp t) {
        return t.toInstant();
    }
}
