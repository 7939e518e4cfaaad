package reachtest;

import io.ptorrent.client.SerializableCallable;

/**
 * The lambda calls {@code Task.run()} on a plain task; a subclass that only an unreachable method makes overrides
 * it with a thread. Class hierarchy analysis counts the override (a virtual call may land in any).
 */
public final class OverrideHelper {
    private OverrideHelper() {
    }

    public static SerializableCallable<Integer> closure() {
        return () -> pick().run();
    }

    private static Task pick() {
        return new Task();
    }

    /** Nothing reachable calls this. */
    static Task threaded() {
        return new ThreadedTask();
    }

    static class Task {
        int run() {
            return 1;
        }
    }

    static final class ThreadedTask extends Task {
        @Override
        int run() {
            new Thread(() -> { }).start();
            return 2;
        }
    }
}
