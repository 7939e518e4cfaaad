package hostile;

import io.ptorrent.client.SerializableCallable;

/** Stopping or steering the JVM. */
public final class JvmControl {
    private JvmControl() {
    }

    public static SerializableCallable<Integer> exit() {
        return () -> {
            System.exit(0);
            return 0;
        };
    }

    public static SerializableCallable<Integer> halt() {
        return () -> {
            Runtime.getRuntime().halt(0);
            return 0;
        };
    }

    /** A shutdown hook that never ends, then exit. */
    public static SerializableCallable<Integer> endlessShutdownHook() {
        return () -> {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                long i = 0;
                while (i >= 0) {
                    i++;
                }
            }));
            System.exit(1);
            return 0;
        };
    }
}
