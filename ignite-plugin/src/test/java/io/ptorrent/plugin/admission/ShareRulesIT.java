package io.ptorrent.plugin.admission;

import admissiontest.BusyClosures;
import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.PtorrentClientOptions;
import io.ptorrent.client.TaskHandle;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.plugin.GridSnapshot;
import io.ptorrent.plugin.PtorrentPlugin;
import io.ptorrent.plugin.share.ShareRules;
import io.ptorrent.plugin.share.ShareRulesConfiguration;
import io.ptorrent.plugin.testing.TestGrid;
import org.apache.ignite.Ignite;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Share rules on real nodes: a window that is closed now shares nothing (and the harbor sees it); rules
 * changed at run time take effect and survive a restart; bad rules are refused and change nothing.
 */
class ShareRulesIT {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** A whole day two days from now, in UTC: closed today whatever the time. */
    private static String closedToday() {
        DayOfWeek d = LocalDate.now(ZoneOffset.UTC).plusDays(2).getDayOfWeek();
        return d.getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
    }

    @Test
    void rulesDecideTheShareAndRunTimeRulesSurviveARestart() {
        try (TestGrid grid = new TestGrid(48350)) {
            Ignite harbor = grid.startHarbor("harbor");
            ShareRulesConfiguration closed = new ShareRulesConfiguration().setCores(1).setWindows(List.of(closedToday())).setTimeZone("UTC");
            Ignite alice = grid.startContributor("alice", c -> c.setSharedCores(1).setShareRules(closed));

            await().atMost(PATIENCE).until(() -> aliceSeenBy(harbor) != null && aliceSeenBy(harbor).sharedCores() == 0);
            assertThat(PtorrentPlugin.of(alice).share().reason()).contains("outside the share windows");

            int cores = Runtime.getRuntime().availableProcessors();
            ShareControl share = PtorrentPlugin.of(alice).share();
            assertThatThrownBy(() -> ShareRules.fromJson("{\"cores\":1,\"windows\":[\"Mon-Fry\"]}", cores, 8192))
                    .isInstanceOfSatisfying(PtorrentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID))
                    .hasMessageContaining("windows");
            assertThat(share.rules().windows()).hasSize(1);

            share.rules(ShareRules.fromJson("{\"cores\":1,\"timeZone\":\"UTC\"}", cores, 8192));
            await().atMost(PATIENCE).until(() -> aliceSeenBy(harbor).sharedCores() == 1);

            grid.stop("alice");
            Ignite again = grid.startContributor("alice", c -> c.setSharedCores(1).setShareRules(closed));
            assertThat(PtorrentPlugin.of(again).share().rules().windows()).isEmpty();
            await().atMost(PATIENCE).until(() -> aliceSeenBy(harbor) != null && aliceSeenBy(harbor).sharedCores() == 1);
        }
    }

    @Test
    void workFromAnAccountTheRulesDoNotAcceptRunsOnAnotherContributor() {
        try (TestGrid grid = new TestGrid(48320)) {
            grid.startHarbor("harbor");
            grid.startContributor("alice", c -> c.setSharedCores(1).setShareRules(new ShareRulesConfiguration().setCores(1).setAcceptAccounts(List.of("dave"))));
            Ignite bob = grid.startContributor("bob", 1);
            try (PtorrentClient carol = PtorrentClient.connect(grid.clientOptions("carol"))) {
                TaskHandle<List<Integer>> task = carol.submitAll(List.of(BusyClosures.busy(10, 1), BusyClosures.busy(10, 2), BusyClosures.busy(10, 3)));

                assertThat(task.get()).containsExactly(1, 2, 3);
                assertThat(task.report().join().nodeIds()).containsExactly(bob.cluster().localNode().id().toString());
            }
        }
    }

    @Test
    void aBadRuleInTheConfigStopsTheStartAndNamesTheField() {
        try (TestGrid grid = new TestGrid(48380)) {
            grid.startHarbor("harbor");
            ShareRulesConfiguration bad = new ShareRulesConfiguration().setCpuPercent(150);

            assertThatThrownBy(() -> grid.startContributor("alice", c -> c.setShareRules(bad)))
                    .hasStackTraceContaining("CONFIG_INVALID").hasStackTraceContaining("shareRules.cpuPercent");
        }
    }

    private static GridSnapshot.NodeInfo aliceSeenBy(Ignite harbor) {
        return PtorrentPlugin.of(harbor).gridSnapshot().nodes().stream().filter(n -> n.name().equals("alice")).findFirst().orElse(null);
    }
}
