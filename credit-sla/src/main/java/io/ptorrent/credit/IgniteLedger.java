package io.ptorrent.credit;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteAtomicLong;
import org.apache.ignite.IgniteBinary;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.binary.BinaryObject;
import org.apache.ignite.cache.query.SqlFieldsQuery;
import org.apache.ignite.cluster.ClusterTopologyException;
import org.apache.ignite.configuration.AtomicConfiguration;
import org.apache.ignite.configuration.CacheConfiguration;
import org.apache.ignite.transactions.Transaction;
import org.apache.ignite.transactions.TransactionDeadlockException;
import org.apache.ignite.transactions.TransactionRollbackException;
import org.apache.ignite.transactions.TransactionTimeoutException;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import static org.apache.ignite.transactions.TransactionConcurrency.PESSIMISTIC;
import static org.apache.ignite.transactions.TransactionIsolation.REPEATABLE_READ;

/**
 * The credit ledger on Ignite: {@link CreditSpi} over three TRANSACTIONAL caches (accounts, holds,
 * ledger entries) in one cache group, with SQL tables {@code <schema>.ACCOUNT}, {@code .HOLD} and
 * {@code .LEDGER} (see {@link LedgerSchema}).
 *
 * <h2>Design note</h2>
 * <b>Invariants</b> (in every committed state):
 * <ol>
 *   <li>conservation: Σ account.balance + Σ open hold.remaining = 0, because the {@code grid} account
 *       is the issuer and its balance is minus all it ever granted; every other account's balance ≥ 0;</li>
 *   <li>account.held = Σ remaining of that account's open holds (so the sum over accounts of
 *       balance + held is 0 as well, readable from one cache);</li>
 *   <li>each ledger entry is immutable and keyed by its idempotency key, so at most one transfer exists per
 *       key; balances are exactly the replay of the entries (double entry: from −amount, to +amount).</li>
 * </ol>
 * <b>Concurrency.</b> Every movement is one PESSIMISTIC / REPEATABLE_READ transaction: the first read of
 * a key locks it until commit, so a check ("enough left in the hold?") and the write that depends on it
 * cannot interleave with another movement, and two concurrent calls with the same idempotency key
 * serialize on that key's lock: the second sees the first's entry and returns it. Why pessimistic rather
 * than OPTIMISTIC / SERIALIZABLE: settlements of one task all write the same hold and payer account, a
 * hot spot where optimistic transactions would mostly fail and retry; with locks they queue.
 * <b>Deadlock freedom</b> by a global lock order: ledger keys, then hold keys, then account keys, each
 * group sorted ({@link TreeSet}); every operation reads (locks) in that order and writes only keys it has
 * locked. A transaction timeout plus a bounded retry covers what remains (topology changes): retries are
 * safe because every movement is idempotent by its key.
 * <b>Durability</b> comes from the data region: with native persistence a commit is in the WAL before it
 * returns; FULL_SYNC makes a commit wait for the backup too. Transfer ids come from an Ignite atomic
 * counter (reserved outside the transaction, so ids are unique but not dense); at start the counter is
 * moved past the highest stored id when it is new, so a non-persistent default region cannot make ids repeat.
 *
 * <p>References: Jepsen's bank test (the conservation check); Stripe's idempotency keys; Ignite's
 * "Performing Transactions" docs (pessimistic locking, deadlock detection).
 */
public final class IgniteLedger implements CreditSpi {
    private static final Pattern ACCOUNT_ID = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final int MAX_TASK_ID = 128;
    private static final int MAX_KEY = 200;
    private static final int MAX_PAGE_SIZE = 1_000;

    private final Ignite ignite;
    private final IgniteBinary binary;
    private final CreditConfiguration cfg;
    private final Clock clock;
    private final IgniteCache<String, BinaryObject> accounts;
    private final IgniteCache<String, BinaryObject> holds;
    private final IgniteCache<String, BinaryObject> ledger;
    private final IgniteAtomicLong ids;

