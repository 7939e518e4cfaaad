package io.ptorrent.plugin.journal;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contributor's journal in a real H2 file: written, kept across a reopen, readable while its writer is open. */
class JournalTest {
    @TempDir
    Path dir;

    private static Journal.Entry run(String task, int fragment, String outcome, double pu) {
        return new Journal.Entry(task, fragment, "carol", "home", Instant.parse("2026-11-26T12:00:00Z").plusSeconds(fragment), 1500, outcome, pu);
    }

    @Test
    void runsAreKeptAcrossARestartAndReadableWhileTheNodeRuns() {
        try (Journal j = Journal.open(dir)) {
            j.record(run("task-1", 0, "OK", 1.5));
            j.record(run("task-1", 1, "FRAGMENT_FAILED", 0.4));
        }
        try (Journal writer = Journal.open(dir)) {
            writer.record(run("task-2", 0, "OK", 2.0));
            try (Journal reader = Journal.readOnly(dir)) {
                assertThat(reader.totals()).isEqualTo(new Journal.Totals(3, 2, 3.5));
                assertThat(reader.recent(2)).extracting(Journal.Entry::taskId).containsExactly("task-2", "task-1");
            }
        }
    }

    @Test
    void theCommandPrintsTheTotalsAndTheRuns() {
        try (Journal j = Journal.open(dir)) {
            j.record(run("abcdef123456", 3, "OK", 1.25));
        }
        StringWriter out = new StringWriter();
        int status = io.ptorrent.plugin.launcher.Launcher.run(new PrintWriter(out), new PrintWriter(new StringWriter()),
                "node", "journal", "--work-dir", dir.toString());

        assertThat(status).isZero();
        assertThat(out.toString()).contains("1 fragment run(s), 1 succeeded, 1.3 PU-seconds").contains("carol").contains("abcdef12");
    }

    @Test
    void aBatchOfRunsIsWrittenInOneGoAndKeptInOrder() {
        try (Journal j = Journal.open(dir)) {
            j.recordAll(java.util.List.of(run("task-3", 0, "OK", 1.0), run("task-3", 1, "FRAGMENT_TIMEOUT", 0.5),
                    run("task-3", 2, "OK", 2.0)));
            j.recordAll(java.util.List.of());
        }
        try (Journal reader = Journal.readOnly(dir)) {
            assertThat(reader.totals()).isEqualTo(new Journal.Totals(3, 2, 3.0));
            assertThat(reader.recent(10)).extracting(Journal.Entry::fragment).containsExactly(2, 1, 0);
        }
    }

    @Test
    void aBatchWithARowTheTableRefusesWritesNoneOfIt() {
        try (Journal j = Journal.open(dir)) {
            String tooLong = "x".repeat(100); // task_id is VARCHAR(64)
            assertThatThrownBy(() -> j.recordAll(java.util.List.of(run("task-4", 0, "OK", 1.0), run(tooLong, 1, "OK", 1.0))))
                    .isInstanceOfSatisfying(PtorrentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL));
            assertThat(j.totals().runs()).isZero();
            // The journal still takes writes after a refused batch.
            j.record(run("task-5", 0, "OK", 1.0));
            assertThat(j.totals().runs()).isEqualTo(1);
        }
    }

    @Test
    void aDirectoryWithoutAJournalIsNotFound() {
        assertThatThrownBy(() -> Journal.readOnly(dir.resolve("nobody")))
                .isInstanceOfSatisfying(PtorrentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }
}
