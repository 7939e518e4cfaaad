package io.ptorrent.plugin.admission;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.plugin.share.Allowance;
import io.ptorrent.plugin.share.OwnerActivity;
import io.ptorrent.plugin.share.ShareRules;
import io.ptorrent.plugin.share.ShareRulesStore;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteLogger;
import org.apache.ignite.events.DiscoveryEvent;
import org.apache.ignite.events.Event;
import org.apache.ignite.events.EventType;
import org.apache.ignite.lang.IgnitePredicate;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A contributor's share, changeable while it runs: the cores it gives to the grid now.
 *
 * <p>Without share rules that is the configured {@code sharedCores}; with rules it is what the rules allow
 * at this moment (windows, owner active or idle, caps), re-evaluated every second. Either way it is none
 * while automatic mode sees the owner busy. A change takes effect at once on this node (admission hands
 * back or starts fragments) and reaches every harbor as a share offer, so that no harbor maps work onto
 * cores that are no longer shared. Rules set at run time are saved in the node's work directory and win
 * over the config file's at the next start. Thread-safe.
 */
public final class ShareControl {
    /** The file, in the node's work directory, that keeps rules set at run time. */
    public static final String RULES_FILE = "share-rules.json";
    static final Duration REEVALUATE = Duration.ofSeconds(1);

    private final Ignite ignite;
    private final AdmissionCollisionSpi admission;
    private final int machineCores;
    private final Clock clock;
    private final Path rulesFile;
    private final ShareRulesStore store;
    private final IgnitePredicate<Event> harborJoined;
    private final ScheduledExecutorService timer;
    private int configured;
    private ShareRules rules;
    private boolean ownerActive;
    private Instant ownerQuietSince;
    private String reason = "";