    private IgniteLedger(Ignite ignite, CreditConfiguration cfg, Clock clock) {
        this.ignite = ignite;
        this.binary = ignite.binary();
        this.cfg = cfg;
        this.clock = clock;
        List<CacheConfiguration<String, BinaryObject>> caches = LedgerSchema.caches(cfg);
        this.accounts = ignite.getOrCreateCache(caches.get(0)).withKeepBinary();
        this.holds = ignite.getOrCreateCache(caches.get(1)).withKeepBinary();
        this.ledger = ignite.getOrCreateCache(caches.get(2)).withKeepBinary();
        // An atomic long, not an IgniteAtomicSequence: the conservation test saw the sequence hand the same id
        // to two nodes under concurrent getAndAdd(n), with reserve blocks of 1,000 and of 1 alike.
        this.ids = ignite.atomicLong(cfg.ledgerCache() + "-ids", new AtomicConfiguration().setBackups(1), 0, true);
    }

    /**
     * Creates the ledger's caches if they are missing and opens the {@link #GRID_ACCOUNT}. Call on a
     * server node of an active cluster that has the Calcite SQL engine configured ({@link #ledger} and the
     * start-up id check use SQL). Safe to call on every harbor node, concurrently.
     *
     * @param clock the time stamped on accounts, holds and transfers
     */
    public static IgniteLedger start(Ignite ignite, CreditConfiguration cfg, Clock clock) {
        IgniteLedger l = new IgniteLedger(Objects.requireNonNull(ignite, "ignite"), Objects.requireNonNull(cfg, "cfg"), Objects.requireNonNull(clock, "clock"));
        l.skipStoredIds();
        l.openGridAccount();
        return l;
    }

    @Override
    public Account openAccount(String id, String displayName, SlaTier tier) {
        return openAccount(id, displayName, tier, cfg.starterGrant());
    }

    @Override
    public Account openAccount(String id, String displayName, SlaTier tier, long starterGrant) {
        requireAccountId(id);
        require(starterGrant >= 0, "starterGrant must not be negative");
        require(displayName != null && !displayName.isBlank() && displayName.length() <= 200, "displayName must be 1–200 characters");
        require(tier != null, "tier is required (FREE, CONTRIBUTOR or GUARANTEED)");
        if (id.equals(GRID_ACCOUNT)) {
            return account(GRID_ACCOUNT);
        }
        long starter = starterGrant;
        long transferId = starter > 0 ? nextIds(1) : 0;
        return inTx(() -> {
            String key = "open:" + id;
            if (starter > 0) {
                ledger.get(key); // lock order: ledger key first
            }
            Map<String, BinaryObject> accs = accounts.getAll(new TreeSet<>(List.of(id, GRID_ACCOUNT)));
            if (accs.containsKey(id)) {
                return LedgerSchema.account(accs.get(id));
            }
            Instant now = clock.instant();
            Account opened = new Account(id, displayName, tier, now, starter, 0, 0, 0);
            Map<String, BinaryObject> writes = new TreeMap<>();
            writes.put(id, LedgerSchema.binary(binary, opened));
            if (starter > 0) {
                Account grid = LedgerSchema.account(accs.get(GRID_ACCOUNT));
                writes.put(GRID_ACCOUNT, LedgerSchema.binary(binary, move(grid, -starter, 0, 0, 0)));
                ledger.put(key, LedgerSchema.binary(binary, new Transfer(transferId, now, Transfer.Kind.GRANT, GRID_ACCOUNT, id, starter, key)));
            }
            accounts.putAll(writes);
            return opened;
        });
    }

    @Override
    public Account account(String id) {
        requireAccountId(id);
        BinaryObject o = accounts.get(id);
        if (o == null) {
            throw unknownAccount(id);
        }
        return LedgerSchema.account(o);
    }

