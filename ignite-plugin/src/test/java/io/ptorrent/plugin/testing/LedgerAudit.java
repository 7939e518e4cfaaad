package io.ptorrent.plugin.testing;

import io.ptorrent.credit.CreditConfiguration;
import io.ptorrent.credit.CreditSpi;
import org.apache.ignite.binary.BinaryObject;
import org.apache.ignite.cache.query.SqlFieldsQuery;
import org.apache.ignite.client.ClientCache;
import org.apache.ignite.client.ClientTransaction;
import org.apache.ignite.client.IgniteClient;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.apache.ignite.transactions.TransactionConcurrency.PESSIMISTIC;
import static org.apache.ignite.transactions.TransactionIsolation.REPEATABLE_READ;

/**
 * The bank-test checks of the credit ledger (Jepsen's bank test, on ptorrent's invariants; see
 * {@code IgniteLedger}'s design note), read through a thin client with the operator's rights.
 *
 * <p>{@link #accounts} reads every account in one PESSIMISTIC / REPEATABLE_READ transaction, so that it sees a
 * committed state even while tasks are paid: a settlement moves credit between two accounts, and a plain SQL
 * read could see one side and not the other. Accounts are the last group in the ledger's lock order, so
 * locking them all (sorted) cannot deadlock with a ledger movement. Σ (balance + held) over all accounts, the
 * grid's issuer account included, is 0 in every committed state.
 *
 * <p>{@link #ledger} reads the three tables with SQL: call it only once nothing moves any more.
 */
public final class LedgerAudit {
    private final IgniteClient client;
    private final ClientCache<String, BinaryObject> accounts;

    public LedgerAudit(IgniteClient client) {
        this.client = client;
        this.accounts = client.<String, BinaryObject>cache(CreditConfiguration.DEFAULT_ACCOUNTS_CACHE).withKeepBinary();
    }

    /**
     * One consistent look at every account.
     *
     * @param sum      Σ (balance + held) over all accounts, the issuer's included: 0 unless credit was made or lost
     * @param negative the accounts (the issuer apart) with a negative balance or held amount
     */
    public record Accounts(int accounts, long sum, Set<String> negative) {
    }

    /** Every account, read in one transaction; tries again if an account was opened while it read. */
    public Accounts accounts() {
        for (int attempt = 0; ; attempt++) {
            Set<String> ids = accountIds();
            Accounts seen;
            try (ClientTransaction tx = client.transactions().txStart(PESSIMISTIC, REPEATABLE_READ, 10_000)) {
                Map<String, BinaryObject> all = accounts.getAll(new TreeSet<>(ids));
                long sum = 0;
                Set<String> negative = new HashSet<>();
                for (BinaryObject a : all.values()) {
                    long balance = a.<Long>field("balance");
                    long held = a.<Long>field("held");
                    sum += balance + held;
                    if (!CreditSpi.GRID_ACCOUNT.equals(a.field("id")) && (balance < 0 || held < 0)) {
                        negative.add(a.field("id"));
                    }
                }
                tx.commit();
                seen = new Accounts(all.size(), sum, negative);
            }
            // An account opened between the id query and the locks moved the issuer's balance, which this read saw
            // without the new account: read again.
            if (accountIds().equals(ids) || attempt >= 5) {
                return seen;
            }
        }
    }

    /**
     * The ledger as it stands, checked row by row.
     *
     * @param sumDrift         |Σ balances of people + Σ open holds − Σ grants|, and |Σ of all balances + open holds|: the larger
     * @param negative         accounts (the issuer apart) with a negative balance or held amount
     * @param mismatches       accounts whose balance, held, earned or spent is not the replay of the ledger's entries,
     *                         and holds whose remaining is not their amount minus their payments and refund
     * @param holds            task id → the hold's state and what the ledger paid from it
     */
    public record Ledger(long sumDrift, Set<String> negative, List<String> mismatches, Map<String, HoldState> holds) {
    }

    /**
     * One accepted task's escrow.
     *
     * @param payments  SETTLE entries per fragment (a fragment paid twice would show 2)
     * @param refunded  the REFUND entry's amount, or -1 when there is none
     */
    public record HoldState(String taskId, String account, long amount, long remaining, boolean open, Map<Integer, Integer> payments,
                            long paid, long refunded) {
    }

