package io.ptorrent.plugin.credit;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.credit.Account;
import io.ptorrent.credit.CreditConfiguration;
import io.ptorrent.credit.ratio.RatioEngine;
import io.ptorrent.credit.CreditSpi;
import io.ptorrent.credit.Hold;
import io.ptorrent.credit.IgniteLedger;
import io.ptorrent.credit.Settlement;
import io.ptorrent.credit.SlaTier;
import io.ptorrent.credit.Transfer;
import io.ptorrent.plugin.NodeAttributes;
import io.ptorrent.plugin.scheduler.NodeSpeeds;
import io.ptorrent.plugin.scheduler.TaskAccounting;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.IgniteLogger;
import org.apache.ignite.cache.CacheAtomicityMode;
import org.apache.ignite.cache.CacheWriteSynchronizationMode;
import org.apache.ignite.cache.PartitionLossPolicy;
import org.apache.ignite.cache.affinity.rendezvous.RendezvousAffinityFunction;
import org.apache.ignite.cache.query.ScanQuery;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.configuration.CacheConfiguration;
import org.apache.ignite.events.DiscoveryEvent;
import org.apache.ignite.events.Event;
import org.apache.ignite.events.EventType;
import org.apache.ignite.lang.IgnitePredicate;

import javax.cache.Cache;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/**
 * A harbor's performance credit: the ledger ({@link IgniteLedger}) wired to the scheduler's tasks.
 *
 * <h2>Design note</h2>
 * <b>Escrow, pay as you go.</b> When a task is accepted its account must exist and cover at least one fragment's
 * worst case ({@link WorkValue#escrowPerFragment} at the task's price); else the task is refused at once with
 * {@code UNKNOWN_ACCOUNT} or {@code INSUFFICIENT_CREDIT}, and nothing was held. The hold covers a window of
 * fragments ({@link EscrowWindow}: the shared cores plus a margin), each fragment reserves its worst case in it
 * before it is sent ({@link #reserveFragment}), and the hold is topped up ({@link CreditSpi#topUp}) as fragments
 * are paid; {@link TaskEscrow} keeps the count. A task whose account runs dry waits, {@code PAUSED_NO_CREDIT}, and
 * resumes when a top-up succeeds. Each accepted fragment pays its contributor node's account from the hold,
 * keyed {@code (task, fragment)} in the ledger, so a fragment that failover ran twice is paid once. When the task
 * ends (done, failed, cancelled) what is left is refunded, and the task's result says what it cost.
 *
 * <p><b>Order and threads.</b> The scheduler calls {@link #onFragmentAccepted} under its lock, so ledger
 * work never runs on the caller's thread: one worker thread takes the operations in the order they came
 * (payments of a task always before its refund) and pays consecutive fragments in one transaction
 * ({@link CreditSpi#settleAll}). An operation the ledger cannot commit now ({@code NOT_READY}: a harbor left and
 * the topology is changing) goes back to the head of the queue and runs again after a pause, doubling up to
 * {@value #RETRY_MAX_MS} ms, so that a harbor killed beside this one costs no payment and leaves no hold open.
 *
 * <p><b>A harbor that dies mid-task.</b> Tasks live in a harbor node's memory and die with it; their
 * holds, settlements and refunds are in the persistent ledger. Each task's owning node is written to the
 * {@value #TASKS_CACHE} cache before its hold is taken and removed after its refund. A harbor node that
 * starts refunds the open holds of tasks owned by itself (it runs none yet) or by a server node no longer
 * in the cluster, and so does every harbor node when a server node leaves. A refund is keyed by its task,
 * so when two harbors sweep at once, or a node crashed between refund and clean-up, it still happens once.
 * A payment committed before the crash stays; a fragment whose result the dead harbor had not yet paid is
 * not paid (its result was lost with the task).
 *
 * <p><b>Accounts.</b> A contributor node's ledger account (its {@code account} attribute, which the harbor's
 * security checked against the node's join credential) is opened when the node joins this harbor; an account the
 * operator names ({@code openAccounts}, {@code bin/ptorrent harbor --open-account ID}) at the harbor's start. A
 * submitter's account is not opened on first use. <b>The starter grant is policy</b>: an account gets
 * {@code CreditConfiguration.starterGrant} only if the operator created it (or named it in {@code openAccounts});
 * one that registered itself gets none, since a free grant per new name would let anyone mint credit by inventing
 * names (a sybil attack). The operator grants more through the ledger ({@code ptorrent.credit.grant}).
 */