    @Override
    public Transfer grant(String to, long amount, String idempotencyKey) {
        requireAccountId(to);
        require(!GRID_ACCOUNT.equals(to), "the grid account issues credit and cannot be granted any");
        requireAmount(amount, "a grant");
        require(idempotencyKey != null && !idempotencyKey.isBlank() && idempotencyKey.length() <= MAX_KEY,
                "idempotencyKey must be 1–" + MAX_KEY + " characters; reuse it when repeating the same grant");
        long transferId = nextIds(1);
        return inTx(() -> {
            String key = "grant:" + idempotencyKey;
            BinaryObject done = ledger.get(key);
            if (done != null) {
                return LedgerSchema.transfer(key, done);
            }
            Map<String, BinaryObject> accs = accounts.getAll(new TreeSet<>(List.of(to, GRID_ACCOUNT)));
            if (!accs.containsKey(to)) {
                throw unknownAccount(to);
            }
            Transfer t = new Transfer(transferId, clock.instant(), Transfer.Kind.GRANT, GRID_ACCOUNT, to, amount, key);
            Map<String, BinaryObject> writes = new TreeMap<>();
            writes.put(GRID_ACCOUNT, LedgerSchema.binary(binary, move(LedgerSchema.account(accs.get(GRID_ACCOUNT)), -amount, 0, 0, 0)));
            writes.put(to, LedgerSchema.binary(binary, move(LedgerSchema.account(accs.get(to)), amount, 0, 0, 0)));
            ledger.put(key, LedgerSchema.binary(binary, t));
            accounts.putAll(writes);
            return t;
        });
    }

    @Override
    public Hold hold(String taskId, String account, long amount) {
        requireTaskId(taskId);
        requireAccountId(account);
        requireAmount(amount, "a hold");
        long transferId = nextIds(1);
        return inTx(() -> {
            String key = "hold:" + taskId;
            ledger.get(key);
            BinaryObject existing = holds.get(taskId);
            if (existing != null) {
                return LedgerSchema.hold(existing);
            }
            BinaryObject accObj = accounts.get(account);
            if (accObj == null) {
                throw unknownAccount(account);
            }
            Account payer = LedgerSchema.account(accObj);
            if (!GRID_ACCOUNT.equals(account) && payer.balance() < amount) {
                throw new PtorrentException(ErrorCode.INSUFFICIENT_CREDIT, "account " + account + " has " + payer.balance()
                        + " milli-PU-s free, task " + taskId + " needs " + amount + " held; nothing was held");
            }
            Instant now = clock.instant();
            Hold h = new Hold(taskId, account, amount, amount, true, now);
            ledger.put(key, LedgerSchema.binary(binary, new Transfer(transferId, now, Transfer.Kind.HOLD, account, Transfer.escrowOf(taskId), amount, key)));
            holds.put(taskId, LedgerSchema.binary(binary, h));
            accounts.put(account, LedgerSchema.binary(binary, move(payer, -amount, amount, 0, 0)));
            return h;
        });
    }

