package io.ptorrent.plugin.scheduler;

import io.ptorrent.plugin.scheduler.Placement.Candidate;
import io.ptorrent.plugin.scheduler.Topology.Contributor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class PlacementTest {
    private static Candidate node(String name, int room, double pu) {
        return new Candidate(new Contributor(UUID.randomUUID(), name, room, pu), room);
    }

    @Test
    void theDefaultTakesTheNodeWithTheMostFreePuAndTheFirstOnATie() {
        Placement.Request r = new Placement.Request("t", "acct", 0);
        Candidate slowWide = node("a", 4, 0.5);
        Candidate fast = node("b", 1, 3.0);
        Candidate same = node("c", 1, 3.0);

        assertThat(Placement.FREE_CAPACITY.place(r, List.of(slowWide, fast, same))).isEqualTo(fast);
        assertThat(Placement.FREE_CAPACITY.place(r, List.of(same, fast))).isEqualTo(same);
    }
}
