package io.ptorrent.plugin.admission;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The machine's CPU time that is not the node's: the owner's work. Read from Linux's /proc as cumulative
 * clock ticks, so that the monitor can take differences between two samples.
 *
 * <p>The node's own time is this JVM's (user + system, plus its reaped children: finished sandbox workers)
 * plus the sandbox workers alive now. A worker moves from the second sum to the first when it is reaped,
 * so the total stays continuous.
 */
interface OwnerLoad {
    /** Cumulative ticks now; {@code null} where the platform does not tell (then automatic mode cannot work). */
    Sample sample();

    /**
     * @param busy  ticks the whole machine spent busy
     * @param total ticks the whole machine spent, busy or idle
     * @param own   ticks spent by this node and its workers
     */
    record Sample(long busy, long total, long own) {
    }

    /** The owner's share of the machine between two samples, 0..1 (of all cores). */
    static double ownerFraction(Sample before, Sample after) {
        long total = after.total() - before.total();
        if (total <= 0) {
            return 0;
        }
        long owner = (after.busy() - before.busy()) - (after.own() - before.own());
        return Math.max(0, Math.min(1, (double) owner / total));
    }

    /** The real machine, through /proc. */
    static OwnerLoad proc(Supplier<Set<Long>> workerPids) {
        return () -> {
            try {
                String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
                String[] f = cpu.trim().split("\\s+");
                // cpu user nice system idle iowait irq softirq steal ...
                long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3])
                        + Long.parseLong(f[6]) + Long.parseLong(f[7]) + (f.length > 8 ? Long.parseLong(f[8]) : 0);
                long total = busy + Long.parseLong(f[4]) + Long.parseLong(f[5]);
                long own = processTicks(ProcessHandle.current().pid(), true);
                for (long pid : workerPids.get()) {
                    own += processTicks(pid, false);
                }
                return new Sample(busy, total, own);
            } catch (IOException | RuntimeException e) {
                return null;
            }
        };
    }

    /** utime + stime (+ cutime + cstime) of a process; 0 if it is gone. */
    private static long processTicks(long pid, boolean withReapedChildren) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // The command name is in parentheses and may hold spaces: count fields after the last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            if (withReapedChildren) {
                ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
            }
            return ticks;
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }
}
