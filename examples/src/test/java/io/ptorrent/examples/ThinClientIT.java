package io.ptorrent.examples;

import admissiontest.BusyClosures;
import io.ptorrent.client.Availability;
import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.GridEstimate;
import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.PtorrentClientOptions;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.SerializableCallable;
import io.ptorrent.client.TaskHandle;
import io.ptorrent.client.TaskStatus;
import io.ptorrent.plugin.PtorrentPlugin;
import io.ptorrent.plugin.gateway.BundleStore;
import io.ptorrent.plugin.journal.Journal;
import io.ptorrent.plugin.launcher.Launcher;
import io.ptorrent.plugin.testing.TestGrid;
import org.apache.ignite.Ignite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The thin-client API against a real grid (a harbor and two one-core contributors on loopback): closures,
 * map, mapRange, task status by id, cancellation, the task timeout, the result cap, upload-once bundles,
 * availability and estimate, and {@code bin/ptorrent status}.
 */
class ThinClientIT {
    private static final int BASE_PORT = 50600;
    private static final Duration LONG = Duration.ofSeconds(60);
    private static TestGrid grid;
    private static Ignite harbor;
    private static PtorrentClient client;

    @BeforeAll
    static void startGrid() {
        grid = new TestGrid(BASE_PORT);
        harbor = grid.startHarbor("harbor");
        grid.startContributor("alice", 1);
        grid.startContributor("bob", 1);
        client = PtorrentClient.connect(grid.clientOptions("tester"));
    }

    @AfterAll
    static void stopGrid() {
        if (client != null) {
            client.close();
        }
        if (grid != null) {
            grid.close();
        }
    }

    @Test
    void aClosureWithCapturedStateReturnsItsValueAndItsStatusStaysQueryable() {
        TaskHandle<String> task = client.submit(ThinClientClosures.greeting("ab", 3));

        assertThat(task.get()).isEqualTo("ababab!");
        String id = task.taskId().join();
        TaskStatus after = client.status(id);
        assertThat(after.state()).isEqualTo(TaskStatus.State.SUCCEEDED);
        assertThat(after.fragmentsDone()).isEqualTo(1);
        assertThat(after.fragmentsTotal()).isEqualTo(1);
        assertThat(task.progress().state()).isEqualTo(TaskStatus.State.SUCCEEDED);
    }

    @Test
    void aMapOverAThousandElementsIsBatchedAndKeepsTheOrder() {
        List<Integer> inputs = IntStream.range(0, 1_000).boxed().toList();

        TaskHandle<List<Integer>> task = client.map(inputs, ThinClientClosures.square());

        assertThat(task.get()).isEqualTo(inputs.stream().map(x -> x * x).toList());
        // 1,000 elements in batches, sized from the grid: 8 fragments per shared core (at least 16), not one per element.
        assertThat(task.report().join().fragments()).hasSize(gridSizedFragments());
    }

    @Test
    void mapRangeFoldsTheSubRangesWithTheReducer() {
        TaskHandle<Long> task = client.mapRange(0, 1_000_001, ThinClientClosures.sum(), Long::sum);

        assertThat(task.get()).isEqualTo(1_000_000L * 1_000_001L / 2);
        assertThat(task.progress().fragmentsTotal()).isEqualTo(gridSizedFragments());
    }

    @Test
    void aMapWithMaxMapFragmentsSetMakesThatMany() {
        try (PtorrentClient fixed = PtorrentClient.connect(grid.clientOptions("tester").maxMapFragments(100))) {
            TaskHandle<List<Integer>> task = fixed.map(IntStream.range(0, 1_000).boxed().toList(), ThinClientClosures.square());
            assertThat(task.get()).hasSize(1_000);
            assertThat(task.progress().fragmentsTotal()).isEqualTo(100);
        }
    }