    /**
     * @param rules     the rules to start with (null: share {@code admission}'s initial slots at all times)
     * @param rulesFile where rules set at run time are saved
     */
    public ShareControl(Ignite ignite, AdmissionCollisionSpi admission, int machineCores, long machineMemoryMb,
                        ShareRules rules, Path rulesFile, Clock clock) {
        this.ignite = ignite;
        this.admission = admission;
        this.machineCores = machineCores;
        this.clock = clock;
        this.rulesFile = rulesFile;
        this.store = new ShareRulesStore(machineCores, machineMemoryMb);
        this.configured = admission.slots();
        this.rules = rules;
        this.ownerQuietSince = clock.instant();
        // A harbor that joins later has only our join-time attribute: tell it the current offer.
        this.harborJoined = evt -> {
            if (evt instanceof DiscoveryEvent d && !d.eventNode().isClient()) {
                ShareOffers.publish(ignite, admission.slots());
            }
            return true;
        };
        ignite.events().localListen(harborJoined, EventType.EVT_NODE_JOINED);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ptorrent-share-rules");
            t.setDaemon(true);
            return t;
        });
        // Windows open and close with the clock: look again every second.
        timer.scheduleAtFixedRate(this::reevaluate, 0, REEVALUATE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The rules this node starts with: those saved at run time if there are good ones, else the config's.
     * A bad saved file is reported and skipped: the node keeps the last good rules it has.
     */
    public static ShareRules startingRules(ShareRules fromConfig, Path rulesFile, int machineCores, long machineMemoryMb, IgniteLogger log) {
        try {
            return new ShareRulesStore(machineCores, machineMemoryMb).load(rulesFile).orElse(fromConfig);
        } catch (PtorrentException | java.io.UncheckedIOException e) {
            log.warning(e.getMessage() + "; keeping the config's rules");
            return fromConfig;
        }
    }

    /** Cores shared now: 0 while the owner is busy, else what the rules or the configured share allow. */
    public int sharedCores() {
        return admission.slots();
    }

    /** Why the node shares what it shares now (for the console and the log). */
    public synchronized String reason() {
        return reason;
    }

    /** Whether automatic mode saw the owner busy and took the share back. */
    public synchronized boolean ownerActive() {
        return ownerActive;
    }

    /** The rules in force, or null when the node shares a fixed number of cores. */
    public synchronized ShareRules rules() {
        return rules;
    }

    /**
     * What the rules allow at this moment (cores, CPU %, memory), or null when the node shares a fixed number
     * of cores. The sandbox reads it at every fragment's start and every throttle period: cheap, no I/O.
     */
    public synchronized Allowance allowance() {
        if (rules == null) {
            return null;
        }
        Instant now = clock.instant();
        return rules.allowance(now, activity(ownerActive, ownerQuietSince, now));
    }

    /**
     * Shares {@code cores} cores from now on, on a node without share rules.
     *
     * @throws PtorrentException CONFIG_INVALID if {@code cores} is not between 0 and the machine's cores, or if
     *                           the node shares by rules (change the rules instead)
     */
    public void sharedCores(int cores) {
        if (cores < 0 || cores > machineCores) {
            throw new PtorrentException(ErrorCode.CONFIG_INVALID,
                    "sharedCores: " + cores + " is not between 0 and the machine's " + machineCores + " cores");
        }
        synchronized (this) {
            if (rules != null) {
                throw new PtorrentException(ErrorCode.CONFIG_INVALID, "sharedCores: this node shares by its share rules; change the rules instead");
            }
            configured = cores;
        }
        reevaluate();
    }

    /**
     * Replaces the share rules; they take effect at once and are saved for the next start. Rules are
     * validated when built ({@link ShareRules#from}, {@link ShareRules#fromJson}), so a bad rule never gets here.
     */
    public void rules(ShareRules newRules) {
        synchronized (this) {
            store.save(rulesFile, newRules);
            rules = newRules;
        }
        reevaluate();
    }

    /** Automatic mode's verdict: while the owner is active the node shares nothing. */
    void ownerActive(boolean active) {
        synchronized (this) {
            if (ownerActive && !active) {
                ownerQuietSince = clock.instant();
            }
            ownerActive = active;
        }
        reevaluate();
    }

    /** Applies what the share is now; tells the harbors only when it changed. */
    void reevaluate() {
        int effective;
        boolean changed;
        synchronized (this) {
            Instant now = clock.instant();
            effective = effectiveCores(rules, configured, ownerActive, ownerQuietSince, now);
            reason = describe(rules, ownerActive, ownerQuietSince, now, effective);
            changed = effective != admission.slots();
            if (changed) {
                admission.slots(effective);
            }
        }
        if (changed) {
            ShareOffers.publish(ignite, effective);
        }
    }

    /** The cores to share: none while the owner is busy; else the rules' allowance, or the configured share. */
    static int effectiveCores(ShareRules rules, int configured, boolean ownerActive, Instant ownerQuietSince, Instant now) {
        if (rules == null) {
            return ownerActive ? 0 : configured;
        }
        Allowance a = rules.allowance(now, activity(ownerActive, ownerQuietSince, now));
        // Automatic mode has the last word: rules may share while the owner is active, the owner's load may not.
        return a.admitting() && !ownerActive ? a.cores() : 0;
    }

    private static OwnerActivity activity(boolean ownerActive, Instant quietSince, Instant now) {
        return ownerActive ? OwnerActivity.ownerActive() : OwnerActivity.ownerIdleFor(Duration.between(quietSince, now).isNegative()
                ? Duration.ZERO : Duration.between(quietSince, now));
    }

    private static String describe(ShareRules rules, boolean ownerActive, Instant quietSince, Instant now, int effective) {
        if (ownerActive) {
            return "the owner is busy: sharing nothing";
        }
        if (rules == null) {
            return "sharing " + effective + " core(s)";
        }
        return rules.allowance(now, activity(false, quietSince, now)).reason();
    }

    public void stop() {
        timer.shutdownNow();
        ignite.events().stopLocalListen(harborJoined);
    }
}
