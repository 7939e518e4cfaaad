package io.ptorrent.plugin.sandbox;

import hostile.Exhaustion;
import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.PtorrentClientOptions;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.plugin.PtorrentPlugin;
import io.ptorrent.plugin.share.ShareRulesConfiguration;
import io.ptorrent.plugin.testing.TestGrid;
import org.apache.ignite.Ignite;
import org.junit.jupiter.api.Test;
import sandboxtest.Honest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A contributor's share rules reach its sandbox: the rules' longest fragment stops a closure on a real grid. */
class SandboxRulesIT {
    private static final int BASE_PORT = 50000;

    @Test
    void theRulesLongestFragmentStopsAClosureOnTheContributor() {
        try (TestGrid grid = new TestGrid(BASE_PORT)) {
            grid.startHarbor("harbor");
            Ignite alice = grid.startContributor("alice", c -> c.setSharedCores(1)
                    .setShareRules(new ShareRulesConfiguration().setCores(1).setMemoryMb(256).setMaxFragmentSeconds(1)));
            try (PtorrentClient client = PtorrentClient.connect(grid.clientOptions("tester"))) {

                assertThatThrownBy(() -> client.submit(Exhaustion.infiniteLoop()).get()).isInstanceOfSatisfying(PtorrentException.class, e -> {
                    assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.FRAGMENT_TIMEOUT);
                    assertThat(e.getMessage()).contains("maxFragmentSeconds");
                });

                assertThat(client.submit(Honest.multiply(6, 7)).get()).isEqualTo(42);
                assertThat(PtorrentPlugin.of(alice).sandbox().workerPids()).isNotEmpty();
            }
        }
    }
}