    /** What a map of many inputs makes on this grid with the default options. */
    private static int gridSizedFragments() {
        int cores = client.availability().sharedCores();
        assertThat(cores).as("alice's and bob's shared cores").isEqualTo(2);
        return Math.max(PtorrentClientOptions.MIN_MAP_FRAGMENTS, cores * PtorrentClientOptions.MAP_FRAGMENTS_PER_SHARED_CORE);
    }

    @Test
    void cancellingStopsTheRunningFragmentsAndRunsNothingMore() {
        List<SerializableCallable<Integer>> work = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            work.add(BusyClosures.busy(LONG.toMillis(), i));
        }
        TaskHandle<List<Integer>> task = client.submitAll(work);
        String id = task.taskId().join();
        // Running: a sandbox worker busy on each contributor's shared core (and, pipelined, the next fragments queued there).
        await().atMost(Duration.ofSeconds(30)).until(() -> busyWorkers("alice") == 1 && busyWorkers("bob") == 1);
        int out = PtorrentPlugin.of(harbor).gridSnapshot().runningFragments();
        TaskStatus running = client.status(id);
        assertThat(running.state()).isEqualTo(TaskStatus.State.RUNNING);
        assertThat(running.fragmentsTotal()).isEqualTo(6);
        assertThat(running.fragmentsDone()).isZero();

        task.cancel();