    public Ledger ledger() {
        Map<String, long[]> acc = new HashMap<>(); // id -> balance, held, earned, spent
        for (List<?> r : sql("SELECT ID, BALANCE, HELD, EARNED, SPENT FROM PTORRENT.ACCOUNT")) {
            acc.put((String) r.get(0), new long[] {num(r.get(1)), num(r.get(2)), num(r.get(3)), num(r.get(4))});
        }
        Map<String, Object[]> holdRows = new HashMap<>();
        for (List<?> r : sql("SELECT TASKID, ACCOUNT, AMOUNT, REMAINING, OPEN FROM PTORRENT.HOLD")) {
            holdRows.put((String) r.get(0), new Object[] {r.get(1), num(r.get(2)), num(r.get(3)), r.get(4)});
        }
        Map<String, long[]> replay = new HashMap<>(); // id -> balance, held, earned, spent as the entries say
        Map<String, Map<Integer, Integer>> payments = new HashMap<>();
        Map<String, Long> paid = new HashMap<>();
        Map<String, Long> refunds = new HashMap<>();
        long grants = 0;
        for (List<?> r : sql("SELECT IDEM_KEY, KIND, FROM_ACCOUNT, TO_ACCOUNT, AMOUNT FROM PTORRENT.LEDGER")) {
            String key = (String) r.get(0);
            String kind = (String) r.get(1);
            String from = (String) r.get(2);
            String to = (String) r.get(3);
            long amount = num(r.get(4));
            switch (kind) {
                case "GRANT" -> {
                    grants += amount;
                    add(replay, from, 0, -amount);
                    add(replay, to, 0, amount);
                }
                case "HOLD" -> {
                    add(replay, from, 0, -amount);
                    add(replay, from, 1, amount);
                }
                case "SETTLE" -> {
                    String task = escrowTask(from);
                    String payer = holdRows.containsKey(task) ? (String) holdRows.get(task)[0] : "?";
                    add(replay, payer, 1, -amount);
                    add(replay, payer, 3, amount);
                    add(replay, to, 0, amount);
                    add(replay, to, 2, amount);
                    int fragment = Integer.parseInt(key.substring(key.lastIndexOf(':') + 1));
                    payments.computeIfAbsent(task, k -> new HashMap<>()).merge(fragment, 1, Integer::sum);
                    paid.merge(task, amount, Long::sum);
                }
                case "REFUND" -> {
                    add(replay, to, 1, -amount);
                    add(replay, to, 0, amount);
                    refunds.merge(escrowTask(from), amount, Long::sum);
                }
                default -> throw new IllegalStateException("unknown ledger entry kind " + kind + " (" + key + ")");
            }
        }
        List<String> mismatches = new java.util.ArrayList<>();
        long all = 0;
        long people = 0;
        Set<String> negative = new HashSet<>();
        Map<String, Long> heldByHolds = new HashMap<>();
        Map<String, HoldState> holds = new HashMap<>();
        for (Map.Entry<String, Object[]> h : holdRows.entrySet()) {
            String account = (String) h.getValue()[0];
            long amount = (Long) h.getValue()[1];
            long remaining = (Long) h.getValue()[2];
            boolean open = Boolean.TRUE.equals(h.getValue()[3]);
            long p = paid.getOrDefault(h.getKey(), 0L);
            long refunded = refunds.getOrDefault(h.getKey(), -1L);
            if (open) {
                all += remaining;
                people += remaining;
                heldByHolds.merge(account, remaining, Long::sum);
            }
            long expected = amount - p - Math.max(0, refunded);
            if (remaining != expected || open == refunded >= 0 || remaining < 0) {
                mismatches.add("hold " + h.getKey() + ": amount " + amount + ", paid " + p + ", refunded " + refunded + ", remaining " + remaining
                        + ", open " + open);
            }
            holds.put(h.getKey(), new HoldState(h.getKey(), account, amount, remaining, open,
                    payments.getOrDefault(h.getKey(), Map.of()), p, refunded));
        }
        for (Map.Entry<String, long[]> a : acc.entrySet()) {
            long[] v = a.getValue();
            all += v[0];
            boolean issuer = CreditSpi.GRID_ACCOUNT.equals(a.getKey());
            if (!issuer) {
                people += v[0];
                if (v[0] < 0 || v[1] < 0) {
                    negative.add(a.getKey());
                }
            }
            long[] r = replay.getOrDefault(a.getKey(), new long[4]);
            if (v[0] != r[0] || v[1] != r[1] || v[2] != r[2] || v[3] != r[3] || v[1] != heldByHolds.getOrDefault(a.getKey(), 0L)) {
                mismatches.add("account " + a.getKey() + ": balance/held/earned/spent " + java.util.Arrays.toString(v)
                        + ", the ledger's entries say " + java.util.Arrays.toString(r) + ", open holds " + heldByHolds.getOrDefault(a.getKey(), 0L));
            }
        }
        long drift = Math.max(Math.abs(all), Math.abs(people - grants));
        return new Ledger(drift, negative, mismatches, holds);
    }

    private static String escrowTask(String escrowAccount) {
        return escrowAccount.startsWith("escrow:") ? escrowAccount.substring("escrow:".length()) : escrowAccount;
    }

    private static void add(Map<String, long[]> m, String account, int field, long delta) {
        m.computeIfAbsent(account, k -> new long[4])[field] += delta;
    }

    private Set<String> accountIds() {
        Set<String> ids = new TreeSet<>();
        for (List<?> r : sql("SELECT ID FROM PTORRENT.ACCOUNT")) {
            ids.add((String) r.get(0));
        }
        return ids;
    }

    private List<List<?>> sql(String query) {
        return client.query(new SqlFieldsQuery(query)).getAll();
    }

    private static long num(Object o) {
        return o == null ? 0 : ((Number) o).longValue();
    }
}
