package io.ptorrent.plugin.credit;

import admissiontest.BusyClosures;
import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.SerializableCallable;
import io.ptorrent.client.TaskHandle;
import io.ptorrent.client.TaskReport;
import io.ptorrent.credit.CreditConfiguration;
import io.ptorrent.credit.CreditSpi;
import io.ptorrent.credit.Transfer;
import io.ptorrent.credit.ratio.RatioConfiguration;
import io.ptorrent.plugin.GridSnapshot;
import io.ptorrent.plugin.NodeAttributes;
import io.ptorrent.plugin.PluginProviderAdapter;
import io.ptorrent.plugin.PtorrentPlugin;
import io.ptorrent.plugin.PtorrentPluginProvider;
import io.ptorrent.plugin.scheduler.NodeSpeeds;
import io.ptorrent.plugin.scheduler.SpeedProbeOptions;
import io.ptorrent.plugin.testing.TestGrid;
import org.apache.ignite.Ignite;
import org.apache.ignite.plugin.IgnitePlugin;
import org.apache.ignite.plugin.PluginContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Credit nobody can claim (issue 9): a contributor that claims 16 PU per core is paid, and raises escrow, by
 * what the harbor measured with its speed probes, never by its claim; and the harbor measures each node again.
 */
class MeasuredSpeedIT {
    private static final int BASE_PORT = 52600;
    private static final double PRICE = 2.0;
    private static final double CLAIM = 16.0;
    private static final Duration FRAGMENT_LIMIT = Duration.ofSeconds(30);
    /** Short probes keep the test short; their size does not change what is checked. */
    private static final double PROBE_SECONDS = 0.5;

    private static TestGrid grid;
    private static Ignite harbor;
    private static Ignite liar;

    @BeforeAll
    static void startGrid() {
        grid = new TestGrid(BASE_PORT, 50);
        harbor = grid.startHarbor("harbor", false, c -> c.setConsolePort(0)
                .setCredit(new CreditConfiguration().setStarterGrant(1_000_000_000L))
                .setRatio(new RatioConfiguration().setBasePrice(PRICE).setInterval(Duration.ofHours(1)))
                // Once, at join, within this test: a payment is then checked against one known figure.
                .setSpeedProbe(SpeedProbeOptions.DEFAULTS.withInterval(Duration.ofHours(1)).withReferenceSeconds(PROBE_SECONDS))
                .setOpenAccounts(List.of("carol")));
        liar = grid.startContributor("liar", c -> c.setSharedCores(1).setAccount("liar"),
                cfg -> cfg.setPluginProviders(new PtorrentPluginProvider(), new ClaimOverride(CLAIM)));
    }

    @AfterAll
    static void stopGrid() {
        if (grid != null) {
            grid.close();
        }
    }

    @Test
    void aNodeThatClaimsMoreThanItHasIsPaidAndEscrowedByTheHarborsMeasurement() {
        UUID liarId = liar.cluster().localNode().id();
        assertThat(NodeAttributes.doubleAttr(harbor.cluster().node(liarId), NodeAttributes.PU_PER_CORE)).isEqualTo(CLAIM);
        NodeSpeeds speeds = PtorrentPlugin.of(harbor).scheduler().speeds();
        await().atMost(Duration.ofSeconds(60)).until(() -> speeds.puPerCore(liarId) > 0);
        double measured = speeds.puPerCore(liarId);
        GridSnapshot.NodeInfo shown = PtorrentPlugin.of(harbor).gridSnapshot().nodes().stream()
                .filter(n -> n.id().equals(liarId.toString())).findFirst().orElseThrow();
        assertThat(shown.puPerCore()).isEqualTo(measured);
        assertThat(shown.claimedPuPerCore()).isEqualTo(CLAIM);

        TaskReport report;
        try (PtorrentClient carol = PtorrentClient.connect(grid.clientOptions("carol").fragmentTimeout(FRAGMENT_LIMIT))) {
            List<SerializableCallable<Integer>> work = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                work.add(BusyClosures.busy(200, i));
            }
            TaskHandle<List<Integer>> task = carol.submitAll(work);
            assertThat(task.get()).containsExactly(0, 1, 2);
            report = task.report().join();
        }
        assertThat(speeds.measurements(liarId)).as("no second measurement within the test").isEqualTo(1);