        assertThatThrownBy(task::get).isInstanceOfSatisfying(PtorrentException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.TASK_CANCELLED));
        assertThat(client.status(id).state()).isEqualTo(TaskStatus.State.CANCELLED);
        // The running fragments end on their contributors long before their minute of work: their workers were stopped.
        await().atMost(Duration.ofSeconds(30)).until(() -> busyWorkers("alice") == 0 && busyWorkers("bob") == 0);
        // Nothing else of the task is queued or running.
        await().atMost(Duration.ofSeconds(30)).until(() -> PtorrentPlugin.of(harbor).gridSnapshot().runningFragments() == 0);
        assertThat(PtorrentPlugin.of(harbor).gridSnapshot().queuedFragments()).isZero();
        assertThat(client.submit(ThinClientClosures.greeting("x", 2)).get()).isEqualTo("xx!");
        // What the nodes recorded of it: at most what was out when it was cancelled, and none of it finished its work.
        assertThat(journaled(id)).hasSizeLessThanOrEqualTo(out).allSatisfy(e -> {
            assertThat(e.outcome()).isNotEqualTo("OK");
            assertThat(e.millis()).isLessThan(LONG.toMillis());
        });
    }

    /** Sandbox workers of the node that serve a fragment now. */
    private static int busyWorkers(String node) {
        var sandbox = PtorrentPlugin.of(grid.node(node)).sandbox();
        return sandbox.workerPids().size() - sandbox.idleWorkers();
    }

    @Test
    void aTaskPastItsTimeoutFailsWithTaskTimeout() {
        try (PtorrentClient impatient = PtorrentClient.connect(grid.clientOptions("tester")
                .timeout(Duration.ofSeconds(2)))) {
            TaskHandle<Integer> task = impatient.submit(BusyClosures.busy(LONG.toMillis(), 1));

            assertThatThrownBy(task::get).isInstanceOfSatisfying(PtorrentException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.TASK_TIMEOUT);
                assertThat(e.getMessage()).contains("did not finish within 2000 ms");
            });
            TaskStatus status = impatient.status(task.taskId().join());
            assertThat(status.state()).isEqualTo(TaskStatus.State.FAILED);
            assertThat(status.error().code()).isEqualTo(ErrorCode.TASK_TIMEOUT);
        }
    }

    @Test
    void aResultLargerThanTheCapFailsWithResultTooLarge() {
        TaskHandle<byte[]> task = client.submit(ThinClientClosures.bigResult(9 * 1024 * 1024));

        assertThatThrownBy(task::get).isInstanceOfSatisfying(PtorrentException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.RESULT_TOO_LARGE);
            assertThat(e.getMessage()).containsIgnoringCase("result");
        });
    }

    @Test
    void aSecondTaskWithTheSameCodeUploadsNothing() {
        long harborUploads = BundleStore.of(harbor).uploads();
        long clientUploads = client.bundleUploads();

        assertThat(client.submit(UploadOnceClosures.plusOne(1)).get()).isEqualTo(2);
        assertThat(client.submit(UploadOnceClosures.plusOne(41)).get()).isEqualTo(42);

        assertThat(BundleStore.of(harbor).uploads() - harborUploads).isEqualTo(1);
        assertThat(client.bundleUploads() - clientUploads).isEqualTo(1);
        // Another client asks the harbor first and uploads nothing either.
        try (PtorrentClient other = PtorrentClient.connect(grid.clientOptions("tester"))) {
            assertThat(other.submit(UploadOnceClosures.plusOne(2)).get()).isEqualTo(3);
            assertThat(other.bundleUploads()).isZero();
        }
        assertThat(BundleStore.of(harbor).uploads() - harborUploads).isEqualTo(1);
    }

    @Test
    void theLauncherShowsATaskByIdAndRefusesAnUnknownOne() throws java.io.IOException {
        String id = client.submit(ThinClientClosures.greeting("s", 1)).taskId().join();
        // The launcher authenticates as the task's account, with a key from a file (never on the command line).
        java.nio.file.Path key = java.nio.file.Files.writeString(java.nio.file.Files.createTempFile("tester", ".key"), grid.apiKey("tester"));
        await().atMost(Duration.ofSeconds(30)).until(() -> client.status(id).state().finished());

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Launcher.run(new PrintWriter(out), new PrintWriter(err), "status", id, "--harbor", grid.thinClientAddress(), "--no-tls",
                "--account", "tester", "--key-file", key.toString());

        assertThat(code).isZero();
        assertThat(out.toString()).contains(id).contains("SUCCEEDED").contains("1/1 fragments done");

        StringWriter err2 = new StringWriter();
        int unknown = Launcher.run(new PrintWriter(new StringWriter()), new PrintWriter(err2), "status", "no-such-task",
                "--harbor", grid.thinClientAddress(), "--no-tls", "--account", "tester", "--key-file", key.toString());
        assertThat(unknown).isEqualTo(Launcher.EXIT_FAILED);
        assertThat(err2.toString()).contains("NOT_FOUND").contains("no-such-task");
    }

    @Test
    void availabilityAndEstimateComeFromTheHarbor() {
        // A contributor's PU counts once the harbor has measured it (a speed probe when the node joins).
        await().atMost(Duration.ofSeconds(60)).until(() -> client.availability().capacityPu() > 0);
        Availability a = client.availability();
        assertThat(a.contributors()).isEqualTo(2);
        assertThat(a.sharedCores()).isEqualTo(2);
        assertThat(a.freeCores()).isBetween(0, 2);
        assertThat(a.capacityPu()).isPositive();

        GridEstimate e = client.estimate(100);
        assertThat(e.workPu()).isEqualTo(100);
        assertThat(e.runSeconds()).isCloseTo(100 / e.capacityPu(), within(1e-9));
        assertThat(e.costCredits()).isCloseTo(100 * e.pricePerPuSecond(), within(1e-9));
        assertThatThrownBy(() -> client.estimate(-1)).isInstanceOfSatisfying(PtorrentException.class,
                ex -> assertThat(ex.code()).isEqualTo(ErrorCode.BAD_REQUEST));
    }

    private static List<Journal.Entry> journaled(String taskId) {
        List<Journal.Entry> out = new ArrayList<>();
        for (String node : List.of("alice", "bob")) {
            for (Journal.Entry e : PtorrentPlugin.of(grid.node(node)).journal().recent(1_000)) {
                if (e.taskId().equals(taskId)) {
                    out.add(e);
                }
            }
        }
        return Collections.unmodifiableList(out);
    }
}
