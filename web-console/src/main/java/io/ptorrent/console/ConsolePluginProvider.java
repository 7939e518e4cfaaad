package io.ptorrent.console;

import io.ptorrent.client.PtorrentException;
import io.ptorrent.credit.CreditSpi;
import io.ptorrent.credit.ratio.Forecast;
import io.ptorrent.plugin.NodeRole;
import io.ptorrent.plugin.PluginProviderAdapter;
import io.ptorrent.plugin.PtorrentPlugin;
import io.ptorrent.plugin.PtorrentPluginConfiguration;
import io.ptorrent.plugin.admission.ShareRulesRemote;
import io.ptorrent.plugin.scheduler.FragmentScheduler;
import io.ptorrent.plugin.transport.NodeTls;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCheckedException;
import org.apache.ignite.IgniteLogger;
import org.apache.ignite.plugin.IgnitePlugin;
import org.apache.ignite.plugin.PluginContext;

import java.time.Clock;

/**
 * Starts the web console inside a harbor node: a second Ignite plugin beside ptorrent's own, found through
 * {@code META-INF/services}. It reads the node's {@link PtorrentPluginConfiguration} (defaults without one);
 * on a harbor whose {@code consolePort} is not {@code 0} it listens on {@code consoleHost:consolePort} from
 * {@link #onIgniteStart} until {@link #onIgniteStop}. Contributors never run a console.
 *
 * <p>A taken port fails the node's start with {@code PORT_IN_USE}, naming the port and the option that
 * changes it. Ignite calls this provider from the node's start and stop threads only.
 */
public final class ConsolePluginProvider extends PluginProviderAdapter {
    public static final String NAME = "ptorrent-console";

    private final ConsolePlugin plugin = new ConsolePlugin();
    private final Clock clock = Clock.systemUTC();
    private Ignite ignite;
    private IgniteLogger log;
    private PtorrentPluginConfiguration cfg;
    private volatile ConsoleServer server;

    @Override
    public String name() {
        return NAME;
    }

    @SuppressWarnings("unchecked")
    @Override
    public <T extends IgnitePlugin> T plugin() {
        return (T) plugin;
    }

    @Override
    public void start(PluginContext ctx) {
        ignite = ctx.grid();
        log = ctx.log(ConsolePluginProvider.class);
        cfg = PtorrentPluginConfiguration.from(ctx.igniteConfiguration());
    }

    @Override
    public void onIgniteStart() throws IgniteCheckedException {
        // ptorrent's provider has checked the configuration in initExtensions, which ran for every plugin before this.
        if (cfg.nodeRole() != NodeRole.HARBOR) {
            return;
        }
        if (cfg.getConsolePort() == 0) {
            log.info("ptorrent console off (PtorrentPluginConfiguration.consolePort is 0)");
            return;
        }
        // Read per request, not here: Ignite starts plugins in classpath order, so ptorrent's scheduler may not exist yet.
        GridSource source = () -> PtorrentPlugin.of(ignite).gridSnapshot();
        ConsoleServer s;
        // The harbor's own key and certificate: the console is one more port of the harbor.
        boolean secure = cfg.getTls() != null && cfg.getTls().isEnabled();
        try {
            RulesGate rules = new RulesGate() {
                @Override
                public java.util.concurrent.CompletableFuture<String> apply(String nodeId, String json) {
                    return ShareRulesRemote.apply(ignite, nodeId, json);
                }

                @Override
                public String ownerTokenSha256(String nodeId) {
                    return ShareRulesRemote.ownerTokenSha256(ignite, nodeId);
                }
            };
            CreditSource credit = new CreditSource() {
                @Override
                public CreditSpi credit() {
                    return PtorrentPlugin.of(ignite).credit();
                }

                @Override
                public FragmentScheduler.Standing standing(String account) {
                    PtorrentPlugin p = PtorrentPlugin.of(ignite);
                    // The engine learns balances when tasks arrive; an account asked about first gets its current one.
                    p.ratio().onAccount(p.credit().account(account));
                    return p.scheduler().standing(account);
                }

                @Override
                public Forecast market() {
                    return PtorrentPlugin.of(ignite).ratio().forecast();
                }
            };
            s = ConsoleServer.start(cfg.getConsoleHost(), cfg.getConsolePort(), source, cfg.getHarborName(), clock, rules, cfg.getOperatorToken(), credit,
                    key -> PtorrentPlugin.of(ignite).identities().authenticateApiKey(key), secure ? NodeTls.harborKeyManager(cfg.getTls()) : null);
        } catch (PtorrentException e) {
            throw new IgniteCheckedException(e.describe(), e);
        }
        server = s;
        plugin.port(s.port());
        log.info("ptorrent console on " + (secure ? "https" : "http") + "://" + cfg.getConsoleHost() + ":" + s.port() + "/");
    }

    @Override
    public void onIgniteStop(boolean cancel) {
        ConsoleServer s = server;
        server = null;
        plugin.port(0);
        if (s != null) {
            s.close();
        }
    }
}
