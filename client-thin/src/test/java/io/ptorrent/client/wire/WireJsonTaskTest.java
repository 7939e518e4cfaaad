package io.ptorrent.client.wire;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.LongRange;
import io.ptorrent.client.PtorrentException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The task gateway's messages as other languages' thin clients write them. */
class WireJsonTaskTest {
    @Test
    void aStartRequestWrittenByHandIsRead() {
        TaskStartRequest r = WireJson.read("{\"account\":\"carol\",\"bundleSha256\":\"ab\",\"fragments\":[\"AQI=\"],\"timeoutMs\":0,"
                + "\"taskTimeoutMs\":5000}", TaskStartRequest.class);

        assertThat(r.account()).isEqualTo("carol");
        assertThat(r.fragments()).hasSize(1);
        assertThat(r.fragments().get(0)).containsExactly(1, 2);
        assertThat(r.taskTimeoutMs()).isEqualTo(5000);
    }

    @Test
    void aStartRequestWithoutABundleHashIsABadRequest() {
        assertThatThrownBy(() -> WireJson.read("{\"fragments\":[]}", TaskStartRequest.class))
                .isInstanceOfSatisfying(PtorrentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
    }

    @Test
    void aStatusSurvivesTheRoundTripAndKnowsWhenItIsFinal() {
        TaskStatusResult running = new TaskStatusResult("t1", "RUNNING", 8, 3, 0, List.of(), null);
        TaskStatusResult back = WireJson.read(WireJson.write(running), TaskStatusResult.class);

        assertThat(back).isEqualTo(running);
        assertThat(back.finished()).isFalse();
        assertThat(TaskStatusResult.failed("t1", new WireError("NOT_FOUND", "no task t1")).finished()).isFalse();
        assertThat(new TaskStatusResult("t1", "CANCELLED", 8, 3, 0, null, new WireError("TASK_CANCELLED", "x")).finished()).isTrue();
    }

    @Test
    void aQueryNeedsATaskId() {
        assertThat(WireJson.read("{\"taskId\":\"t1\"}", TaskQuery.class)).isEqualTo(new TaskQuery("t1"));
        assertThatThrownBy(() -> WireJson.read("{}", TaskQuery.class))
                .isInstanceOfSatisfying(PtorrentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
    }

    @Test
    void aRangeThatEndsBeforeItStartsIsABadRequest() {
        assertThat(new LongRange(3, 10).size()).isEqualTo(7);
        assertThatThrownBy(() -> new LongRange(10, 3))
                .isInstanceOfSatisfying(PtorrentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
    }
}