public final class HarborCredit implements TaskAccounting, AutoCloseable {
    /** Task id → consistent id of the harbor node that runs it, for as long as its hold may be open. */
    public static final String TASKS_CACHE = "ptorrent-credit-tasks";
    private static final long DRAIN_MS = 10_000;
    /** Pauses before a ledger operation that could not commit runs again: doubling from the first to the last. */
    private static final long RETRY_FIRST_MS = 250;
    private static final long RETRY_MAX_MS = 4_000;

    private final Ignite ignite;
    private final IgniteLogger log;
    private final IgniteLedger ledger;
    private final String harborName;
    private final String self;
    private final IgniteCache<String, String> owners;
    private final Map<String, TaskEscrow> books = new ConcurrentHashMap<>();
    /** The scheduler's wake-up when a task's escrow grew; set once, before tasks come. */
    private volatile Runnable escrowGrown = () -> { };
    /** When the worker next asks the balances of tasks waiting for credit ({@link System#nanoTime}). */
    private long nextStarvedRetryNanos;
    private final IgnitePredicate<Event> topologyListener;
    /** Told every submitter's tier and balance and every payment: entitlements come from what accounts gave. */
    private final RatioEngine ratio;
    private final Clock clock;
    /** The starter grant a new account gets (the policy above), by account id. */
    private final ToLongFunction<String> starterGrant;
    /** Contributors' PU per core as this harbor measured it: what a fragment is paid at and escrow is held at. */
    private final NodeSpeeds speeds;

    private final Object queueLock = new Object();
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private final List<Settlement> pendingPay = new ArrayList<>();
    private final Thread worker;
    private boolean closing;

    private HarborCredit(Ignite ignite, IgniteLedger ledger, String harborName, RatioEngine ratio, Clock clock, ToLongFunction<String> starterGrant,
                         NodeSpeeds speeds) {
        this.ignite = ignite;
        this.starterGrant = starterGrant;
        this.speeds = speeds;
        this.ratio = ratio;
        this.clock = clock;
        this.log = ignite.log().getLogger(HarborCredit.class);
        this.ledger = ledger;
        this.harborName = harborName;
        this.self = String.valueOf(ignite.cluster().localNode().consistentId());
        this.owners = ignite.getOrCreateCache(tasksCache(ledger.configuration()));
        this.worker = new Thread(this::work, "ptorrent-credit-" + ignite.name());
        this.worker.setDaemon(true);
        this.topologyListener = this::onDiscovery;
    }

    /**
     * Starts the ledger on this harbor node, refunds the holds of tasks that died with a harbor node,
     * opens the operator's accounts and those of the contributors already joined. Blocks (ledger
     * transactions); call from the node's start, before the scheduler takes tasks.
     *
     * @param openAccounts accounts the operator wants to exist (opened with the starter grant if new)
     * @param starterGrant the starter grant of a new account that is not in {@code openAccounts}, by id (the policy)
     * @param speeds       contributors' PU per core as the harbor measures it (the scheduler's {@code SpeedProbes})
     */
    public static HarborCredit start(Ignite ignite, CreditConfiguration cfg, String harborName, List<String> openAccounts,
                                     RatioEngine ratio, Clock clock, ToLongFunction<String> starterGrant, NodeSpeeds speeds) {
        HarborCredit c = new HarborCredit(ignite, IgniteLedger.start(ignite, cfg, clock), harborName, ratio, clock, starterGrant, speeds);
        int refunded = c.refundOrphans(true);
        if (refunded > 0) {
            // A warning: tasks were lost with a harbor, and their submitters may want to know why.
            c.log.warning("ptorrent credit: refunded the open holds of " + refunded + " task(s) that a harbor no longer runs");
        }
        for (String id : openAccounts) {
            // CONTRIBUTOR, not FREE: the ratio engine gives FREE accounts no share under contention, whatever
            // their balance; an account the operator opened pays with its credit and stands by it.
            c.ledger.openAccount(id, id, SlaTier.CONTRIBUTOR);
        }
        for (ClusterNode n : ignite.cluster().forClients().nodes()) {
            c.openContributorAccount(n);
        }
        ignite.events().localListen(c.topologyListener, EventType.EVT_NODE_JOINED, EventType.EVT_NODE_LEFT, EventType.EVT_NODE_FAILED);
        c.worker.start();
        return c;
    }

