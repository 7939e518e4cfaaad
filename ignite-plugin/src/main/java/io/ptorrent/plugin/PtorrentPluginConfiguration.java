package io.ptorrent.plugin;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.credit.CreditConfiguration;
import io.ptorrent.credit.ratio.RatioConfiguration;
import io.ptorrent.plugin.scheduler.SpeedProbeOptions;
import io.ptorrent.plugin.share.ShareRulesConfiguration;
import io.ptorrent.plugin.transport.TlsConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.plugin.PluginConfiguration;

import java.util.List;

/**
 * A ptorrent node's configuration: a bean in the node's Ignite Spring XML, next to the
 * {@code IgniteConfiguration} in its {@code pluginConfigurations} list. Setters return {@code this}.
 *
 * <pre>{@code
 * <bean class="io.ptorrent.plugin.PtorrentPluginConfiguration">
 *   <property name="role" value="contributor"/>
 *   <property name="harborName" value="home"/>
 *   <property name="sharedCores" value="1"/>
 * </bean>
 * }</pre>
 */
public class PtorrentPluginConfiguration implements PluginConfiguration {
    public static final String DEFAULT_HARBOR_NAME = "default";
    /** The console's port on a harbor; {@code 0} turns the console off. */
    public static final int DEFAULT_CONSOLE_PORT = 8080;
    /** See {@link #setSandboxSpareWorkers}. */
    public static final int DEFAULT_SANDBOX_SPARE_WORKERS = 0;
    /** Fragments run at most this long unless the task asks for less. */
    public static final long DEFAULT_FRAGMENT_TIMEOUT_MS = 10 * 60 * 1000L;
    /** See {@link #setBundleCacheBundles}. */
    public static final int DEFAULT_BUNDLE_CACHE_BUNDLES = 64;
    /** See {@link #setBundleCacheMb}: eight bundles of the largest size ({@code Bundle.MAX_BYTES}, 4 MiB). */
    public static final int DEFAULT_BUNDLE_CACHE_MB = 32;
    /** Heap of one sandbox worker process. */
    public static final int DEFAULT_SANDBOX_HEAP_MB = 64;
    /** Automatic mode: the owner is busy above this share of the machine's cores, in percent. */
    public static final int DEFAULT_OWNER_BUSY_PERCENT = 25;
    /** Automatic mode: the owner must stay below the threshold this long before sharing resumes. */
    public static final int DEFAULT_OWNER_QUIET_SECONDS = 30;
    /** A harbor's secret, in its work directory unless {@link #setHarborSecretFile} names another file. */
    public static final String DEFAULT_HARBOR_SECRET_FILE = "harbor-secret";
    /** The operator's first API key, written by a harbor that creates the grid's identities, in its work directory. */
    public static final String OPERATOR_KEY_FILE = "operator-key";
    /** The environment variable a contributor reads its join credential from when {@link #setJoinTokenFile} is unset. */
    public static final String JOIN_TOKEN_ENV = "PTORRENT_JOIN_TOKEN";

    private String role = NodeRole.CONTRIBUTOR.id();
    private String harborName = DEFAULT_HARBOR_NAME;
    /** {@code -1}: half the machine's cores, at least one. */
    private int sharedCores = -1;
    private String account;
    private int consolePort = DEFAULT_CONSOLE_PORT;
    private String consoleHost = "127.0.0.1";
    private long fragmentTimeoutMs = DEFAULT_FRAGMENT_TIMEOUT_MS;
    private int sandboxHeapMb = DEFAULT_SANDBOX_HEAP_MB;
    private int sandboxSpareWorkers = DEFAULT_SANDBOX_SPARE_WORKERS;
    private int bundleCacheBundles = DEFAULT_BUNDLE_CACHE_BUNDLES;
    private int bundleCacheMb = DEFAULT_BUNDLE_CACHE_MB;
    private boolean automaticMode;
    private int ownerBusyPercent = DEFAULT_OWNER_BUSY_PERCENT;
    private int ownerQuietSeconds = DEFAULT_OWNER_QUIET_SECONDS;
    private ShareRulesConfiguration shareRules;
    private String ownerToken;
    private String operatorToken;
    private CreditConfiguration credit;
    private RatioConfiguration ratio = new RatioConfiguration();
    private List<String> openAccounts = List.of();
    private String harborSecretFile;
    private String joinTokenFile;
    private SpeedProbeOptions speedProbe = SpeedProbeOptions.DEFAULTS;
    private TlsConfiguration tls;

