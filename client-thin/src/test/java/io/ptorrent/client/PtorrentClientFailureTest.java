package io.ptorrent.client;

import org.apache.ignite.client.ClientConnectionException;
import org.apache.ignite.client.ClientException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

/** How a failed thin-client call reaches the submitter: one of ptorrent's codes, with what to do. */
class PtorrentClientFailureTest {
    @Test
    void aConnectionThatClosesMidCallIsConnectionFailedNotInternal() {
        // What a submitter saw when its harbor was killed mid-task (bench/run chaos): INTERNAL, "Connection to server is closed".
        PtorrentException e = PtorrentClient.failure(new CompletionException(new ClientException("task failed",
                new ClientConnectionException("Connection to server is closed"))));
        assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_FAILED);
        assertThat(e.getMessage()).contains("Connection to server is closed").contains("submit again");
    }

    @Test
    void computeCallsEndedByAClosedChannelAreConnectionFailed() {
        // Ignite's thin client ends the compute calls open on a connection that closed this way (bench/run load: INTERNAL).
        PtorrentException e = PtorrentClient.failure(new CompletionException(new ClientException("Channel is closed")));
        assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_FAILED);
    }

    @Test
    void aTimeoutIsTaskTimeout() {
        assertThat(PtorrentClient.failure(new CompletionException(new java.util.concurrent.TimeoutException("no answer"))).code())
                .isEqualTo(ErrorCode.TASK_TIMEOUT);
    }

    @Test
    void anUnknownFailureIsStillInternal() {
        assertThat(PtorrentClient.failure(new IllegalStateException("boom")).code()).isEqualTo(ErrorCode.INTERNAL);
    }

    @Test
    void aPtorrentExceptionPassesThrough() {
        PtorrentException original = new PtorrentException(ErrorCode.NOT_FOUND, "no such task");
        assertThat(PtorrentClient.failure(new CompletionException(original))).isSameAs(original);
    }
}