    /**
     * The ledger, for the gateway's and the console's reads. Its reads ({@code account}, {@code findHold},
     * {@code ledger}) first wait (at most {@link #SETTLED_READ_WAIT}) for the payments and refunds queued before them:
     * a task's result does not wait for its refund (see {@link #onTaskEnded}), so a submitter that asks for its
     * balance right after a result must still see the task paid and refunded.
     */
    public CreditSpi ledger() {
        return settledReads;
    }

    /** How long a read of {@link #ledger()} waits for the queued ledger writes before it reads anyway. */
    static final Duration SETTLED_READ_WAIT = Duration.ofSeconds(5);

    /** Waits until the worker has done the operations queued before this call (not on the worker itself: it would wait for itself). */
    void awaitQueued(Duration max) {
        if (Thread.currentThread() == worker || !worker.isAlive()) {
            return;
        }
        CompletableFuture<Void> reached = new CompletableFuture<>();
        enqueue(() -> reached.complete(null));
        try {
            reached.get(max.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // The ledger is slow or cannot commit now (a harbor left): read what it has.
        }
    }

    /** {@link #ledger()}: the ledger, whose reads come after the writes queued before them. */
    private final CreditSpi settledReads = new CreditSpi() {
        @Override
        public Account openAccount(String id, String displayName, SlaTier tier) {
            return ledger.openAccount(id, displayName, tier);
        }

        @Override
        public Account openAccount(String id, String displayName, SlaTier tier, long starterGrant) {
            return ledger.openAccount(id, displayName, tier, starterGrant);
        }

        @Override
        public Account account(String id) {
            awaitQueued(SETTLED_READ_WAIT);
            return ledger.account(id);
        }

        @Override
        public Transfer grant(String to, long amount, String idempotencyKey) {
            return ledger.grant(to, amount, idempotencyKey);
        }

        @Override
        public Hold hold(String taskId, String account, long amount) {
            return ledger.hold(taskId, account, amount);
        }

        @Override
        public Hold topUp(String taskId, long wanted, long atLeast, int round) {
            return ledger.topUp(taskId, wanted, atLeast, round);
        }

        @Override
        public Optional<Hold> findHold(String taskId) {
            awaitQueued(SETTLED_READ_WAIT);
            return ledger.findHold(taskId);
        }

        @Override
        public Transfer settle(String taskId, int fragment, String contributorAccount, long amount) {
            return ledger.settle(taskId, fragment, contributorAccount, amount);
        }

        @Override
        public List<Transfer> settleAll(List<Settlement> settlements) {
            return ledger.settleAll(settlements);
        }

        @Override
        public Transfer refund(String taskId) {
            return ledger.refund(taskId);
        }

        @Override
        public List<Transfer> ledger(String account, int page, int pageSize) {
            awaitQueued(SETTLED_READ_WAIT);
            return ledger.ledger(account, page, pageSize);
        }
    };

    @Override
    public void onAccepted(String taskId, String account, int fragments, long fragmentLimitMs) {
        if (account == null) {
            throw new PtorrentException(ErrorCode.UNKNOWN_ACCOUNT, "the task names no account; every submitter acts for one"
                    + " (PtorrentClientOptions.account, bin/ptorrent submit --account ID); nothing was held");
        }
        if (CreditSpi.GRID_ACCOUNT.equals(account)) {
            // The issuer's balance may go negative: a task paid by it would be free compute for whoever names it.
            throw new PtorrentException(ErrorCode.BAD_REQUEST, "the grid account issues credit and cannot pay for tasks;"
                    + " submit for a person's account; nothing was held");
        }
        Account payer = ledger.account(account); // UNKNOWN_ACCOUNT or BAD_REQUEST before anything is written
        ratio.onAccount(payer);
        WorkValue value = new WorkValue(WorkValue.escrowPerFragment(fragmentLimitMs, bestPuPerCore()));
        // The task is charged at the price of a PU-second when it was accepted: what the estimate quoted, and what
        // every hold and top-up of it counts at, whatever the price does while the task runs.
        double price = ratio.price();
        long perFragment = atPrice(value.escrowPerFragment(), price);
        int cores = sharedCores();
        long amount;
        try {
            amount = TaskEscrow.firstHold(perFragment, fragments, cores, payer.balance());
        } catch (ArithmeticException e) {
            throw new PtorrentException(ErrorCode.BAD_AMOUNT, "the task's escrow overflows; submit a shorter fragment limit; nothing was held");
        }
        if (amount < perFragment) {
            throw cannotCover(account, payer.balance(), perFragment, fragmentLimitMs, null);
        }
        // The owner first: a harbor that dies between these two lines leaves an owner without a hold, which the
        // next sweep drops; never a hold without an owner, which nobody would refund.
        owners.put(taskId, self);
        try {
            ledger.hold(taskId, account, amount);
        } catch (PtorrentException e) {
            owners.remove(taskId);
            if (e.code() == ErrorCode.INSUFFICIENT_CREDIT) {
                throw cannotCover(account, amount, perFragment, fragmentLimitMs, e); // the balance fell meanwhile
            }
            throw e;
        }
        books.put(taskId, new TaskEscrow(taskId, account, value, price, perFragment, fragments, amount, cores));
    }

    private static PtorrentException cannotCover(String account, long balance, long perFragment, long fragmentLimitMs, Throwable cause) {
        return new PtorrentException(ErrorCode.INSUFFICIENT_CREDIT, "account " + account + " has " + credits(balance)
                + " credits, less than one fragment of this task can cost (" + credits(perFragment) + " credits: its limit of "
                + fragmentLimitMs + " ms at the best measured PU per core and the price now); nothing was held."
                + " Ask the operator for a grant, earn credit with a contributor node, or submit with a shorter fragment limit"
                + " (fragmentTimeout)", cause);
    }

    @Override
    public boolean reserveFragment(String taskId) {
        TaskEscrow book = books.get(taskId);
        if (book == null) {
            return true;
        }
        if (book.reserve()) {
            return true;
        }
        if (!book.starved()) {
            requestTopUp(book); // a task that waits for credit asks again on the worker's schedule, not per dispatch
        }
        return false;
    }

    @Override
    public void onFragmentReleased(String taskId) {
        TaskEscrow book = books.get(taskId);
        if (book != null) {
            book.release();
        }
    }

    @Override
    public PtorrentException pausedForCredit(String taskId) {
        TaskEscrow book = books.get(taskId);
        return book == null ? null : book.pausedReason();
    }

    @Override
    public void onEscrowGrown(Runnable listener) {
        escrowGrown = listener;
    }

    @Override
    public void onFragmentAccepted(String taskId, int fragment, ClusterNode node, long harborMillis) {
        TaskEscrow book = books.get(taskId);
        if (book == null) {
            return;
        }
        String contributor = node == null ? null : node.attribute(NodeAttributes.ACCOUNT);
        if (contributor == null) {
            // No one to pay: a node without an account donates its work (the submitter is not charged for it).
            book.accepted(0);
            log.info("ptorrent credit: fragment " + taskId + "/" + fragment + " ran on " + (node == null ? "a node that has left" : "node " + node.consistentId() + ", which has no account") + "; nobody is paid for it");
            return;
        }
        // The harbor's measurement, never the node's claim: an unmeasured node (0) earns nothing.
        long work = book.value.price(harborMillis, speeds.puPerCore(node));
        long amount = Math.max(0, Math.min(book.perFragment, (long) Math.floor(work * book.price)));
        book.accepted(amount);
        if (amount > 0) {
            synchronized (queueLock) {
                pendingPay.add(new Settlement(taskId, fragment, contributor, amount));
                queue.add(this::payPending);
                queueLock.notifyAll();
            }
        }
        requestTopUp(book);
    }

    /** Plans a top-up of the task's hold if it needs one, and queues it for the worker (after the payments before it). */
    private void requestTopUp(TaskEscrow book) {
        TaskEscrow.TopUp t = book.plan(this::sharedCores);
        if (t != null) {
            enqueue(() -> topUp(book, t));
        }
    }

    /** On the worker: moves more of the account's balance into the task's hold; a task whose account cannot pay waits. */
    private void topUp(TaskEscrow book, TaskEscrow.TopUp t) {
        if (books.get(book.taskId) != book) {
            book.refused(); // the task ended: its refund is queued, nothing more is held for it
            return;
        }
        try {
            Hold h = ledger.topUp(book.taskId, t.wanted(), t.atLeast(), t.round());
            book.toppedUp(h.amount());
        } catch (PtorrentException e) {
            if (e.code() == ErrorCode.NOT_READY && !isClosing()) {
                throw e; // the worker tries again, with the same round
            }
            boolean wasStarved = book.starved();
            book.refused();
            if (book.starved() && !wasStarved) {
                log.info("ptorrent credit: task " + book.taskId + " waits for credit (" + e.getMessage() + ")");
            }
            return;
        }
        escrowGrown.run();
    }

    /** Under the queue's lock: every so often, tasks that wait for credit ask their account's balance again. */
    private void retryStarvedLocked() {
        long now = System.nanoTime();
        if (now - nextStarvedRetryNanos < 0) {
            return;
        }
        nextStarvedRetryNanos = now + EscrowWindow.STARVED_RETRY_MS * 1_000_000;
        for (TaskEscrow book : books.values()) {
            if (book.starved()) {
                queue.add(() -> requestTopUp(book));
            }
        }
    }

    private boolean anyStarved() {
        for (TaskEscrow book : books.values()) {
            if (book.starved()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public CompletableFuture<Long> onTaskEnded(String taskId) {
        TaskEscrow book = books.remove(taskId);
        if (book == null) {
            return CompletableFuture.completedFuture(0L);
        }
        CompletableFuture<Long> paid = new CompletableFuture<>();
        long spent = book.committed();
        enqueue(() -> {
            // The payments queued before this are committed: the result may go (a harbor killed after it must not leave
            // its fragments unpaid, ChaosIT); the refund need not be waited for.
            paid.complete(spent);
            try {
                refund(taskId);
            } catch (PtorrentException e) {
                if (e.code() == ErrorCode.NOT_READY && !isClosing()) {
                    throw e; // the worker tries again, after the payments queued before it
                }
                // The hold stays open and its owner entry stays: the next sweep (a harbor start, a server leaving) refunds it.
                log.error("ptorrent credit: could not refund task " + taskId + "; a later sweep will: " + e.getMessage(), e);
            } catch (RuntimeException e) {
                log.error("ptorrent credit: could not refund task " + taskId + "; a later sweep will: " + e.getMessage(), e);
            }
        });
        // What the task cost is what its accepted fragments were priced at. The result waits for their payments
        // (queued before the refund) but not for the refund's transaction; ledger() reads wait for that.
        return paid;
    }

    /** Stops listening and waits (a few seconds at most) until the queued payments and refunds are done. */
    @Override
    public void close() {
        ignite.events().stopLocalListen(topologyListener);
        synchronized (queueLock) {
            closing = true;
            queueLock.notifyAll();
        }
        try {
            worker.join(DRAIN_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Refunds the task's hold. */
    private void refund(String taskId) {
        ledger.refund(taskId);
        owners.remove(taskId);
    }

    /**
     * Refunds the holds of tasks whose harbor node is gone (and, at start, of this node's own: it runs none yet).
     *
     * @return how many holds were refunded now
     */
    private int refundOrphans(boolean includingOwn) {
        Set<String> alive = new HashSet<>();
        for (ClusterNode n : ignite.cluster().forServers().nodes()) {
            alive.add(String.valueOf(n.consistentId()));
        }
        int refunded = 0;
        List<Cache.Entry<String, String>> entries = owners.query(new ScanQuery<String, String>()).getAll();
        for (Cache.Entry<String, String> e : entries) {
            boolean orphan = includingOwn && self.equals(e.getValue()) || !alive.contains(e.getValue());
            if (!orphan || books.containsKey(e.getKey())) {
                continue;
            }
            try {
                Transfer r = ledger.refund(e.getKey());
                refunded++;
                log.info("ptorrent credit: task " + e.getKey() + " died with harbor node " + e.getValue() + "; refunded "
                        + credits(r.amount()) + " credits to its account");
            } catch (PtorrentException ex) {
                if (ex.code() != ErrorCode.HOLD_NOT_FOUND && ex.code() != ErrorCode.HOLD_CLOSED) {
                    throw ex;
                }
            }
            owners.remove(e.getKey());
        }
        return refunded;
    }

    private boolean onDiscovery(Event evt) {
        if (evt instanceof DiscoveryEvent d) {
            ClusterNode n = d.eventNode();
            if (evt.type() == EventType.EVT_NODE_JOINED) {
                if (NodeAttributes.isContributor(n)) {
                    enqueue(() -> openContributorAccount(n));
                }
            } else if (!n.isClient()) {
                enqueue(() -> refundOrphans(false));
            }
        }
        return true;
    }

    private void openContributorAccount(ClusterNode n) {
        String account = n.attribute(NodeAttributes.ACCOUNT);
        if (!NodeAttributes.isContributorOf(n, harborName) || account == null) {
            return;
        }
        try {
            Account a = ledger.openAccount(account, account, SlaTier.CONTRIBUTOR, starterGrant.applyAsLong(account));
            log.info("ptorrent credit: contributor " + n.consistentId() + " earns for account " + a.id() + " (balance " + credits(a.balance()) + " credits)");
        } catch (PtorrentException e) {
            log.warning("ptorrent credit: cannot open account '" + account + "' of node " + n.consistentId() + ": " + e.describe());
        }
    }

    /** Pays the fragments accepted so far, in one transaction per batch; one by one if a batch fails. */
    private void payPending() {
        List<Settlement> batch;
        synchronized (queueLock) {
            if (pendingPay.isEmpty()) {
                return;
            }
            int n = Math.min(pendingPay.size(), ledger.configuration().maxBatch());
            batch = new ArrayList<>(pendingPay.subList(0, n));
            pendingPay.subList(0, n).clear();
        }
        try {
            ledger.settleAll(batch);
            batch.forEach(this::contributed);
        } catch (PtorrentException e) {
            if (e.code() == ErrorCode.NOT_READY) {
                putBack(batch);
                throw e;
            }
            for (int i = 0; i < batch.size(); i++) {
                try {
                    payOne(batch.get(i));
                } catch (PtorrentException notReady) {
                    putBack(batch.subList(i, batch.size()));
                    throw notReady;
                }
            }
        }
    }

    /** Returns unpaid settlements to the front of the pending ones, in their order, for the worker's next try. */
    private void putBack(List<Settlement> unpaid) {
        synchronized (queueLock) {
            pendingPay.addAll(0, unpaid);
        }
    }

    /** Pays one fragment; throws NOT_READY (the ledger cannot commit now) for the worker to try again, logs other failures. */
    private void payOne(Settlement s) {
        try {
            ledger.settle(s.taskId(), s.fragment(), s.contributor(), s.amount());
            contributed(s);
        } catch (PtorrentException e) {
            if (e.code() == ErrorCode.NOT_READY && !isClosing()) {
                throw e;
            }
            if (e.code() == ErrorCode.UNKNOWN_ACCOUNT) {
                // Joined before its account was opened (or the open failed): open it now and pay.
                try {
                    ledger.openAccount(s.contributor(), s.contributor(), SlaTier.CONTRIBUTOR, starterGrant.applyAsLong(s.contributor()));
                    ledger.settle(s.taskId(), s.fragment(), s.contributor(), s.amount());
                    contributed(s);
                    return;
                } catch (PtorrentException again) {
                    e = again;
                }
            }
            log.error("ptorrent credit: fragment " + s.taskId() + "/" + s.fragment() + " of " + s.contributor() + " was not paid: " + e.describe());
        }
    }

    /**
     * What the contributor's account gave, for its entitlement. A payment repeated after a failed batch is
     * counted again here (the ledger pays it once): rare, and it only nudges a decaying weight.
     */
    private void contributed(Settlement s) {
        ratio.recordContribution(s.contributor(), s.amount(), clock.instant());
        // Credit the account earned may be what one of its tasks waits for.
        for (TaskEscrow book : books.values()) {
            if (book.starved() && book.account.equals(s.contributor())) {
                requestTopUp(book);
            }
        }
    }

    private void enqueue(Runnable op) {
        synchronized (queueLock) {
            queue.add(op);
            queueLock.notifyAll();
        }
    }

    private void work() {
        long retryMs = 0;
        while (true) {
            Runnable op;
            synchronized (queueLock) {
                while (!closing) {
                    if (anyStarved()) {
                        retryStarvedLocked();
                    }
                    if (!queue.isEmpty()) {
                        break;
                    }
                    try {
                        queueLock.wait(anyStarved() ? EscrowWindow.STARVED_RETRY_MS : 0);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (queue.isEmpty()) {
                    return; // closing, and everything is done
                }
                op = queue.poll();
            }
            try {
                op.run();
                retryMs = 0;
            } catch (PtorrentException e) {
                if (e.code() != ErrorCode.NOT_READY || isClosing()) {
                    log.error("ptorrent credit: a ledger operation failed: " + e, e);
                    continue;
                }
                // The ledger cannot commit now (a harbor left, the topology is changing): the operation goes back to the
                // head of the queue and runs again after a pause, so that nothing is dropped and the order holds
                // (a task's payments before its refund). Dropping it lost payments and left holds open (ChaosRun).
                retryMs = retryMs == 0 ? RETRY_FIRST_MS : Math.min(RETRY_MAX_MS, retryMs * 2);
                log.warning("ptorrent credit: the ledger cannot commit now (" + e.getMessage() + "); trying again in " + retryMs + " ms");
                synchronized (queueLock) {
                    queue.addFirst(op);
                    long until = System.nanoTime() + retryMs * 1_000_000;
                    // New operations wake the lock; the pause still lasts (a closing harbor ends it).
                    for (long left = retryMs; left > 0 && !closing; left = (until - System.nanoTime()) / 1_000_000) {
                        try {
                            queueLock.wait(left);
                        } catch (InterruptedException ie) {
                            return;
                        }
                    }
                }
            } catch (RuntimeException e) {
                log.error("ptorrent credit: a ledger operation failed: " + e, e);
            }
        }
    }

    private boolean isClosing() {
        synchronized (queueLock) {
            return closing;
        }
    }

    /**
     * The best measured PU per core among this harbor's contributors now (1.0, one reference core, while none
     * is measured): a claim raises no escrow.
     */
    private double bestPuPerCore() {
        List<ClusterNode> mine = new ArrayList<>();
        for (ClusterNode n : ignite.cluster().forClients().nodes()) {
            if (NodeAttributes.isContributorOf(n, harborName)) {
                mine.add(n);
            }
        }
        double best = speeds.best(mine);
        return best > 0 ? best : 1.0;
    }

    /** The cores this harbor's contributors share (as they said when they joined), at least 1: what can run at once. */
    private int sharedCores() {
        int cores = 0;
        for (ClusterNode n : ignite.cluster().forClients().nodes()) {
            if (NodeAttributes.isContributorOf(n, harborName)) {
                cores += Math.max(0, NodeAttributes.intAttr(n, NodeAttributes.SHARED_CORES));
            }
        }
        return Math.max(1, cores);
    }

    private static CacheConfiguration<String, String> tasksCache(CreditConfiguration cfg) {
        return new CacheConfiguration<String, String>(TASKS_CACHE)
                .setAtomicityMode(CacheAtomicityMode.ATOMIC)
                .setBackups(1)
                .setWriteSynchronizationMode(CacheWriteSynchronizationMode.FULL_SYNC)
                .setPartitionLossPolicy(PartitionLossPolicy.READ_WRITE_SAFE)
                .setAffinity(new RendezvousAffinityFunction(false, 16))
                .setDataRegionName(cfg.dataRegion());
    }

    static String credits(long milliPuSeconds) {
        return String.format(java.util.Locale.ROOT, "%.3f", milliPuSeconds / (double) CreditSpi.UNITS_PER_CREDIT);
    }

    /** Milli-PU-seconds at {@code price} credits per PU-second, in milli-credits, rounded up (a hold must cover). */
    static long atPrice(long milliPuSeconds, double price) {
        return Math.max(1, (long) Math.ceil(milliPuSeconds * price));
    }
}
