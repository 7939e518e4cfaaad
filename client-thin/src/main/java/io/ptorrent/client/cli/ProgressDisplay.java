package io.ptorrent.client.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What {@code bin/ptorrent submit} shows while a task runs. On a terminal: one line redrawn in place, a
 * spinner, the elapsed time and, when the task's progress is known, a bar of fragments done. Elsewhere (a
 * pipe, a log file): a plain line every {@link #PLAIN_EVERY}, since a redrawn line would be a mess there.
 * A task that ends within {@link #SHOW_AFTER} shows nothing: short tasks print only their result.
 *
 * <p>The caller waits for the task and calls {@link #tick()} every so often, then {@link #finish()} once.
 * Time comes from an injected ticker (nanoseconds), so tests move it by hand. One thread; not thread-safe.
 */
final class ProgressDisplay {
    /** Nothing is shown before a task has run this long. */
    static final Duration SHOW_AFTER = Duration.ofSeconds(1);
    /** How often a plain (not a terminal) line is written. */
    static final Duration PLAIN_EVERY = Duration.ofSeconds(10);
    private static final String SPINNER = "|/-\\";
    private static final int BAR_WIDTH = 20;

    /**
     * How far a task is, when the client can tell.
     *
     * @param done  fragments finished
     * @param total fragments in the task
     */
    record Progress(int done, int total) {
        Progress {
            if (total < 1 || done < 0 || done > total) {
                throw new IllegalArgumentException("progress " + done + "/" + total);
            }
        }
    }

    private final PrintWriter out;
    private final boolean terminal;
    private final String what;
    private final LongSupplier nanoTicker;
    private final Supplier<Progress> progress;
    private final long started;
    private int frame;
    private int drawnWidth;
    private long nextPlainNanos = PLAIN_EVERY.toNanos();

    /**
     * @param out        where the display goes (the CLI's standard error, so that standard output holds only the result)
     * @param terminal   whether {@code out} is a terminal (a line can be redrawn in place)
     * @param what       what runs, e.g. the job's class name
     * @param nanoTicker the time in nanoseconds (System::nanoTime)
     * @param progress   the task's progress, or a supplier of {@code null} while the client cannot tell
     */
    ProgressDisplay(PrintWriter out, boolean terminal, String what, LongSupplier nanoTicker, Supplier<Progress> progress) {
        this.out = out;
        this.terminal = terminal;
        this.what = what;
        this.nanoTicker = nanoTicker;
        this.progress = progress;
        this.started = nanoTicker.getAsLong();
    }

    /** Shows the task's state, if it is time to. */
    void tick() {
        long elapsed = nanoTicker.getAsLong() - started;
        if (elapsed < SHOW_AFTER.toNanos()) {
            return;
        }
        Progress p = progress.get();
        if (terminal) {
            String line = SPINNER.charAt(frame++ % SPINNER.length()) + " " + what + " running " + seconds(elapsed)
                    + (p == null ? "" : "  " + bar(p) + " " + p.done() + "/" + p.total() + " fragments");
            // Pad over what the last line drew, so that a shorter line leaves nothing behind.
            out.print("\r" + line + " ".repeat(Math.max(0, drawnWidth - line.length())));
            drawnWidth = Math.max(drawnWidth, line.length()); // what the screen's line now holds, padding included
            out.flush();
        } else if (elapsed >= nextPlainNanos) {
            out.println("ptorrent: " + what + " still running after " + seconds(elapsed)
                    + (p == null ? "" : " (" + p.done() + "/" + p.total() + " fragments done)"));
            out.flush();
            nextPlainNanos = (elapsed / PLAIN_EVERY.toNanos() + 1) * PLAIN_EVERY.toNanos();
        }
    }

    /** Clears the redrawn line (on a terminal), so that what follows starts on a clean line. */
    void finish() {
        if (drawnWidth > 0) {
            out.print("\r" + " ".repeat(drawnWidth) + "\r");
            out.flush();
            drawnWidth = 0;
        }
    }

    private static String bar(Progress p) {
        int filled = (int) ((long) p.done() * BAR_WIDTH / p.total());
        return "[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "]";
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
