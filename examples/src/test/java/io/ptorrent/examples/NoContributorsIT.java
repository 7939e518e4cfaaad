package io.ptorrent.examples;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.PtorrentClientOptions;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.plugin.testing.TestGrid;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A grid with a harbor and no contributor refuses work with a code that says so. */
class NoContributorsIT {
    @Test
    void aTaskWithoutContributorsFailsWithNoContributors() {
        try (TestGrid grid = new TestGrid(48700)) {
            grid.startHarbor("lonely-harbor");
            try (PtorrentClient client = PtorrentClient.connect(grid.clientOptions("tester"))) {
                assertThatThrownBy(() -> client.submit(TestClosures.multiply(1, 2)).get())
                        .isInstanceOfSatisfying(PtorrentException.class, e -> org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo(ErrorCode.NO_CONTRIBUTORS));
            }
        }
    }

    @Test
    void connectingWhereNoHarborListensFailsWithConnectionFailed() {
        assertThatThrownBy(() -> PtorrentClient.connect(new PtorrentClientOptions().addresses("127.0.0.1:48799")))
                .isInstanceOfSatisfying(PtorrentException.class, e -> org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_FAILED));
    }
}