    @Override
    public Hold topUp(String taskId, long wanted, long atLeast, int round) {
        requireTaskId(taskId);
        requireAmount(wanted, "a top-up");
        require(atLeast > 0 && atLeast <= wanted, "atLeast must be 1.." + wanted + ", got " + atLeast);
        require(round >= 1, "round must be >= 1, got " + round);
        long transferId = nextIds(1);
        return inTx(() -> {
            String key = "topup:" + taskId + ":" + round;
            BinaryObject done = ledger.get(key);
            BinaryObject holdObj = holds.get(taskId);
            if (holdObj == null) {
                throw new PtorrentException(ErrorCode.HOLD_NOT_FOUND, "task " + taskId + " has no escrow hold to top up; nothing was held");
            }
            Hold h = LedgerSchema.hold(holdObj);
            if (done != null) {
                return h;
            }
            if (!h.open()) {
                throw new PtorrentException(ErrorCode.HOLD_CLOSED, "task " + taskId + "'s hold is closed; nothing was held");
            }
            Account payer = LedgerSchema.account(accounts.get(h.account()));
            long amount = GRID_ACCOUNT.equals(h.account()) ? wanted : Math.min(wanted, payer.balance());
            if (amount < atLeast) {
                throw new PtorrentException(ErrorCode.INSUFFICIENT_CREDIT, "account " + h.account() + " has " + payer.balance()
                        + " milli-PU-s free, task " + taskId + " needs at least " + atLeast + " more held; nothing was held");
            }
            Hold topped = new Hold(taskId, h.account(), Math.addExact(h.amount(), amount), Math.addExact(h.remaining(), amount), true, h.created());
            ledger.put(key, LedgerSchema.binary(binary, new Transfer(transferId, clock.instant(), Transfer.Kind.HOLD, h.account(), Transfer.escrowOf(taskId), amount, key)));
            holds.put(taskId, LedgerSchema.binary(binary, topped));
            accounts.put(h.account(), LedgerSchema.binary(binary, move(payer, -amount, amount, 0, 0)));
            return topped;
        });
    }

    @Override
    public Optional<Hold> findHold(String taskId) {
        requireTaskId(taskId);
        return Optional.ofNullable(holds.get(taskId)).map(LedgerSchema::hold);
    }

    @Override
    public Transfer settle(String taskId, int fragment, String contributorAccount, long amount) {
        return settleAll(List.of(new Settlement(taskId, fragment, contributorAccount, amount))).get(0);
    }

