package io.ptorrent.plugin.credit;

import admissiontest.BusyClosures;
import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.PtorrentClientOptions;
import io.ptorrent.client.SerializableCallable;
import io.ptorrent.client.TaskHandle;
import io.ptorrent.credit.CreditConfiguration;
import io.ptorrent.credit.CreditSpi;
import io.ptorrent.credit.SlaTier;
import io.ptorrent.credit.Transfer;
import io.ptorrent.credit.ratio.JainIndex;
import io.ptorrent.credit.ratio.RatioConfiguration;
import io.ptorrent.credit.ratio.RatioEngine;
import io.ptorrent.plugin.PtorrentPlugin;
import io.ptorrent.plugin.scheduler.FragmentScheduler;
import io.ptorrent.plugin.testing.TestGrid;
import org.apache.ignite.Ignite;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.awaitility.Awaitility.await;

/**
 * Fairness on a real grid (issue 5): three accounts whose past contribution is 1:2:4 compete for a saturated
 * grid, and the work each receives follows its entitlement; a free rider gets nothing of a contended grid
 * and all of an idle one.
 *
 * <p><b>Set-up.</b> One harbor with credit; one contributor, {@code w}, sharing 2 cores and running the work
 * in real sandbox workers. Accounts {@code a1}, {@code a2}, {@code a4} are opened by the operator; their past
 * contribution (1, 2 and 4 core-days: 86,400 × k PU-seconds) is <em>recorded into the harbor's
 * {@link RatioEngine} with {@code recordContribution}</em>, as the harbor's credit does for each payment,
 * rather than earned by running work first: earning four core-days would take days, and earning a few
 * seconds would leave the 1:2:4 ratio to the noise of the nodes' PU scores and of the balance term. Their
 * balances (the starter grant, less what they pay) add 0.1 × balance to the weight, under 0.5% here; the
 * entitled shares the test compares with are the engine's own, read from the scheduler under contention.
 * {@code fred} is opened with tier {@code FREE} and the same starter grant: he pays for his work but is owed
 * no share.
 *
 * <p><b>Saturation.</b> {@code w} starts sharing 0 cores, so that each account's task of {@value #FRAGMENTS}
 * fragments of {@value #BUSY_MS} ms of CPU is queued at the harbor before any fragment runs; then {@code w}
 * shares its 2 cores. One task per account: all of its work is in the harbor's queue from the start, and the
 * ledger tells per fragment who received what. What an account received is read from the ledger: the
 * payments to {@code w} for its fragments
 * (harbor-measured time × PU per core × price, so proportional to the PU-seconds it got), in the order the
 * harbor accepted them (ledger ids), up to the last fragment of the first account whose work ran out: until
 * then all four competed.
 *
 * <p><b>What fails on an unfair queue.</b> In arrival order (FIFO) the account whose task arrived first would
 * get the whole grid until its work ran out (Jain's index 1/3 over a1, a2, a4; fred everything if his came
 * first). A queue fair per account but blind to entitlements would give each of the four a quarter:
 * {@code received/entitled} of a1, a2, a4 would be (7/3, 7/6, 7/12), Jain's index 0.78, below the 0.9
 * asserted, and fred 25%, not at most 5%. The test computes that figure from the measured entitlements and
 * checks that the threshold tells it apart.
 *
 * <p><b>Idle grid.</b> Then the others' remaining work is cancelled; with only fred's work left his
 * entitlement is 1 and every shared core runs his fragments (100% of the grid, where the issue asks ≥ 80%),
 * until his task is done.
 *
 * <p>Figures are printed ({@code FAIRNESS ...}) for docs/RATIO.md. Ports 51600–51799.
 */
