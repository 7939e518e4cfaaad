package io.ptorrent.credit.ratio;

import io.ptorrent.credit.Account;
import io.ptorrent.credit.CreditConfiguration;
import io.ptorrent.credit.CreditSpi;
import io.ptorrent.credit.SlaTier;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * A deterministic discrete-event simulation of a saturated grid: three accounts contribute machines in the
 * ratio 1:2:4 (1, 2 and 4 nodes of 1 PU) and keep work queued, a free rider ({@code FREE} tier, no machine)
 * too; the harbor hands fragments out through a {@link FairQueue} fed by a {@link RatioEngine} (or, as the
 * baseline, a plain FIFO). Each completed fragment credits the owner of the node that ran it. Time is a
 * {@link MutableClock}: the run takes a fraction of a second and gives the same figures every time.
 *
 * <p>Phases: a warm-up under contention (contributions build up; not measured), a measured hour under
 * contention, then the three contributors stop submitting and the free rider is alone (measured after the
 * others' queued work drained). Shared by {@code FairnessSimulationTest} and the bench's {@code RatioBenchmark}.
 */
public final class FairnessSimulation {
    public static final String RIDER = "rider";
    /** Contributors and their nodes: 1:2:4. */
    public static final Map<String, Integer> NODES = Map.of("a", 1, "b", 2, "c", 4);
    /** Mean PU-seconds of each account's fragments: different on purpose, shares are in PU-seconds, not fragments. */
    private static final Map<String, Double> MEAN_COST = Map.of("a", 2.0, "b", 1.0, "c", 0.5, RIDER, 1.0);
    private static final List<String> ACCOUNTS = List.of("a", "b", "c", RIDER);
    private static final Instant T0 = Instant.parse("2026-11-26T00:00:00Z");
    private static final Duration INTERVAL = Duration.ofMinutes(1);
    private static final Duration WARM_UP = Duration.ofHours(1);
    private static final Duration CONTENTION = Duration.ofHours(1);
    private static final Duration IDLE = Duration.ofMinutes(40);
    /** The others' queued fragments drain within this after they stop submitting; the idle phase is measured after it. */
    private static final Duration DRAIN = Duration.ofMinutes(10);
    private static final int BACKLOG = 16;

    /** How the harbor orders its queue in a run. */
    public enum Policy {
        /** {@link FairQueue} with the {@link RatioEngine}'s entitlements. */
        FAIR,
        /** One FIFO over all accounts' fragments, in submission order (the baseline). */
        FIFO
    }

    /**
     * @param receivedShare  PU-seconds each account received under contention / all PU-seconds served then
     * @param entitledShare  each account's entitlement, averaged over the intervals of the contention phase
     * @param jain           Jain's index over the three contributors' received / entitled
     * @param riderContended the free rider's received share under contention
     * @param riderIdle      the free rider's PU-seconds over the grid's capacity while alone
     * @param dispatches     fragments handed out in the whole run
     * @param forecast       the engine's forecast at the end
     */
    public record Result(Policy policy, Map<String, Double> receivedShare, Map<String, Double> entitledShare, double jain,
                         double riderContended, double riderIdle, long dispatches, Forecast forecast) {
    }

    private record Fragment(String account, double cost) {
    }

    private record Running(double end, int node, Fragment fragment) {
    }

    private final Policy policy;
    private final Random random;
    private final MutableClock clock = new MutableClock(T0);
    private final RatioEngine engine;
    private final FairQueue<Fragment> fair;
    private final ArrayDeque<Fragment> fifo = new ArrayDeque<>();
    private final Map<String, Integer> queued = new LinkedHashMap<>();
    private final List<String> owners = new ArrayList<>();

    private FairnessSimulation(Policy policy, long seed) {
        this.policy = policy;
        this.random = new Random(seed);
        this.engine = new RatioEngine(new RatioConfiguration().setHalfLife(Duration.ofHours(1)).setInterval(INTERVAL)
                .setLags(10).setMinTrainingSamples(60).setRetrainEvery(30), clock);
        this.fair = new FairQueue<>(engine);
        for (String account : ACCOUNTS) {
            SlaTier tier = account.equals(RIDER) ? SlaTier.FREE : SlaTier.CONTRIBUTOR;
            // Everyone starts with the ledger's starter grant.
            engine.onAccount(new Account(account, account, tier, T0, CreditConfiguration.DEFAULT_STARTER_GRANT, 0, 0, 0));
            queued.put(account, 0);
        }
        NODES.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> owners.addAll(java.util.Collections.nCopies(e.getValue(), e.getKey())));
    }

    /** Runs the three phases with the given ordering policy; the same seed gives the same result. */
    public static Result run(Policy policy, long seed) {
        return new FairnessSimulation(policy, seed).run();
    }

    private Result run() {
        double start = 0;
        double contentionStart = start + WARM_UP.toSeconds();
        double idleStart = contentionStart + CONTENTION.toSeconds();
        double idleMeasured = idleStart + DRAIN.toSeconds();
        double end = idleStart + IDLE.toSeconds();
        Map<String, Double> received = new LinkedHashMap<>();
        Map<String, Double> entitled = new LinkedHashMap<>();
        double riderIdle = 0;
        int contentionIntervals = 0;
        long dispatches = 0;

        PriorityQueue<Running> running = new PriorityQueue<>((x, y) -> x.end() != y.end() ? Double.compare(x.end(), y.end()) : Integer.compare(x.node(), y.node()));
        List<String> submitting = new ArrayList<>(ACCOUNTS);
        topUp(submitting);
        double now = 0;
        double nextInterval = INTERVAL.toSeconds();
        for (int node = 0; node < owners.size(); node++) {
            running.add(start(node, now));
            dispatches++;
        }
        while (now < end) {
            Running r = running.peek();
            if (nextInterval <= r.end()) {
                now = nextInterval;
                clock.advance(Duration.ofMillis(Math.round(now * 1000) - (clock.instant().toEpochMilli() - T0.toEpochMilli())));
                if (now > idleStart) {
                    submitting = List.of(RIDER);
                }
                interval(now);
                if (now > contentionStart && now <= idleStart) {
                    contentionIntervals++;
                    for (String a : ACCOUNTS) {
                        entitled.merge(a, share(a), Double::sum);
                    }
                }
                nextInterval += INTERVAL.toSeconds();
                continue;
            }
            running.poll();
            now = r.end();
            clock.advance(Duration.ofMillis(Math.round(now * 1000) - (clock.instant().toEpochMilli() - T0.toEpochMilli())));
            Fragment f = r.fragment();
            fair.onCompleted(f.account(), f.cost());
            engine.recordContribution(owners.get(r.node()), Math.round(f.cost() * CreditSpi.UNITS_PER_CREDIT), clock.instant());
            if (now > contentionStart && now <= idleStart) {
                received.merge(f.account(), f.cost(), Double::sum);
            } else if (now > idleMeasured && f.account().equals(RIDER)) {
                riderIdle += f.cost();
            }
            topUp(submitting);
            Running next = start(r.node(), now);
            if (next != null) {
                running.add(next);
                dispatches++;
            }
        }
        double total = received.values().stream().mapToDouble(Double::doubleValue).sum();
        Map<String, Double> receivedShare = new LinkedHashMap<>();
        Map<String, Double> entitledShare = new LinkedHashMap<>();
        double[] ratio = new double[NODES.size()];
        int i = 0;
        for (String a : ACCOUNTS) {
            receivedShare.put(a, received.getOrDefault(a, 0.0) / total);
            entitledShare.put(a, entitled.getOrDefault(a, 0.0) / contentionIntervals);
            if (!a.equals(RIDER)) {
                ratio[i++] = receivedShare.get(a) / entitledShare.get(a);
            }
        }
        double capacity = owners.size() * (end - idleMeasured);
        return new Result(policy, receivedShare, entitledShare, JainIndex.of(ratio), receivedShare.get(RIDER), riderIdle / capacity,
                dispatches, engine.forecast());
    }

    /** The entitlement the engine gives the account among all four (the FIFO ignores it, but is measured against it). */
    private double share(String account) {
        return engine.entitlements(ACCOUNTS).share(account);
    }

    /** One interval ends: the grid's supply and demand go to the engine; the queue asks for fresh entitlements. */
    private void interval(double now) {
        double queuedWork = 0;
        for (Map.Entry<String, Integer> e : queued.entrySet()) {
            queuedWork += e.getValue() * MEAN_COST.get(e.getKey());
        }
        engine.recordInterval(new GridSample(clock.instant(), owners.size(), owners.size() + queuedWork / INTERVAL.toSeconds()));
        if (policy == Policy.FAIR) {
            fair.refresh();
        }
    }

    private void topUp(List<String> accounts) {
        for (String a : accounts) {
            while (queued.get(a) < BACKLOG) {
                // Uniform in [0.5, 1.5] × the account's mean.
                Fragment f = new Fragment(a, MEAN_COST.get(a) * (0.5 + random.nextDouble()));
                queued.merge(a, 1, Integer::sum);
                if (policy == Policy.FAIR) {
                    fair.add(a, f);
                } else {
                    fifo.addLast(f);
                }
            }
        }
    }

    private Running start(int node, double now) {
        Fragment f = policy == Policy.FAIR ? fair.poll(x -> true) : fifo.pollFirst();
        if (f == null) {
            return null;
        }
        queued.merge(f.account(), -1, Integer::sum);
        // Every node runs at 1 PU: a fragment of c PU-seconds takes c seconds.
        return new Running(now + f.cost(), node, f);
    }
}