    /**
     * The ptorrent configuration among a node's {@code pluginConfigurations}, or the defaults if it has
     * none. Every plugin of the node reads it through here, so that they all see the same one.
     */
    public static PtorrentPluginConfiguration from(IgniteConfiguration cfg) {
        PluginConfiguration[] all = cfg.getPluginConfigurations();
        if (all != null) {
            for (PluginConfiguration p : all) {
                if (p instanceof PtorrentPluginConfiguration ptc) {
                    return ptc;
                }
            }
        }
        return new PtorrentPluginConfiguration();
    }

    public String getRole() {
        return role;
    }

    /** {@code harbor} or {@code contributor} (the default). */
    public PtorrentPluginConfiguration setRole(String role) {
        this.role = role;
        return this;
    }

    public String getHarborName() {
        return harborName;
    }

    /** The harbor this node belongs to (or is). */
    public PtorrentPluginConfiguration setHarborName(String harborName) {
        this.harborName = harborName;
        return this;
    }

    public int getSharedCores() {
        return sharedCores;
    }

    /** Cores a contributor shares with the grid; {@code -1} (the default) shares half, at least one. */
    public PtorrentPluginConfiguration setSharedCores(int sharedCores) {
        this.sharedCores = sharedCores;
        return this;
    }

    public String getAccount() {
        return account;
    }

    /** The account this node earns for (may be unset until accounts exist). */
    public PtorrentPluginConfiguration setAccount(String account) {
        this.account = account;
        return this;
    }

    public int getConsolePort() {
        return consolePort;
    }

    /** Port of the web console on a harbor; {@code 0} turns it off. */
    public PtorrentPluginConfiguration setConsolePort(int consolePort) {
        this.consolePort = consolePort;
        return this;
    }

    public String getConsoleHost() {
        return consoleHost;
    }

    /** Interface the console listens on; loopback by default (the console has no login yet). */
    public PtorrentPluginConfiguration setConsoleHost(String consoleHost) {
        this.consoleHost = consoleHost;
        return this;
    }

    public long getFragmentTimeoutMs() {
        return fragmentTimeoutMs;
    }

    /** Longest wall-clock time a fragment may run on a contributor. */
    public PtorrentPluginConfiguration setFragmentTimeoutMs(long fragmentTimeoutMs) {
        this.fragmentTimeoutMs = fragmentTimeoutMs;
        return this;
    }

    public SpeedProbeOptions getSpeedProbe() {
        return speedProbe;
    }

    /**
     * Harbor: how it measures its contributors' speed (the PU per core that credit, escrow and placement use):
     * how often, with how much work, how many rounds of each answer it checks. Checked when built.
     */
    public PtorrentPluginConfiguration setSpeedProbe(SpeedProbeOptions speedProbe) {
        this.speedProbe = java.util.Objects.requireNonNull(speedProbe, "speedProbe");
        return this;
    }

    public int getSandboxHeapMb() {
        return sandboxHeapMb;
    }

    /** Heap cap of a sandbox worker process, in MiB, where no share rules set one (their {@code memoryMb} does). */
    public PtorrentPluginConfiguration setSandboxHeapMb(int sandboxHeapMb) {
        this.sandboxHeapMb = sandboxHeapMb;
        return this;
    }

    public int getSandboxSpareWorkers() {
        return sandboxSpareWorkers;
    }

    /**
     * Sandbox workers kept started, waiting for a new bundle, while the node shares a core. 0 by default: a
     * household's idle node pays no worker JVM (~30 MiB) for nothing; a task's first fragment on this node
     * then waits for one worker to start (~130 ms), and its later fragments reuse that worker while it stays
     * warm. A dedicated machine may keep 1 or more.
     */
    public PtorrentPluginConfiguration setSandboxSpareWorkers(int sandboxSpareWorkers) {
        this.sandboxSpareWorkers = sandboxSpareWorkers;
        return this;
    }

