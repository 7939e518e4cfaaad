package io.ptorrent.credit;

import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.binary.BinaryObject;
import org.apache.ignite.cache.query.ScanQuery;

import javax.cache.Cache;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger's invariants checked from its caches on a quiet cluster: conservation, held = open holds,
 * balances = the replay of the double-entry ledger, unique transfer ids. Used at the end of the
 * multi-node tests.
 */
final class LedgerAudit {
    private LedgerAudit() {
    }

    /** Asserts every invariant of {@link IgniteLedger}'s design note; returns the number of ledger entries. */
    static long assertConsistent(Ignite ignite, CreditConfiguration cfg) {
        Map<String, Account> accounts = new HashMap<>();
        for (Cache.Entry<String, BinaryObject> e : scan(ignite, cfg.accountsCache())) {
            accounts.put(e.getKey(), LedgerSchema.account(e.getValue()));
        }
        Map<String, Hold> holds = new HashMap<>();
        for (Cache.Entry<String, BinaryObject> e : scan(ignite, cfg.holdsCache())) {
            holds.put(e.getKey(), LedgerSchema.hold(e.getValue()));
        }
        Map<String, Long> books = new HashMap<>();
        Map<String, Long> earned = new HashMap<>();
        Set<Long> ids = new HashSet<>();
        long entries = 0;
        for (Cache.Entry<String, BinaryObject> e : scan(ignite, cfg.ledgerCache())) {
            Transfer t = LedgerSchema.transfer(e.getKey(), e.getValue());
            assertThat(ids.add(t.id())).as("transfer id %s is unique", t.id()).isTrue();
            books.merge(t.from(), -t.amount(), Long::sum);
            books.merge(t.to(), t.amount(), Long::sum);
            if (t.kind() == Transfer.Kind.SETTLE) {
                earned.merge(t.to(), t.amount(), Long::sum);
            }
            entries++;
        }

        long total = 0;
        Map<String, Long> heldByAccount = new HashMap<>();
        for (Hold h : holds.values()) {
            total += h.open() ? h.remaining() : 0;
            heldByAccount.merge(h.account(), h.open() ? h.remaining() : 0, Long::sum);
            assertThat(books.getOrDefault(Transfer.escrowOf(h.taskId()), 0L)).as("escrow book of %s", h.taskId()).isEqualTo(h.remaining());
            if (!h.open()) {
                assertThat(h.remaining()).isZero();
            }
        }
        for (Account a : accounts.values()) {
            total += a.balance();
            if (!a.id().equals(CreditSpi.GRID_ACCOUNT)) {
                assertThat(a.balance()).as("balance of %s", a.id()).isNotNegative();
            }
            assertThat(a.held()).as("held of %s", a.id()).isEqualTo(heldByAccount.getOrDefault(a.id(), 0L));
            assertThat(a.balance()).as("balance of %s = replay of its ledger", a.id()).isEqualTo(books.getOrDefault(a.id(), 0L));
            assertThat(a.earned()).as("earned of %s", a.id()).isEqualTo(earned.getOrDefault(a.id(), 0L));
        }
        assertThat(total).as("sum of balances and open holds").isZero();
        return entries;
    }

    private static List<Cache.Entry<String, BinaryObject>> scan(Ignite ignite, String cache) {
        IgniteCache<String, BinaryObject> c = ignite.cache(cache).withKeepBinary();
        return c.query(new ScanQuery<String, BinaryObject>()).getAll();
    }
}
