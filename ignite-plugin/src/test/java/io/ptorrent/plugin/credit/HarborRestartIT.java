package io.ptorrent.plugin.credit;

import admissiontest.BusyClosures;
import io.ptorrent.client.Balance;
import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.PtorrentClientOptions;
import io.ptorrent.client.SerializableCallable;
import io.ptorrent.plugin.launcher.Launcher;
import io.ptorrent.plugin.PtorrentPluginConfiguration;
import io.ptorrent.plugin.security.Identities;
import io.ptorrent.plugin.testing.TestGrid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A harbor that dies mid-task (SIGKILL of its JVM, config/harbor.xml with native persistence): the task dies
 * with it, the payments it committed stay, and the next start refunds the task's hold exactly once; a second
 * restart moves nothing more.
 */
class HarborRestartIT {
    private static final int BASE_PORT = 50240;
    private static final int DISCOVERY = BASE_PORT;
    private static final int COMMUNICATION = BASE_PORT + 100;
    private static final int THIN = BASE_PORT + 200;
    private static final Path CONFIG = Path.of("..", "config", "harbor.xml").toAbsolutePath().normalize();
    private static final long STARTER = 3_600_000;

    @TempDir
    Path work;

    private Process harbor;
    private String carolKey;
    private String operatorKey;

    @AfterEach
    void killHarbor() throws InterruptedException {
        if (harbor != null && harbor.isAlive()) {
            harbor.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aHarborKilledMidTaskRefundsTheTasksHoldOnceWhenItStartsAgainAndKeepsThePayments() throws Exception {
        try (TestGrid contributors = new TestGrid(BASE_PORT)) {
            harbor = startHarbor("first");
            contributors.useExternalHarbor("127.0.0.1:" + THIN, work.resolve("harbor").resolve(PtorrentPluginConfiguration.OPERATOR_KEY_FILE));
            carolKey = contributors.apiKey("carol");
            operatorKey = contributors.apiKey(Identities.OPERATOR_ACCOUNT);
            contributors.startContributor("alice", c -> c.setSharedCores(1).setAccount("alice"));
            contributors.startContributor("bob", c -> c.setSharedCores(1).setAccount("bob"));

            long earnedBeforeKill;
            // Open until the harbor is dead: a client that disconnects cancels its task, and that would refund it.
            PtorrentClient carol = client();
            try (PtorrentClient watcher = operator()) {
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> watcher.balance("alice") != null && watcher.balance("bob") != null);
                List<SerializableCallable<Integer>> work = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    work.add(BusyClosures.busy(1_500, i));
                }
                carol.submitAll(work);
                // Some fragments are paid, and the task is still running.
                await().atMost(Duration.ofSeconds(60)).until(() -> watcher.balance("alice").earned() + watcher.balance("bob").earned() > 0);
                assertThat(watcher.balance("carol").held()).isPositive();
                earnedBeforeKill = watcher.balance("alice").earned() + watcher.balance("bob").earned();
            }
            harbor.destroyForcibly(); // SIGKILL: no shutdown hook, no refund on the way out
            assertThat(harbor.waitFor(30, TimeUnit.SECONDS)).isTrue();
            carol.close();

            harbor = startHarbor("second");
            Balance carolAfter;
            long earned;
            try (PtorrentClient c = operator(); Connection jdbc = jdbc()) {
                carolAfter = c.balance("carol");
                earned = c.balance("alice").earned() + c.balance("bob").earned();
                assertThat(carolAfter.held()).isZero();
                assertThat(earned).isGreaterThanOrEqualTo(earnedBeforeKill);
                assertThat(carolAfter.spent()).isEqualTo(earned);
                assertThat(carolAfter.balance()).isEqualTo(STARTER - earned);
                assertThat(count(jdbc, "SELECT COUNT(*) FROM PTORRENT.LEDGER WHERE KIND = 'REFUND'")).isEqualTo(1);
                assertThat(count(jdbc, "SELECT COUNT(*) FROM PTORRENT.HOLD WHERE OPEN = TRUE")).isZero();
                // The task died unfinished (fewer fragments paid than it had), so only the start's sweep can have refunded it.
                assertThat(count(jdbc, "SELECT COUNT(*) FROM PTORRENT.LEDGER WHERE KIND = 'SETTLE'")).isBetween(1L, 7L);
                assertConserved(jdbc);
            }

            // A clean restart: nothing more is refunded or moved.
            harbor.destroy();
            assertThat(harbor.waitFor(60, TimeUnit.SECONDS)).isTrue();
            harbor = startHarbor("third");
            try (PtorrentClient c = operator(); Connection jdbc = jdbc()) {
                assertThat(c.balance("carol")).isEqualTo(carolAfter);
                assertThat(c.balance("alice").earned() + c.balance("bob").earned()).isEqualTo(earned);
                assertThat(count(jdbc, "SELECT COUNT(*) FROM PTORRENT.LEDGER WHERE KIND = 'REFUND'")).isEqualTo(1);
                assertConserved(jdbc);
            }
        }
    }

    /** bin/ptorrent harbor with config/harbor.xml, in its own JVM, on this test's ports; returns once it answers. */
    private Process startHarbor(String run) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("-D")) {
                cmd.add(a);
            }
        }
        cmd.addAll(List.of("-Xmx384m", "-cp", System.getProperty("java.class.path"), Launcher.class.getName(), "harbor",
                "--config", CONFIG.toString(), "--name", "harbor", "--work-dir", work.resolve("harbor").toString(),
                "--discovery-port", "" + DISCOVERY, "--communication-port", "" + COMMUNICATION, "--thin-port", "" + THIN,
                "--console-port", "0", "--open-account", "carol", "--no-tls"));
        Path log = work.resolve("harbor-" + run + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            assertThat(p.isAlive()).as(() -> read(log)).isTrue();
            return read(log).contains("ptorrent harbor 'harbor' is up");
        });
        return p;
    }

    private PtorrentClient client() {
        return PtorrentClient.connect(new PtorrentClientOptions().addresses("127.0.0.1:" + THIN).apiKey("carol", carolKey).fragmentTimeout(Duration.ofSeconds(30)));
    }

    /** Reads every account (carol may read only her own). */
    private PtorrentClient operator() {
        return PtorrentClient.connect(new PtorrentClientOptions().addresses("127.0.0.1:" + THIN).apiKey(Identities.OPERATOR_ACCOUNT, operatorKey));
    }

    private Connection jdbc() throws SQLException {
        return DriverManager.getConnection("jdbc:ignite:thin://127.0.0.1:" + THIN, Identities.OPERATOR_ACCOUNT, operatorKey);
    }

    private static void assertConserved(Connection jdbc) throws SQLException {
        long balances = count(jdbc, "SELECT SUM(BALANCE) FROM PTORRENT.ACCOUNT");
        long holds = count(jdbc, "SELECT COALESCE(SUM(REMAINING), 0) FROM PTORRENT.HOLD WHERE OPEN = TRUE");
        assertThat(balances + holds).as("sum of balances and open holds").isZero();
    }

    private static long count(Connection jdbc, String sql) throws SQLException {
        try (var st = jdbc.createStatement(); var rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
