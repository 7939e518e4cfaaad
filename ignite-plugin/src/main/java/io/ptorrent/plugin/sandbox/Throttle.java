package io.ptorrent.plugin.sandbox;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Holds busy sandbox workers to a share of one core (the share rules' {@code cpuPercent}) by duty cycling:
 * in every {@link #PERIOD} a worker runs for {@code cpuPercent} of it and is stopped (SIGSTOP) for the rest.
 * A single-threaded closure then gets at most that share of a core; a worker's threads are stopped together.
 *
 * <p>Why this way: it needs neither root nor a writable cgroup (cgroup v2 CPU quotas need a delegated
 * subtree, which a household's session rarely has). Java cannot send SIGSTOP, so one long-lived {@code sh}
 * reads {@code kill -STOP/-CONT pid…} lines on its stdin ({@code kill} is a shell builtin: no fork per
 * signal); it starts the first time a worker must be stopped. The percentage is read every period, so a
 * rule change reaches running fragments too. A worker stopped a moment after its fragment ended is resumed
 * at the next period's start, so an idle worker is never left stopped for longer than one period.
 *
 * <p>One daemon thread; it waits (no polling faster than once a second) while nothing is throttled.
 */
final class Throttle implements AutoCloseable {
    static final Duration PERIOD = Duration.ofMillis(100);
    private static final long IDLE_WAIT_MS = 1000;

    private final IntSupplier cpuPercent;
    private final Supplier<Collection<Long>> busy;
    private final Thread thread;
    private final Set<Long> stopped = new HashSet<>();
    private final Object wake = new Object();
    private volatile Process shell;
    private Writer commands;
    private volatile boolean closed;

    /**
     * @param cpuPercent the share of a core allowed now, 1-100 (100: no throttling)
     * @param busy       pids of the workers running a fragment now
     */
    Throttle(IntSupplier cpuPercent, Supplier<Collection<Long>> busy) {
        this.cpuPercent = cpuPercent;
        this.busy = busy;
        this.thread = new Thread(this::loop, "ptorrent-sandbox-throttle");
        thread.setDaemon(true);
        thread.start();
    }

    /** A fragment started: look at once instead of after the idle wait. */
    void wake() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    /** The helper shell's pid, if it runs (its CPU is the node's, not the owner's). */
    OptionalLong shellPid() {
        Process s = shell;
        return s != null && s.isAlive() ? OptionalLong.of(s.pid()) : OptionalLong.empty();
    }

    private void loop() {
        long periodMs = PERIOD.toMillis();
        try {
            while (!closed) {
                int percent = Math.max(1, Math.min(100, cpuPercent.getAsInt()));
                Collection<Long> running = busy.get();
                resumeAll();
                if (percent >= 100 || running.isEmpty()) {
                    synchronized (wake) {
                        wake.wait(IDLE_WAIT_MS);
                    }
                    continue;
                }
                long run = Math.max(1, periodMs * percent / 100);
                Thread.sleep(run);
                // Only those still busy: a worker that finished in between is not stopped.
                Collection<Long> still = busy.get();
                if (!still.isEmpty()) {
                    signal("STOP", still);
                    stopped.addAll(still);
                }
                Thread.sleep(periodMs - run);
            }
        } catch (InterruptedException e) {
            // closing
        } finally {
            resumeAll();
        }
    }

    private void resumeAll() {
        if (!stopped.isEmpty()) {
            signal("CONT", List.copyOf(stopped));
            stopped.clear();
        }
    }

    private void signal(String signal, Collection<Long> pids) {
        StringBuilder line = new StringBuilder("kill -").append(signal);
        for (long pid : pids) {
            line.append(' ').append(pid);
        }
        line.append('\n');
        try {
            shell().write(line.toString());
            commands.flush();
        } catch (IOException e) {
            // The shell died: start another for the next line; this period goes unthrottled.
            dropShell();
        }
    }

    private Writer shell() throws IOException {
        if (shell == null || !shell.isAlive()) {
            dropShell();
            ProcessBuilder pb = new ProcessBuilder("/bin/sh").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().clear();
            pb.environment().put("PATH", "/usr/bin:/bin");
            shell = pb.start();
            commands = new OutputStreamWriter(shell.getOutputStream(), StandardCharsets.US_ASCII);
        }
        return commands;
    }

    private void dropShell() {
        if (shell != null) {
            shell.destroyForcibly();
        }
        shell = null;
        commands = null;
    }

    /** Resumes whatever it stopped and ends the shell. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Process s = shell;
        if (s != null) {
            s.destroyForcibly();
            try {
                s.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
