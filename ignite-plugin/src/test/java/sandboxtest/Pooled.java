package sandboxtest;

import io.ptorrent.client.SerializableCallable;

import java.util.ArrayList;
import java.util.List;

/**
 * Closures for the warm pool's tests, in one class so that they share one bundle: a static counter shows
 * whether two fragments ran in the same worker (and class loader), and the rest misbehave in between.
 */
public final class Pooled {
    private static int calls;

    private Pooled() {
    }

    /** How many fragments of this bundle the worker has run, this one included. */
    public static SerializableCallable<Integer> countCalls() {
        return () -> ++calls;
    }

    /** Keeps {@code mb} MiB alive at once, then answers how many it held. */
    public static SerializableCallable<Integer> hold(int mb) {
        return () -> {
            List<byte[]> kept = new ArrayList<>();
            for (int i = 0; i < mb; i++) {
                kept.add(new byte[1024 * 1024]);
            }
            return kept.size();
        };
    }

    public static SerializableCallable<Long> spin() {
        return () -> {
            long i = 0;
            while (true) {
                if (++i == Long.MIN_VALUE) {
                    return i;
                }
            }
        };
    }

    /** Spins on two threads: more CPU time than wall-clock time. */
    public static SerializableCallable<Long> spinTwice() {
        return () -> {
            Thread other = new Thread(() -> {
                long i = 0;
                while (++i != Long.MIN_VALUE) {
                    // burn
                }
            });
            other.setDaemon(true);
            other.start();
            long i = 0;
            while (true) {
                if (++i == Long.MIN_VALUE) {
                    return i;
                }
            }
        };
    }

    public static SerializableCallable<Integer> throwing() {
        return () -> {
            throw new IllegalStateException("thrown on purpose");
        };
    }
}