    @Override
    public List<Transfer> settleAll(List<Settlement> settlements) {
        require(settlements != null, "settlements is required");
        require(settlements.size() <= cfg.maxBatch(), "at most " + cfg.maxBatch() + " settlements per call, got " + settlements.size() + ": split the batch");
        if (settlements.isEmpty()) {
            return List.of();
        }
        List<String> keys = new ArrayList<>(settlements.size());
        for (Settlement s : settlements) {
            require(s != null, "a settlement is null");
            requireTaskId(s.taskId());
            require(s.fragment() >= 0, "fragment must be >= 0, got " + s.fragment() + " (task " + s.taskId() + ")");
            requireAccountId(s.contributor());
            requireAmount(s.amount(), "settling fragment " + s.fragment() + " of task " + s.taskId());
            keys.add("settle:" + s.taskId() + ":" + s.fragment());
        }
        long firstId = nextIds(settlements.size());
        return inTx(() -> {
            Map<String, Transfer> results = new HashMap<>();
            ledger.getAll(new TreeSet<>(keys)).forEach((k, o) -> results.put(k, LedgerSchema.transfer(k, o)));

            // The settlements to pay now: first occurrence of each key not settled before.
            Map<String, Settlement> fresh = new LinkedHashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                if (!results.containsKey(keys.get(i))) {
                    fresh.putIfAbsent(keys.get(i), settlements.get(i));
                }
            }
            if (!fresh.isEmpty()) {
                pay(fresh, firstId, results);
            }
            List<Transfer> out = new ArrayList<>(keys.size());
            for (String k : keys) {
                out.add(results.get(k));
            }
            return out;
        });
    }

    /** Pays {@code fresh} (key → settlement) inside the caller's transaction, which holds the ledger-key locks. */
    private void pay(Map<String, Settlement> fresh, long firstId, Map<String, Transfer> results) {
        Set<String> taskIds = new TreeSet<>();
        fresh.values().forEach(s -> taskIds.add(s.taskId()));
        Map<String, Hold> hs = new HashMap<>();
        holds.getAll(taskIds).forEach((k, o) -> hs.put(k, LedgerSchema.hold(o)));
        Set<String> accountIds = new TreeSet<>();
        for (String t : taskIds) {
            Hold h = hs.get(t);
            if (h == null) {
                throw new PtorrentException(ErrorCode.HOLD_NOT_FOUND, "task " + t + " has no escrow hold, so no fragment of it can be paid; nothing was paid");
            }
            if (!h.open()) {
                throw new PtorrentException(ErrorCode.HOLD_CLOSED, "task " + t + "'s hold was refunded and closed; nothing was paid");
            }
            accountIds.add(h.account());
        }
        fresh.values().forEach(s -> accountIds.add(s.contributor()));
        Map<String, Account> accs = new HashMap<>();
        accounts.getAll(accountIds).forEach((k, o) -> accs.put(k, LedgerSchema.account(o)));
        for (Settlement s : fresh.values()) {
            if (!accs.containsKey(s.contributor())) {
                throw unknownAccount(s.contributor());
            }
        }
        Instant now = clock.instant();
        long id = firstId;
        Map<String, BinaryObject> entries = new TreeMap<>();
        for (Map.Entry<String, Settlement> e : fresh.entrySet()) {
            Settlement s = e.getValue();
            Hold h = hs.get(s.taskId());
            if (h.remaining() < s.amount()) {
                throw new PtorrentException(ErrorCode.INSUFFICIENT_CREDIT, "task " + s.taskId() + "'s hold has " + h.remaining()
                        + " milli-PU-s left, fragment " + s.fragment() + " needs " + s.amount()
                        + ": hold (or top up) what its fragments in flight can cost before sending them; nothing was paid");
            }
            hs.put(s.taskId(), new Hold(h.taskId(), h.account(), h.amount(), h.remaining() - s.amount(), true, h.created()));
            accs.put(h.account(), move(accs.get(h.account()), 0, -s.amount(), 0, s.amount()));
            accs.put(s.contributor(), move(accs.get(s.contributor()), s.amount(), 0, s.amount(), 0));
            Transfer t = new Transfer(id++, now, Transfer.Kind.SETTLE, Transfer.escrowOf(s.taskId()), s.contributor(), s.amount(), e.getKey());
            results.put(e.getKey(), t);
            entries.put(e.getKey(), LedgerSchema.binary(binary, t));
        }
        Map<String, BinaryObject> holdWrites = new TreeMap<>();
        hs.forEach((k, h) -> holdWrites.put(k, LedgerSchema.binary(binary, h)));
        Map<String, BinaryObject> accountWrites = new TreeMap<>();
        accs.forEach((k, a) -> accountWrites.put(k, LedgerSchema.binary(binary, a)));
        ledger.putAll(entries);
        holds.putAll(holdWrites);
        accounts.putAll(accountWrites);
    }

    @Override
    public Transfer refund(String taskId) {
        requireTaskId(taskId);
        long transferId = nextIds(1);
        return inTx(() -> {
            String key = "refund:" + taskId;
            BinaryObject done = ledger.get(key);
            if (done != null) {
                return LedgerSchema.transfer(key, done);
            }
            BinaryObject holdObj = holds.get(taskId);
            if (holdObj == null) {
                throw new PtorrentException(ErrorCode.HOLD_NOT_FOUND, "task " + taskId + " has no escrow hold to refund");
            }
            Hold h = LedgerSchema.hold(holdObj);
            if (!h.open()) {
                throw new PtorrentException(ErrorCode.HOLD_CLOSED, "task " + taskId + "'s hold is already closed");
            }
            Account payer = LedgerSchema.account(accounts.get(h.account()));
            Transfer t = new Transfer(transferId, clock.instant(), Transfer.Kind.REFUND, Transfer.escrowOf(taskId), h.account(), h.remaining(), key);
            ledger.put(key, LedgerSchema.binary(binary, t));
            holds.put(taskId, LedgerSchema.binary(binary, new Hold(h.taskId(), h.account(), h.amount(), 0, false, h.created())));
            accounts.put(h.account(), LedgerSchema.binary(binary, move(payer, h.remaining(), -h.remaining(), 0, 0)));
            return t;
        });
    }

    @Override
    public List<Transfer> ledger(String account, int page, int pageSize) {
        account(account); // UNKNOWN_ACCOUNT before an empty page
        require(page >= 0, "page must be >= 0, got " + page);
        require(pageSize >= 1 && pageSize <= MAX_PAGE_SIZE, "pageSize must be 1–" + MAX_PAGE_SIZE + ", got " + pageSize);
        String sql = "SELECT IDEM_KEY, ID, AT, KIND, FROM_ACCOUNT, TO_ACCOUNT, AMOUNT FROM " + cfg.sqlSchema() + ".LEDGER"
                + " WHERE FROM_ACCOUNT = ? OR TO_ACCOUNT = ? ORDER BY AT DESC, ID DESC LIMIT ? OFFSET ?";
        List<Transfer> out = new ArrayList<>();
        for (List<?> row : ledger.query(new SqlFieldsQuery(sql).setArgs(account, account, pageSize, (long) page * pageSize)).getAll()) {
            out.add(new Transfer(((Number) row.get(1)).longValue(), ((Timestamp) row.get(2)).toInstant(), Transfer.Kind.valueOf((String) row.get(3)),
                    (String) row.get(4), (String) row.get(5), ((Number) row.get(6)).longValue(), (String) row.get(0)));
        }
        return out;
    }

    /** The names of the caches and SQL schema in use, for operators' tools and tests. */
    public CreditConfiguration configuration() {
        return cfg;
    }

    private void openGridAccount() {
        inTx(() -> {
            if (accounts.get(GRID_ACCOUNT) == null) {
                accounts.put(GRID_ACCOUNT, LedgerSchema.binary(binary, new Account(GRID_ACCOUNT, "the grid (issues all credit)", SlaTier.GUARANTEED, clock.instant(), 0, 0, 0, 0)));
            }
            return null;
        });
    }

    private void skipStoredIds() {
        if (ids.get() > 0) {
            // The counter is the cluster's and has issued ids: it survived with the ledger (another harbor kept it, or
            // persistence did). Why not query anyway: a harbor that restarts beside a running one runs this while it
            // rebalances, and Calcite then failed to plan the query (CannotPlanException, distribution unknown), which
            // stopped the harbor's start (ChaosRun found it).
            return;
        }
        List<List<?>> rows = null;
        for (int attempt = 0; rows == null; attempt++) {
            try {
                rows = ledger.query(new SqlFieldsQuery("SELECT MAX(ID) FROM " + cfg.sqlSchema() + ".LEDGER")).getAll();
            } catch (RuntimeException e) {
                // Planning fails while the topology changes (another node joining): wait and ask again.
                if (attempt >= cfg.retries()) {
                    throw e;
                }
                awaitRetry(e, attempt);
            }
        }
        Object max = rows.isEmpty() ? null : rows.get(0).get(0);
        if (max != null) {
            long gap = ((Number) max).longValue() - ids.get();
            if (gap > 0) {
                ids.getAndAdd(gap);
            }
        }
    }

    /** Reserves {@code n} transfer ids outside any transaction; returns the first. */
    private long nextIds(int n) {
        return ids.getAndAdd(n) + 1;
    }

    /** The account with the deltas applied; exact arithmetic; only the grid's balance may go negative. */
    private static Account move(Account a, long balance, long held, long earned, long spent) {
        Account b = new Account(a.id(), a.displayName(), a.tier(), a.created(), Math.addExact(a.balance(), balance),
                Math.addExact(a.held(), held), Math.addExact(a.earned(), earned), Math.addExact(a.spent(), spent));
        if (b.balance() < 0 && !GRID_ACCOUNT.equals(b.id())) {
            throw new IllegalStateException("bug: account " + a.id() + " would go negative: " + b.balance());
        }
        return b;
    }

    /**
     * Runs {@code body} in a PESSIMISTIC / REPEATABLE_READ transaction and commits it; retries after a
     * transient cluster failure (safe: every movement is idempotent by its key).
     */
    private <T> T inTx(Supplier<T> body) {
        for (int attempt = 0; ; attempt++) {
            try (Transaction tx = ignite.transactions().txStart(PESSIMISTIC, REPEATABLE_READ, cfg.txTimeout().toMillis(), 0)) {
                T result = body.get();
                tx.commit();
                return result;
            } catch (PtorrentException e) {
                throw e;
            } catch (ArithmeticException e) {
                throw new PtorrentException(ErrorCode.BAD_AMOUNT, "the movement would overflow an account's totals; use smaller amounts; nothing was moved", e);
            } catch (RuntimeException e) {
                if (!isTransient(e)) {
                    throw new PtorrentException(ErrorCode.INTERNAL, "ledger transaction failed: " + e, e);
                }
                if (attempt >= cfg.retries()) {
                    throw new PtorrentException(ErrorCode.NOT_READY, "the ledger could not commit after " + (attempt + 1)
                            + " attempts (cluster busy or changing topology); nothing was moved; repeat the call: it is idempotent", e);
                }
                awaitRetry(e, attempt);
            }
        }
    }

    /**
     * Waits before the next attempt: until the new topology is ready when a node left (Ignite says when, through
     * {@link ClusterTopologyException#retryReadyFuture()}), else a backoff of 50 ms doubling to 1.6 s. Why: retried
     * at once, all attempts fall inside the same topology change — a harbor killed beside another made every
     * attempt fail with "primary node left grid" within milliseconds, and its payments and refunds were dropped
     * (ChaosRun found it).
     */
    private void awaitRetry(RuntimeException e, int attempt) {
        long backoffMs = 50L << Math.min(attempt, 5);
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ClusterTopologyException t && t.retryReadyFuture() != null) {
                try {
                    t.retryReadyFuture().get(cfg.txTimeout().toMillis());
                    return;
                } catch (RuntimeException notReady) {
                    break; // the topology is still changing: back off as below
                }
            }
        }
        try {
            Thread.sleep(backoffMs);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new PtorrentException(ErrorCode.NOT_READY, "interrupted while waiting to retry a ledger transaction; nothing was moved", ie);
        }
    }

    private static boolean isTransient(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof TransactionTimeoutException || c instanceof TransactionDeadlockException
                    || c instanceof TransactionRollbackException || c instanceof ClusterTopologyException) {
                return true;
            }
        }
        return false;
    }

    private void requireAmount(long amount, String what) {
        if (amount <= 0) {
            throw new PtorrentException(ErrorCode.BAD_AMOUNT, what + " must be a positive amount of milli-PU-seconds, got " + amount + "; nothing was moved");
        }
        if (amount > cfg.maxAmount()) {
            throw new PtorrentException(ErrorCode.BAD_AMOUNT, what + " of " + amount + " milli-PU-seconds is above the cap of "
                    + cfg.maxAmount() + "; nothing was moved");
        }
    }

    private static void requireAccountId(String id) {
        if (id == null || !ACCOUNT_ID.matcher(id).matches()) {
            throw new PtorrentException(ErrorCode.BAD_REQUEST, "an account id is 1–64 letters, digits or . _ @ -, got " + quoted(id));
        }
    }

    private static void requireTaskId(String taskId) {
        if (taskId == null || taskId.isEmpty() || taskId.length() > MAX_TASK_ID || !taskId.chars().allMatch(ch -> ch > ' ' && ch != 127)) {
            throw new PtorrentException(ErrorCode.BAD_REQUEST, "a task id is 1–" + MAX_TASK_ID + " printable characters without spaces, got " + quoted(taskId));
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new PtorrentException(ErrorCode.BAD_REQUEST, message);
        }
    }

    private static PtorrentException unknownAccount(String id) {
        return new PtorrentException(ErrorCode.UNKNOWN_ACCOUNT, "no account " + id + "; nothing was moved");
    }

    private static String quoted(String s) {
        return s == null ? "null" : '"' + (s.length() > 80 ? s.substring(0, 80) + "…" : s) + '"';
    }
}