    public int getBundleCacheBundles() {
        return bundleCacheBundles;
    }

    /**
     * Contributors: how many bundles' verdicts the node keeps (1-10000; verified bundles and rejected ones alike),
     * so that a bundle travels to the node once and is verified once, not with every fragment. Past it, or past
     * {@link #setBundleCacheMb}, the least recently used goes; its next fragment brings the bytes again.
     */
    public PtorrentPluginConfiguration setBundleCacheBundles(int bundleCacheBundles) {
        this.bundleCacheBundles = bundleCacheBundles;
        return this;
    }

    public int getBundleCacheMb() {
        return bundleCacheMb;
    }

    /**
     * Contributors: the most class bytes of verified bundles the node keeps, in MiB (4-4096; at least one bundle of
     * the largest size). See {@link #setBundleCacheBundles}.
     */
    public PtorrentPluginConfiguration setBundleCacheMb(int bundleCacheMb) {
        this.bundleCacheMb = bundleCacheMb;
        return this;
    }

    public boolean isAutomaticMode() {
        return automaticMode;
    }

    /**
     * Automatic mode (contributors): watch the machine's load that is not the node's own, hand fragments
     * back and share nothing while the owner is busy, resume after a quiet period. Off by default: a node
     * beside others on one machine (the demo) would take their work for the owner's.
     */
    public PtorrentPluginConfiguration setAutomaticMode(boolean automaticMode) {
        this.automaticMode = automaticMode;
        return this;
    }

    public int getOwnerBusyPercent() {
        return ownerBusyPercent;
    }

    /**
     * Automatic mode: the owner counts as busy above this share of all cores, in percent (1-100). Keep it below
     * the share of cores the node does not use, {@code (cores - sharedCores) / cores}: the node's own fragments
     * take the rest, so a higher threshold is reached late or never (measured: 90% on 2 cores sharing 1 took
     * 8.5 s to hand back; docs/BENCHMARKS.md, hand-back).
     */
    public PtorrentPluginConfiguration setOwnerBusyPercent(int ownerBusyPercent) {
        this.ownerBusyPercent = ownerBusyPercent;
        return this;
    }

    public int getOwnerQuietSeconds() {
        return ownerQuietSeconds;
    }

    /** Automatic mode: seconds the owner's load must stay low before the node shares again. */
    public PtorrentPluginConfiguration setOwnerQuietSeconds(int ownerQuietSeconds) {
        this.ownerQuietSeconds = ownerQuietSeconds;
        return this;
    }

    public String getOwnerToken() {
        return ownerToken;
    }

    /**
     * A contributor's secret for changing its rules through a harbor's console ({@code Authorization: Bearer
     * <token>}). Only its SHA-256 leaves the node. At least 16 characters; unset: the owner cannot change
     * rules remotely.
     */
    public PtorrentPluginConfiguration setOwnerToken(String ownerToken) {
        this.ownerToken = ownerToken;
        return this;
    }

    public String getOperatorToken() {
        return operatorToken;
    }

    /** A harbor operator's secret for the console's write operations (at least 16 characters). */
    public PtorrentPluginConfiguration setOperatorToken(String operatorToken) {
        this.operatorToken = operatorToken;
        return this;
    }

    public RatioConfiguration getRatio() {
        return ratio;
    }

    /**
     * A harbor's ratio engine: the half-life of contribution, tiers' shares, the base price and its bounds, the
     * forecast's interval and history (see {@link RatioConfiguration}, docs/RATIO.md). Defaults when unset.
     */
    public PtorrentPluginConfiguration setRatio(RatioConfiguration ratio) {
        this.ratio = java.util.Objects.requireNonNull(ratio, "ratio");
        return this;
    }

    public CreditConfiguration getCredit() {
        return credit;
    }