        CreditSpi ledger = PtorrentPlugin.of(harbor).credit();
        // Escrow: the best measured figure among the contributors (the liar's own), not its claim.
        long perFragment = HarborCredit.atPrice(WorkValue.escrowPerFragment(FRAGMENT_LIMIT.toMillis(), measured), PRICE);
        // The hold at acceptance covers the window (one shared core plus the margin) at that figure.
        String firstHold = "hold:" + report.taskId();
        assertThat(ledger.ledger("carol", 0, 100)).filteredOn(t -> t.key().equals(firstHold))
                .extracting(Transfer::amount).containsExactly(EscrowWindow.window(3, 1) * perFragment);
        // Each payment: the harbor's time × the measured PU per core × the price; the claim counts nowhere.
        Map<Integer, Long> expected = new HashMap<>();
        for (TaskReport.Fragment f : report.fragments()) {
            assertThat(f.nodeId()).isEqualTo(liarId.toString());
            expected.put(f.index(), (long) Math.floor((long) (f.millis() * measured) * PRICE));
        }
        Map<Integer, Long> paid = new HashMap<>();
        for (Transfer t : ledger.ledger("liar", 0, 100)) {
            if (t.kind() == Transfer.Kind.SETTLE && t.from().equals("escrow:" + report.taskId())) {
                paid.put(Integer.parseInt(t.key().substring(t.key().lastIndexOf(':') + 1)), t.amount());
            }
        }
        assertThat(paid).isEqualTo(expected);
        assertThat(report.creditSpent()).isEqualTo(expected.values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void theHarborMeasuresANodeAgainAtRandomTimes() {
        try (TestGrid often = new TestGrid(BASE_PORT + 150, 16)) {
            Ignite h = often.startHarbor("harbor2", false, c -> c.setConsolePort(0)
                    .setSpeedProbe(SpeedProbeOptions.DEFAULTS.withInterval(Duration.ofSeconds(1)).withReferenceSeconds(0.2)));
            UUID node = often.startContributor("again", 1).cluster().localNode().id();
            NodeSpeeds speeds = PtorrentPlugin.of(h).scheduler().speeds();

            await().atMost(Duration.ofSeconds(90)).until(() -> speeds.measurements(node) >= 3);

            assertThat(java.util.Arrays.stream(speeds.history(node)).allMatch(v -> v > 0)).isTrue();
            assertThat(speeds.puPerCore(node)).isPositive();
        }
    }

    /**
     * A node that lies: after ptorrent's plugin has published the node's benchmark result, it replaces the
     * claim with its own number, as a modified node would. Test-only: production has no way to set the claim.
     */
    static final class ClaimOverride extends PluginProviderAdapter {
        private final double claim;

        ClaimOverride(double claim) {
            this.claim = claim;
        }

        @Override
        public String name() {
            return "claim-override";
        }

        @Override
        public <T extends IgnitePlugin> T plugin() {
            @SuppressWarnings("unchecked")
            T none = (T) new IgnitePlugin() { };
            return none;
        }

        @Override
        public void start(PluginContext ctx) {
            Map<String, Object> attrs = new HashMap<>(ctx.igniteConfiguration().getUserAttributes());
            attrs.put(NodeAttributes.PU_PER_CORE, claim);
            attrs.put(NodeAttributes.PU_SCORE, claim * (Integer) attrs.get(NodeAttributes.CORES));
            ctx.igniteConfiguration().setUserAttributes(attrs);
        }
    }
}
