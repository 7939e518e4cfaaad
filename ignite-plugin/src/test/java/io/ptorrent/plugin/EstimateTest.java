package io.ptorrent.plugin;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.plugin.GridSnapshot.NodeInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The availability estimate and the per-harbor capacity, on hand-made grids. */
class EstimateTest {
    private static NodeInfo contributor(String name, String harbor, int shared, double puPerCore, int running) {
        return new NodeInfo("id-" + name, name, NodeRole.CONTRIBUTOR, harbor, 4, shared, puPerCore, 4 * puPerCore, running);
    }

    private static final NodeInfo HARBOR = new NodeInfo("id-h", "h", NodeRole.HARBOR, "home", 8, 0, 1, 8, 0);

    @Test
    void withAFreeCoreTheTaskStartsAtOnceAndRunsOverAllCapacity() {
        GridSnapshot grid = new GridSnapshot(List.of(HARBOR, contributor("a", "home", 2, 1.0, 1), contributor("b", "home", 2, 1.5, 0)), 0, 1, 2.0);

        Estimate e = Estimate.of(grid, 100);

        assertThat(e.capacityPu()).isEqualTo(5.0);
        assertThat(e.freePu()).isEqualTo(4.0);
        assertThat(e.waitSeconds()).isZero();
        assertThat(e.runSeconds()).isEqualTo(20.0);
        assertThat(e.costCredits()).isEqualTo(100.0);
    }

    @Test
    void aFullGridMakesTheTaskWaitForTheWorkAheadOfIt() {
        // 2 shared cores of 1 PU, both busy, 4 queued fragments of 3 PU-seconds: (4*3 + 2*3/2) / 2 = 7.5 s.
        GridSnapshot grid = new GridSnapshot(List.of(HARBOR, contributor("a", "home", 2, 1.0, 2)), 4, 2, 3.0);

        assertThat(Estimate.of(grid, 10).waitSeconds()).isCloseTo(7.5, within(1e-9));
    }

    @Test
    void withoutHistoryAFragmentCountsAsOnePuSecond() {
        GridSnapshot grid = new GridSnapshot(List.of(contributor("a", "home", 1, 1.0, 1)), 2, 1);

        assertThat(Estimate.of(grid, 10).waitSeconds()).isCloseTo(2.5, within(1e-9));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -1, Double.NaN, Double.POSITIVE_INFINITY, 2e9})
    void workThatIsNotAPositiveSizeIsABadRequest(double work) {
        GridSnapshot grid = new GridSnapshot(List.of(contributor("a", "home", 1, 1.0, 0)), 0, 0);

        assertThatThrownBy(() -> Estimate.of(grid, work))
                .isInstanceOfSatisfying(PtorrentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
    }

    @Test
    void aGridWithoutCapacityCannotEstimate() {
        assertThatThrownBy(() -> Estimate.of(new GridSnapshot(List.of(HARBOR), 0, 0), 5))
                .isInstanceOfSatisfying(PtorrentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_CONTRIBUTORS));
    }

    @Test
    void capacityIsCountedPerHarbor() {
        GridSnapshot grid = new GridSnapshot(List.of(HARBOR, contributor("a", "home", 2, 1.0, 1), contributor("b", "away", 1, 2.0, 0)), 0, 1);

        assertThat(grid.perHarbor()).containsExactly(
                new GridSnapshot.HarborCapacity("away", 1, 2.0, 2.0),
                new GridSnapshot.HarborCapacity("home", 1, 2.0, 1.0));
    }
}