    /**
     * A harbor's credit ledger (accounts, escrow, payment per fragment; see {@code io.ptorrent.plugin.credit}).
     * {@code null} (the default): the harbor keeps no ledger and every task is free. With a ledger the harbor
     * needs Ignite SQL (Calcite); the plugin configures it when the node's {@code sqlConfiguration} names no
     * query engine.
     */
    public PtorrentPluginConfiguration setCredit(CreditConfiguration credit) {
        this.credit = credit;
        return this;
    }

    public List<String> getOpenAccounts() {
        return openAccounts;
    }

    /**
     * Accounts a harbor with a ledger opens at start (with the starter grant when new): the operator's way to
     * let a person submit who runs no contributor node. Submitters' accounts are never opened on first use.
     */
    public PtorrentPluginConfiguration setOpenAccounts(List<String> openAccounts) {
        this.openAccounts = openAccounts == null ? List.of() : List.copyOf(openAccounts);
        return this;
    }

    public String getHarborSecretFile() {
        return harborSecretFile;
    }

    /**
     * A harbor's secret file: harbor servers authenticate each other with it (every harbor of a grid needs the same
     * file, mode 600). Unset: {@value #DEFAULT_HARBOR_SECRET_FILE} in the node's work directory. A harbor that finds
     * no file creates one with a new random secret, so that a first harbor needs no set-up; copy it to the others.
     */
    public PtorrentPluginConfiguration setHarborSecretFile(String harborSecretFile) {
        this.harborSecretFile = harborSecretFile;
        return this;
    }

    public String getJoinTokenFile() {
        return joinTokenFile;
    }

    /**
     * A contributor's join credential: a file (mode 600) that holds a join token of its account, issued by
     * {@code bin/ptorrent account join-token create}. Unset: the environment variable {@value #JOIN_TOKEN_ENV}. A
     * contributor without either is refused at join ({@code JOIN_REFUSED}). Never a value on a command line.
     */
    public PtorrentPluginConfiguration setJoinTokenFile(String joinTokenFile) {
        this.joinTokenFile = joinTokenFile;
        return this;
    }

    /** The harbor secret's file, resolved against the node's work directory. */
    public java.nio.file.Path harborSecretPath(String workDirectory) {
        return harborSecretFile != null ? java.nio.file.Path.of(harborSecretFile)
                : java.nio.file.Path.of(workDirectory).resolve(DEFAULT_HARBOR_SECRET_FILE);
    }

    /**
     * The contributor's join token: the file's first line, else {@code env}'s {@value #JOIN_TOKEN_ENV}; null if neither.
     *
     * @throws PtorrentException CONFIG_INVALID if the file is named but cannot be read
     */
    public String joinToken(java.util.Map<String, String> env) {
        if (joinTokenFile != null) {
            try {
                String t = java.nio.file.Files.readString(java.nio.file.Path.of(joinTokenFile)).strip();
                return t.isEmpty() ? null : t.lines().findFirst().orElse(null);
            } catch (java.io.IOException e) {
                throw invalid("joinTokenFile", "cannot read '" + joinTokenFile + "': " + e.getMessage());
            }
        }
        String t = env.get(JOIN_TOKEN_ENV);
        return t == null || t.isBlank() ? null : t.strip();
    }

    public TlsConfiguration getTls() {
        return tls;
    }

    /**
     * TLS on every port of the node ({@link TlsConfiguration}); {@code null} (the default for a node started
     * from code): plain TCP. {@code bin/ptorrent harbor} and {@code node} fill it in when a config leaves it out
     * (development certificates on a harbor, the JVM's trusted CAs on a contributor).
     */
    public PtorrentPluginConfiguration setTls(TlsConfiguration tls) {
        this.tls = tls;
        return this;
    }

    public ShareRulesConfiguration getShareRules() {
        return shareRules;
    }

    /**
     * A contributor's manual share rules (cores, memory, CPU %, weekly windows, active/idle limits, whom to
     * accept work from), checked by {@link io.ptorrent.plugin.share.ShareRules#from}; {@code null} (the
     * default): share {@code sharedCores} at all times.
     */
    public PtorrentPluginConfiguration setShareRules(ShareRulesConfiguration shareRules) {
        this.shareRules = shareRules;
        return this;
    }