class FairnessIT {
    private static final int BASE_PORT = 51600;
    /** Fragments of each account's task. */
    private static final int FRAGMENTS = 24;
    private static final long BUSY_MS = 300;
    private static final int CORES = 2;
    private static final List<String> ENTITLED = List.of("a1", "a2", "a4");
    private static final String FRED = "fred";
    private static final List<String> ACCOUNTS = List.of("a1", "a2", "a4", FRED);
    /** The past contribution of a1, a2, a4: 1, 2 and 4 core-days, in milli-PU-seconds. */
    private static final Map<String, Long> CONTRIBUTION = Map.of(
            "a1", 86_400L * CreditSpi.UNITS_PER_CREDIT, "a2", 2 * 86_400L * CreditSpi.UNITS_PER_CREDIT, "a4", 4 * 86_400L * CreditSpi.UNITS_PER_CREDIT);
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final double JAIN_THRESHOLD = 0.9;

    @Test
    void receivedSharesFollowEntitlementsAndAFreeRiderGetsOnlyWhatNobodyEntitledWants() {
        try (TestGrid grid = new TestGrid(BASE_PORT)) {
            Ignite harbor = grid.startHarbor("harbor", false, c -> c.setConsolePort(0)
                    .setCredit(new CreditConfiguration())
                    // No interval closes while the test runs: the price stays at its base, the shares where the accounts put them.
                    .setRatio(new RatioConfiguration().setInterval(Duration.ofHours(1)))
                    .setOpenAccounts(ENTITLED));
            PtorrentPlugin plugin = PtorrentPlugin.of(harbor);
            CreditSpi ledger = plugin.credit();
            ledger.openAccount(FRED, FRED, SlaTier.FREE);
            RatioEngine ratio = plugin.ratio();
            Instant now = Instant.now();
            CONTRIBUTION.forEach((account, milliPu) -> ratio.recordContribution(account, milliPu, now));
            Ignite w = grid.startContributor("w", c -> c.setSharedCores(0).setAccount("w"));
            FragmentScheduler scheduler = plugin.scheduler();

            Map<String, PtorrentClient> clients = new LinkedHashMap<>();
            Map<String, TaskHandle<List<Integer>>> tasks = new LinkedHashMap<>();
            try {
                for (String account : ACCOUNTS) {
                    PtorrentClient client = client(grid, account);
                    clients.put(account, client);
                    List<SerializableCallable<Integer>> work = new ArrayList<>();
                    for (int i = 0; i < FRAGMENTS; i++) {
                        work.add(BusyClosures.busy(BUSY_MS, i));
                    }
                    tasks.put(account, client.submitAll(work));
                }
                // Nothing runs until every account's work is queued: then all four compete from the first fragment.
                await().atMost(PATIENCE).until(() -> plugin.gridSnapshot().queuedFragments() == ACCOUNTS.size() * FRAGMENTS);

                // Under contention entitlements follow contribution (the balances add a little), the free rider is owed nothing.
                Map<String, Double> entitled = new LinkedHashMap<>();
                for (String a : ENTITLED) {
                    entitled.put(a, scheduler.standing(a).entitlement());
                }
                assertThat(scheduler.standing(FRED).entitlement()).isZero();
                assertThat(entitled.get("a2") / entitled.get("a1")).isCloseTo(2.0, offset(0.05));
                assertThat(entitled.get("a4") / entitled.get("a1")).isCloseTo(4.0, offset(0.1));

                PtorrentPlugin.of(w).share().sharedCores(CORES);
                // The first account whose work runs out; its result arrives after its payments and refund are in the ledger.
                String first = await().atMost(PATIENCE).until(
                        () -> ACCOUNTS.stream().filter(a -> tasks.get(a).result().isDone()).findFirst(), Optional::isPresent).orElseThrow();
                assertThat(tasks.get(first).result()).isCompleted();

                // What each account received while all competed: its payments to w, in the order the harbor accepted
                // the fragments (ledger ids), up to the first account's last one.
                Map<String, String> accountOfTask = new HashMap<>();
                List<Transfer> payments = payments(ledger, "w");
                Map<String, Long> received = new LinkedHashMap<>();
                Map<String, Integer> fragments = new LinkedHashMap<>();
                ACCOUNTS.forEach(a -> received.put(a, 0L));
                ACCOUNTS.forEach(a -> fragments.put(a, 0));
                String lastOfFirst = null;
                for (Transfer t : payments) {
                    String taskId = t.from().substring("escrow:".length());
                    if (first.equals(accountOfTask.computeIfAbsent(taskId, id -> ledger.findHold(id).orElseThrow().account()))) {
                        lastOfFirst = t.key();
                    }
                }
                for (Transfer t : payments) {
                    String account = accountOfTask.get(t.from().substring("escrow:".length()));
                    received.merge(account, t.amount(), Long::sum);
                    fragments.merge(account, 1, Integer::sum);
                    if (t.key().equals(lastOfFirst)) {
                        break;
                    }
                }
                assertThat(fragments.get(first)).isEqualTo(FRAGMENTS);

                double total = received.values().stream().mapToLong(Long::longValue).sum();
                double[] x = new double[ENTITLED.size()];
                StringBuilder figures = new StringBuilder();
                for (int i = 0; i < ENTITLED.size(); i++) {
                    String a = ENTITLED.get(i);
                    double share = received.get(a) / total;
                    x[i] = share / entitled.get(a);
                    figures.append(String.format(Locale.ROOT, " %s entitled %.3f received %.3f (%d fragments, %.2f credits each);",
                            a, entitled.get(a), share, fragments.get(a), received.get(a) / (double) CreditSpi.UNITS_PER_CREDIT / fragments.get(a)));
                }
                double jain = JainIndex.of(x);
                double fredShare = received.get(FRED) / total;
                // An entitlement-blind queue that is fair per account would give each of the four a quarter.
                double[] equal = new double[ENTITLED.size()];
                for (int i = 0; i < ENTITLED.size(); i++) {
                    equal[i] = 0.25 / entitled.get(ENTITLED.get(i));
                }
                double jainEqual = JainIndex.of(equal);
                System.out.printf(Locale.ROOT, "FAIRNESS contended (until %s's work ran out):%s fred received %.3f (%d fragments);"
                        + " Jain's index %.3f (equal split: %.3f, fred 0.250; arrival order: 0.333)%n",
                        first, figures, fredShare, fragments.get(FRED), jain, jainEqual);

                assertThat(jainEqual).as("the threshold fails an entitlement-blind split").isLessThan(JAIN_THRESHOLD);
                assertThat(jain).as("Jain's index over received/entitled").isGreaterThanOrEqualTo(JAIN_THRESHOLD);
                assertThat(fredShare).as("the free rider's share under contention").isLessThanOrEqualTo(0.05);

                // The grid goes idle but for fred: the others' remaining work is cancelled.
                for (String a : ENTITLED) {
                    tasks.get(a).cancel();
                }
                // Only fred has work (an entitled account with work would leave him 0) and every shared core runs it.
                await().atMost(PATIENCE).until(() -> scheduler.standing(FRED).entitlement() == 1.0
                        && plugin.gridSnapshot().runningFragments() == CORES);
                assertThat(tasks.get(FRED).result()).succeedsWithin(PATIENCE).asList().hasSize(FRAGMENTS);
                System.out.printf(Locale.ROOT, "FAIRNESS idle: fred entitled 1.000, his fragments on all %d shared cores, his task done%n", CORES);
            } finally {
                clients.values().forEach(PtorrentClient::close);
            }
        }
    }

    /** The payments (settlements) to the account, oldest first. */
    private static List<Transfer> payments(CreditSpi ledger, String account) {
        List<Transfer> all = new ArrayList<>();
        for (int page = 0; ; page++) {
            List<Transfer> p = ledger.ledger(account, page, 1000);
            all.addAll(p);
            if (p.size() < 1000) {
                break;
            }
        }
        return all.stream().filter(t -> t.kind() == Transfer.Kind.SETTLE && t.to().equals(account))
                .sorted(Comparator.comparingLong(Transfer::id)).toList();
    }

    private static PtorrentClient client(TestGrid grid, String account) {
        return PtorrentClient.connect(grid.clientOptions(account)
                .fragmentTimeout(Duration.ofSeconds(20)).timeout(PATIENCE));
    }
}
