package io.ptorrent.credit.ratio;

import io.ptorrent.credit.Account;
import io.ptorrent.credit.CreditSpi;
import io.ptorrent.credit.SlaTier;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The ratio engine: "give all you need, bring all you don't need". It turns what accounts gave (contribution),
 * what they hold (balance) and their SLA tier into the share of the grid each may use under contention, and
 * sets the credit price of a PU-second from a forecast of supply and demand.
 *
 * <p><b>Rules.</b>
 * <ul>
 *   <li>An account's <em>weight</em> is its contribution decayed with a half-life (HTCondor's user priority
 *       decays the same way), plus {@code balanceWeight} × its balance in PU-seconds at the current price.
 *       Contribution comes first; the balance lets an account that gave earlier, or was granted credit, still
 *       claim a share. A higher price (scarce supply) makes credit buy less standing.</li>
 *   <li>Among the accounts with demand, entitled accounts share the grid in proportion to weight. A
 *       {@code GUARANTEED} account always counts as entitled and gets at least its configured minimum share
 *       (water-filling: floors first, the rest by weight; floors are scaled down if they add up to more
 *       than 1).</li>
 *   <li>A {@code FREE} account, and any account with neither contribution nor credit, gets share 0 while an
 *       entitled account has demand: it runs only on capacity nobody entitled wants (the {@link FairQueue}
 *       gives it that capacity, work-conserving). When only such accounts have demand they share the grid
 *       equally.</li>
 *   <li>Price of a PU-second = base price × forecast demand / forecast supply, clamped to
 *       [{@code minPriceFactor}, {@code maxPriceFactor}] × base: credit gets dearer when more work is
 *       expected than the grid can serve, cheaper when capacity goes begging, and never runs away on a bad
 *       forecast. Until a model is trained the forecast is the last observed interval.</li>
 * </ul>
 *
 * <p><b>Callers.</b> The harbor's scheduler: {@link #onAccount} when it reads an account from the ledger,
 * {@link #recordContribution} for each settled fragment, {@link #recordInterval} once per interval from a timer
 * (it may train the forecast models, ~100 ms, outside the engine's lock), {@link #entitlements} when it orders
 * work. Time comes from the injected clock.
 *
 * <p><b>JVM.</b> Ignite ML's vectors load Ignite's {@code GridUnsafe}: the JVM needs Ignite's {@code --add-opens}
 * flags (FACTS.md), as every harbor has.
 *
 * <p><b>Threads.</b> Thread-safe: one lock guards the state; no call blocks on I/O or the cluster. Calls of
 * {@link #recordInterval} must not overlap each other (one timer thread). Arguments are never null; amounts
 * are milli-PU-seconds as in the ledger ({@link CreditSpi#UNITS_PER_CREDIT}).
 */
public final class RatioEngine implements FairQueue.EntitlementSource {
    private final RatioConfiguration cfg;
    private final Clock clock;
    private final double halfLifeMillis;
    private final Map<String, AccountState> accounts = new HashMap<>();
    private final SupplyDemandForecaster forecaster;
    private Instant lastInterval = Instant.EPOCH;

    /** One account as the engine knows it; contribution decayed to {@code asOf}. */
    private static final class AccountState {
        SlaTier tier = SlaTier.CONTRIBUTOR;
        long balance;
        double contribution;
        Instant asOf;
    }

    public RatioEngine(RatioConfiguration cfg, Clock clock) {
        this.cfg = Objects.requireNonNull(cfg, "cfg").validatedCopy();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.halfLifeMillis = this.cfg.halfLife().toMillis();
        this.forecaster = new SupplyDemandForecaster(this.cfg);
    }

    /** Takes the account's tier and balance as the ledger committed them. An account never seen is a {@code CONTRIBUTOR} with balance 0. */
    public synchronized void onAccount(Account account) {
        AccountState a = state(account.id());
        a.tier = account.tier();
        a.balance = account.balance();
    }

    /**
     * Credits an account with work its machine did for the grid (PU-seconds the harbor measured and accepted).
     *
     * @param milliPuSeconds ≥ 0
     * @param at             when the work was done (a settlement's time); may be earlier than earlier calls
     */
    public synchronized void recordContribution(String account, long milliPuSeconds, Instant at) {
        Objects.requireNonNull(at, "at");
        if (milliPuSeconds < 0) {
            throw new IllegalArgumentException("a contribution is never negative: " + milliPuSeconds);
        }
        AccountState a = state(account);
        if (a.asOf == null) {
            a.asOf = at;
            a.contribution = milliPuSeconds;
        } else if (!at.isBefore(a.asOf)) {
            a.contribution = a.contribution * decay(a.asOf, at) + milliPuSeconds;
            a.asOf = at;
        } else {
            a.contribution += milliPuSeconds * decay(at, a.asOf);
        }
    }

    /** The account's contribution decayed to now, in milli-PU-seconds. */
    public synchronized double contribution(String account) {
        AccountState a = accounts.get(Objects.requireNonNull(account, "account"));
        return a == null ? 0 : decayedContribution(a, clock.instant());
    }

    /**
     * Records one interval of grid supply and demand and updates the forecast and the price; trains the
     * forecast models when due (outside the lock). Samples are one per interval, in order.
     */
    public void recordInterval(GridSample sample) {
        Objects.requireNonNull(sample, "sample");
        double[][] snapshot;
        synchronized (this) {
            if (sample.end().isBefore(lastInterval)) {
                throw new IllegalArgumentException("intervals come in order: " + sample.end() + " is before " + lastInterval);
            }
            lastInterval = sample.end();
            snapshot = forecaster.observe(sample.supplyPu(), sample.demandPu()) ? forecaster.snapshot() : null;
        }
        if (snapshot != null) {
            SupplyDemandForecaster.Models models = SupplyDemandForecaster.train(snapshot, cfg.lags());
            synchronized (this) {
                forecaster.install(models);
            }
        }
    }

    /** The forecast for the next interval, the price set from it, and the measured forecast errors. */
    public synchronized Forecast forecast() {
        SupplyDemandForecaster.Models m = forecaster.models();
        return new Forecast(lastInterval, forecaster.nextSupply(), forecaster.nextDemand(), price(),
                m.supply() == null ? Forecast.Source.NAIVE : Forecast.Source.MODEL,
                m.demand() == null ? Forecast.Source.NAIVE : Forecast.Source.MODEL,
                m.trainedOn(), m.heldOutSupply(), m.heldOutDemand(), forecaster.liveSupply(), forecaster.liveDemand());
    }

    /** Credits per PU-second now (the base price before any interval is recorded). */
    public synchronized double price() {
        if (!forecaster.hasHistory()) {
            return cfg.basePrice();
        }
        double supply = forecaster.nextSupply();
        double demand = forecaster.nextDemand();
        double ratio = supply > 0 ? demand / supply : demand > 0 ? Double.POSITIVE_INFINITY : 1;
        return cfg.basePrice() * Math.max(cfg.minPriceFactor(), Math.min(cfg.maxPriceFactor(), ratio));
    }

    /** The account's weight now: decayed contribution plus weighted balance, in PU-seconds (see the class comment). */
    public synchronized double weight(String account) {
        AccountState a = accounts.get(Objects.requireNonNull(account, "account"));
        return a == null ? 0 : weight(a, clock.instant(), price());
    }

    /**
     * The shares of the grid of the accounts that have demand now (queued or running work); they sum to 1.
     * Unknown accounts count as {@code CONTRIBUTOR}s with nothing given and no credit.
     */
    @Override
    public synchronized Entitlements entitlements(Collection<String> withDemand) {
        Instant now = clock.instant();
        double price = price();
        Map<String, Double> shares = new HashMap<>();
        List<String> entitled = new ArrayList<>();
        Map<String, Double> weights = new HashMap<>();
        for (String id : new HashSet<>(withDemand)) {
            AccountState a = accounts.get(Objects.requireNonNull(id, "account"));
            SlaTier tier = a == null ? SlaTier.CONTRIBUTOR : a.tier;
            double w = a == null ? 0 : weight(a, now, price);
            shares.put(id, 0.0);
            if (tier == SlaTier.GUARANTEED || (tier == SlaTier.CONTRIBUTOR && w > 0)) {
                entitled.add(id);
                weights.put(id, w);
            }
        }
        if (!entitled.isEmpty()) {
            shares.putAll(divide(entitled, weights));
        } else if (!shares.isEmpty()) {
            // Nobody entitled wants the grid: whoever asks shares it equally (work-conserving).
            double each = 1.0 / shares.size();
            shares.replaceAll((id, s) -> each);
        }
        return new Entitlements(now, shares, price);
    }

    /** Water-filling: guaranteed floors first, the rest in proportion to weight. */
    private Map<String, Double> divide(List<String> entitled, Map<String, Double> weights) {
        Map<String, Double> floors = new HashMap<>();
        double floorSum = 0;
        for (String id : entitled) {
            AccountState a = accounts.get(id);
            if (a != null && a.tier == SlaTier.GUARANTEED) {
                double f = cfg.guaranteedShare(id);
                floors.put(id, f);
                floorSum += f;
            }
        }
        Map<String, Double> shares = new HashMap<>();
        if (floorSum >= 1) {
            // More promised than the grid has: the guaranteed accounts split it in proportion to their floors.
            for (String id : entitled) {
                Double f = floors.get(id);
                shares.put(id, f == null ? 0 : f / floorSum);
            }
            return shares;
        }
        Set<String> pinned = new HashSet<>();
        while (true) {
            double budget = 1;
            double w = 0;
            int free = 0;
            for (String id : entitled) {
                if (pinned.contains(id)) {
                    budget -= floors.get(id);
                } else {
                    w += weights.get(id);
                    free++;
                }
            }
            boolean changed = false;
            for (String id : entitled) {
                if (pinned.contains(id)) {
                    shares.put(id, floors.get(id));
                    continue;
                }
                double s = w > 0 ? budget * weights.get(id) / w : budget / free;
                shares.put(id, s);
                Double f = floors.get(id);
                if (f != null && s < f) {
                    pinned.add(id);
                    changed = true;
                }
            }
            if (!changed) {
                double sum = shares.values().stream().mapToDouble(Double::doubleValue).sum();
                shares.replaceAll((id, x) -> x / sum);
                return shares;
            }
        }
    }

    private double weight(AccountState a, Instant now, double price) {
        double credits = Math.max(0, a.balance) / (double) CreditSpi.UNITS_PER_CREDIT;
        return decayedContribution(a, now) / CreditSpi.UNITS_PER_CREDIT + cfg.balanceWeight() * credits / price;
    }

    private double decayedContribution(AccountState a, Instant now) {
        return a.asOf == null ? 0 : now.isAfter(a.asOf) ? a.contribution * decay(a.asOf, now) : a.contribution;
    }

    /** 2^(−(to − from) / halfLife). */
    private double decay(Instant from, Instant to) {
        return Math.pow(0.5, Duration.between(from, to).toMillis() / halfLifeMillis);
    }

    private AccountState state(String id) {
        return accounts.computeIfAbsent(Objects.requireNonNull(id, "account"), k -> new AccountState());
    }
}