    /** The role, checked. */
    public NodeRole nodeRole() {
        NodeRole r = NodeRole.fromId(role);
        if (r == null) {
            throw invalid("role", "'" + role + "' is not a role; use 'harbor' or 'contributor'");
        }
        return r;
    }

    /** The cores this node shares on a machine with {@code cores} cores, checked. */
    public int effectiveSharedCores(int cores) {
        if (nodeRole() == NodeRole.HARBOR) {
            return 0; // harbors never run fragments
        }
        if (sharedCores == -1) {
            return Math.max(1, cores / 2);
        }
        if (sharedCores < 0 || sharedCores > cores) {
            throw invalid("sharedCores", sharedCores + " is not between 0 and the machine's " + cores + " cores (-1 shares half)");
        }
        return sharedCores;
    }

    /**
     * Checks every field; the first bad one is named in a {@link ErrorCode#CONFIG_INVALID}.
     */
    public void validate(int cores) {
        nodeRole();
        if (harborName == null || !harborName.matches("[A-Za-z0-9._-]{1,64}")) {
            throw invalid("harborName", "'" + harborName + "' must be 1-64 letters, digits, '.', '_' or '-'");
        }
        if (account != null && !account.matches("[A-Za-z0-9._-]{1,64}")) {
            throw invalid("account", "'" + account + "' must be 1-64 letters, digits, '.', '_' or '-'");
        }
        effectiveSharedCores(cores);
        for (String a : openAccounts) {
            if (a == null || !a.matches("[A-Za-z0-9._-]{1,64}")) {
                throw invalid("openAccounts", "'" + a + "' must be 1-64 letters, digits, '.', '_' or '-'");
            }
        }
        if (consolePort < 0 || consolePort > 65535) {
            throw invalid("consolePort", consolePort + " is not a port (0 turns the console off)");
        }
        if (fragmentTimeoutMs < 100) {
            throw invalid("fragmentTimeoutMs", fragmentTimeoutMs + " ms is too short; use at least 100");
        }
        if (ownerBusyPercent < 1 || ownerBusyPercent > 100) {
            throw invalid("ownerBusyPercent", ownerBusyPercent + " is not a percentage between 1 and 100");
        }
        if (ownerQuietSeconds < 0 || ownerQuietSeconds > 24 * 3600) {
            throw invalid("ownerQuietSeconds", ownerQuietSeconds + " is not between 0 and 86400");
        }
        if (ownerToken != null && ownerToken.length() < 16) {
            throw invalid("ownerToken", "is " + ownerToken.length() + " characters; use at least 16 (a random string)");
        }
        if (operatorToken != null && operatorToken.length() < 16) {
            throw invalid("operatorToken", "is " + operatorToken.length() + " characters; use at least 16 (a random string)");
        }
        if (sandboxHeapMb < 16) {
            throw invalid("sandboxHeapMb", sandboxHeapMb + " MiB is too small; use at least 16");
        }
        if (sandboxSpareWorkers < 0 || sandboxSpareWorkers > 64) {
            throw invalid("sandboxSpareWorkers", sandboxSpareWorkers + " is not between 0 and 64");
        }
        if (bundleCacheBundles < 1 || bundleCacheBundles > 10_000) {
            throw invalid("bundleCacheBundles", bundleCacheBundles + " is not between 1 and 10000");
        }
        int oneBundleMb = io.ptorrent.client.bundle.Bundle.MAX_BYTES >> 20;
        if (bundleCacheMb < oneBundleMb || bundleCacheMb > 4096) {
            throw invalid("bundleCacheMb", bundleCacheMb + " MiB is not between " + oneBundleMb + " (one bundle of the largest size) and 4096");
        }
    }

    private static PtorrentException invalid(String field, String why) {
        return new PtorrentException(ErrorCode.CONFIG_INVALID, "PtorrentPluginConfiguration." + field + ": " + why);
    }
}
