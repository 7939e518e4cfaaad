package io.ptorrent.plugin.journal;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A contributor's own journal: every fragment its machine ran, when, for which account, how long and what
 * it was worth, in an embedded H2 database in the node's work directory, so that it survives restarts and
 * the owner can look at it ({@code bin/ptorrent node journal}).
 *
 * <p>What a fragment "earned" here is the node's own estimate (run time × its PU per core); the harbor's
 * ledger, which pays from what the harbor observed, is the authority. One writer (the node) at a time;
 * {@link #readOnly} opens a copy's view for the CLI while the node runs. Thread-safe (one connection,
 * synchronized).
 */
public final class Journal implements AutoCloseable {
    /** The journal's file name in the work directory (H2 adds {@code .mv.db}). */
    public static final String FILE = "journal";

    private final Connection db;
    /** Runs given to {@link #recordLater} and not yet written; its monitor guards {@link #writeScheduled}. */
    private final List<Entry> pending = new ArrayList<>();
    private boolean writeScheduled;
    /** The writer thread of {@link #recordLater}, started on first use. */
    private java.util.concurrent.ExecutorService writer;
    /** Where {@link #readOnly} copied the file, deleted on close; null for the node's own journal. */
    private Path copyDir;

    private Journal(Connection db) {
        this.db = db;
    }

