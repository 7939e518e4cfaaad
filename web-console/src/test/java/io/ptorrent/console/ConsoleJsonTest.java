package io.ptorrent.console;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.plugin.GridSnapshot;
import io.ptorrent.plugin.GridSnapshot.NodeInfo;
import io.ptorrent.plugin.NodeRole;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleJsonTest {
    static final GridSnapshot GRID = new GridSnapshot(List.of(
            new NodeInfo("id-h", "h1", NodeRole.HARBOR, "home", 8, 0, 1.5, 12.0, 0),
            new NodeInfo("id-a", "alice", NodeRole.CONTRIBUTOR, "home", 4, 2, 0.1, 0.4, 1),
            new NodeInfo("id-b", "bob", NodeRole.CONTRIBUTOR, "home", 2, 1, 0.2, 0.4, 0)), 3, 1);

    @Test
    void gridHasTheTotalsTheHarborAndTheTime() {
        JsonObject g = ConsoleJson.grid(GRID, "home", Instant.parse("2026-11-24T10:15:30Z"));

        assertThat(g.getString("harbor")).isEqualTo("home");
        assertThat(g.getLong("harbors")).isEqualTo(1);
        assertThat(g.getLong("contributors")).isEqualTo(2);
        assertThat(g.getDouble("capacityPu")).isEqualTo(0.4);
        // 1 x 0.1 + 1 x 0.2 is 0.30000000000000004 in doubles: the API rounds it.
        assertThat(g.getDouble("freePu")).isEqualTo(0.3);
        assertThat(g.getInteger("queuedFragments")).isEqualTo(3);
        assertThat(g.getInteger("runningFragments")).isEqualTo(1);
        assertThat(g.getString("updated")).isEqualTo("2026-11-24T10:15:30Z");
    }

    @Test
    void nodesKeepTheSnapshotOrderAndEveryField() {
        JsonArray a = ConsoleJson.nodes(GRID);

        assertThat(a).hasSize(3);
        assertThat(a.getJsonObject(0).getString("role")).isEqualTo("harbor");
        assertThat(a.getJsonObject(1)).isEqualTo(new JsonObject()
                .put("id", "id-a").put("name", "alice").put("role", "contributor").put("harbor", "home")
                .put("cores", 4).put("sharedCores", 2).put("puPerCore", 0.1).put("puScore", 0.4).put("runningFragments", 1)
                .put("claimedPuPerCore", 0.1));
    }

    @Test
    void errorsCarryTheCodeAndWhatToDo() {
        JsonObject e = ConsoleJson.error(ErrorCode.NOT_FOUND, "nothing at /api/x").getJsonObject("error");

        assertThat(e.getString("code")).isEqualTo("NOT_FOUND");
        assertThat(e.getString("message")).isEqualTo("nothing at /api/x (" + ErrorCode.NOT_FOUND.hint() + ")");
    }
}