    /** Opens (creating if needed) the journal in {@code workDir} for writing. */
    public static Journal open(Path workDir) {
        try {
            // WRITE_DELAY=0: each run is on disk when record()/recordAll() returns, so a crash loses none and a reader's copy sees it.
            Connection c = DriverManager.getConnection(url(workDir, ";WRITE_DELAY=0"), "ptorrent", "");
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS fragment_runs ("
                        + "id BIGINT AUTO_INCREMENT PRIMARY KEY, task_id VARCHAR(64) NOT NULL, fragment INT NOT NULL, "
                        + "account VARCHAR(64), harbor VARCHAR(64), started TIMESTAMP WITH TIME ZONE NOT NULL, millis BIGINT NOT NULL, "
                        + "outcome VARCHAR(32) NOT NULL, pu_seconds DOUBLE PRECISION NOT NULL)");
            }
            return new Journal(c);
        } catch (SQLException e) {
            throw new PtorrentException(ErrorCode.CONFIG_INVALID, "the journal in '" + workDir + "' cannot be opened: " + e.getMessage()
                    + " (is another node using this work directory?)", e);
        }
    }

    /**
     * Opens the journal of a node that may be running, to read it. The running node holds H2's lock on the
     * file, so this reads a copy: H2's store is append-only with checksummed chunks, so a copy taken while
     * the node writes opens at its last complete commit. The copy is deleted on {@link #close()}.
     */
    public static Journal readOnly(Path workDir) {
        Path file = workDir.resolve(FILE + ".mv.db");
        if (!Files.exists(file)) {
            throw new PtorrentException(ErrorCode.NOT_FOUND, "there is no journal in '" + workDir + "' (has a node run with this work directory?)");
        }
        try {
            Path copyDir = Files.createTempDirectory("ptorrent-journal-");
            Files.copy(file, copyDir.resolve(FILE + ".mv.db"));
            Journal j = new Journal(DriverManager.getConnection(url(copyDir, ";ACCESS_MODE_DATA=r"), "ptorrent", ""));
            j.copyDir = copyDir;
            return j;
        } catch (SQLException | IOException e) {
            throw new PtorrentException(ErrorCode.INTERNAL, "the journal in '" + workDir + "' cannot be read: " + e.getMessage(), e);
        }
    }

    private static String url(Path workDir, String options) {
        return "jdbc:h2:file:" + workDir.toAbsolutePath().resolve(FILE) + ";DB_CLOSE_ON_EXIT=FALSE" + options;
    }

    private static final String INSERT =
            "INSERT INTO fragment_runs (task_id, fragment, account, harbor, started, millis, outcome, pu_seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    /** Adds one run. */
    public void record(Entry e) {
        recordAll(List.of(e));
    }

    /**
     * Adds the runs of one batch in one H2 statement batch and one transaction: all of them or none, and one
     * write of the file (WRITE_DELAY=0 writes at every commit) instead of one per run.
     *
     * <p>Never call it on an interrupted thread: H2 closes the whole database when an interrupted thread writes
     * its file (the caller clears the flag and restores it after, as FragmentJob does).
     */
    public synchronized void recordAll(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        try {
            boolean single = entries.size() == 1;
            if (!single) {
                db.setAutoCommit(false);
            }
            try (PreparedStatement p = db.prepareStatement(INSERT)) {
                for (Entry e : entries) {
                    p.setString(1, e.taskId());
                    p.setInt(2, e.fragment());
                    p.setString(3, e.account());
                    p.setString(4, e.harbor());
                    p.setTimestamp(5, Timestamp.from(e.started()));
                    p.setLong(6, e.millis());
                    p.setString(7, e.outcome());
                    p.setDouble(8, e.puSeconds());
                    if (single) {
                        p.executeUpdate();
                    } else {
                        p.addBatch();
                    }
                }
                if (!single) {
                    p.executeBatch();
                    db.commit();
                }
            } catch (SQLException ex) {
                if (!single) {
                    rollbackQuietly();
                }
                throw ex;
            } finally {
                if (!single) {
                    db.setAutoCommit(true);
                }
            }
        } catch (SQLException ex) {
            throw new PtorrentException(ErrorCode.INTERNAL, "cannot write the journal: " + ex.getMessage(), ex);
        }
    }

    private void rollbackQuietly() {
        try {
            db.rollback();
        } catch (SQLException ignored) {
            // the connection is broken: the transaction is gone with it
        }
    }

    /**
     * Adds the runs of one batch later, on the journal's writer thread, together with the batches that come in the
     * meantime (one H2 transaction for all of them). Why: a batch's answer must not wait for a file write (on a
     * trivial fragment it was a tenth of the round trip); a crash loses at most the runs of the last few
     * milliseconds, and this node's reads ({@link #recent}, {@link #totals}) see every run recorded before them.
     */
    public void recordLater(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        boolean schedule;
        synchronized (pending) {
            pending.addAll(entries);
            schedule = !writeScheduled;
            writeScheduled = true;
        }
        if (schedule) {
            try {
                writer().execute(this::writePending);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                writePending(); // closing: write on this thread
            }
        }
    }

    private void writePending() {
        List<Entry> rows;
        synchronized (pending) {
            rows = new ArrayList<>(pending);
            pending.clear();
            writeScheduled = false;
        }
        try {
            recordAll(rows);
        } catch (RuntimeException e) {
            // The owner's journal is a record, not part of the work: a full disk must not fail anything.
            System.getLogger(Journal.class.getName()).log(System.Logger.Level.WARNING,
                    "could not write " + rows.size() + " fragment run(s) to the journal: " + e.getMessage());
        }
    }

    private synchronized java.util.concurrent.ExecutorService writer() {
        if (writer == null) {
            writer = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "ptorrent-journal");
                t.setDaemon(true);
                return t;
            });
        }
        return writer;
    }

    /** Waits until what {@link #recordLater} was given before now is written. */
    private void awaitWritten() {
        java.util.concurrent.ExecutorService w;
        synchronized (this) {
            w = writer;
        }
        if (w == null) {
            return;
        }
        try {
            w.submit(() -> { }).get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                 | java.util.concurrent.RejectedExecutionException e) {
            // closed or stuck: read what is written
        }
    }

    /** The latest runs, newest first. */
    public List<Entry> recent(int limit) {
        awaitWritten();
        return readRecent(limit);
    }

    private synchronized List<Entry> readRecent(int limit) {
        List<Entry> out = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement(
                "SELECT task_id, fragment, account, harbor, started, millis, outcome, pu_seconds FROM fragment_runs ORDER BY id DESC LIMIT ?")) {
            p.setInt(1, limit);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new Entry(r.getString(1), r.getInt(2), r.getString(3), r.getString(4), r.getTimestamp(5).toInstant(),
                            r.getLong(6), r.getString(7), r.getDouble(8)));
                }
            }
        } catch (SQLException ex) {
            throw new PtorrentException(ErrorCode.INTERNAL, "cannot read the journal: " + ex.getMessage(), ex);
        }
        return out;
    }

    /** Totals over the whole journal: runs, runs that succeeded, and PU-seconds of successful runs. */
    public Totals totals() {
        awaitWritten();
        return readTotals();
    }

    private synchronized Totals readTotals() {
        try (Statement s = db.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*), COUNT(CASE WHEN outcome = 'OK' THEN 1 END), "
                     + "COALESCE(SUM(CASE WHEN outcome = 'OK' THEN pu_seconds END), 0) FROM fragment_runs")) {
            r.next();
            return new Totals(r.getLong(1), r.getLong(2), r.getDouble(3));
        } catch (SQLException ex) {
            throw new PtorrentException(ErrorCode.INTERNAL, "cannot read the journal: " + ex.getMessage(), ex);
        }
    }

    @Override
    public void close() {
        java.util.concurrent.ExecutorService w;
        synchronized (this) {
            w = writer;
        }
        if (w != null) {
            w.shutdown(); // what is queued is still written
            try {
                w.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeDb();
    }

    private synchronized void closeDb() {
        try {
            db.close();
        } catch (SQLException ignored) {
            // closing is best effort: H2 recovers an unclean file at the next open
        }
        if (copyDir != null) {
            try (java.util.stream.Stream<Path> files = Files.walk(copyDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a leftover copy in the temp directory is harmless
            }
        }
    }

    /**
     * One fragment run.
     *
     * @param outcome   {@code OK} or the error code it ended with
     * @param puSeconds the node's own estimate of the work: run time × PU per core
     */
    public record Entry(String taskId, int fragment, String account, String harbor, Instant started, long millis, String outcome, double puSeconds) {
    }

    /** @param puSeconds PU-seconds of the runs that succeeded (the node's estimate) */
    public record Totals(long runs, long succeeded, double puSeconds) {
    }
}
