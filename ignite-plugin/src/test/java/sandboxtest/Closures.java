package sandboxtest;

import io.ptorrent.client.SerializableCallable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Closures that misbehave in every way the sandbox must survive. Outside the io.ptorrent packages on
 * purpose: the bundle builder never ships ptorrent's own classes.
 */
public final class Closures {
    /** Argument of the sleep that {@link #spawnThenSpin} starts, unusual enough to find it among all processes. */
    public static final String SLEEP_MARKER = "6137";

    private Closures() {
    }

    public record Point(int x, int y) implements java.io.Serializable {
    }

    public static SerializableCallable<Map<String, Object>> value(int x, int y) {
        return () -> Map.of("point", new Point(x, y), "sum", x + y, "list", List.of("a", "b"));
    }

    public static SerializableCallable<Integer> throwing(String message) {
        return () -> {
            throw new IllegalStateException(message);
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

    /** Starts a long sleep (a grandchild of the node) and then spins: the kill must take both. */
    public static SerializableCallable<Long> spawnThenSpin() {
        return () -> {
            new ProcessBuilder("sleep", SLEEP_MARKER).start();
            long i = 0;
            while (true) {
                if (++i == Long.MIN_VALUE) {
                    return i;
                }
            }
        };
    }

    public static SerializableCallable<byte[]> bytes(int size) {
        return () -> new byte[size];
    }

    public static SerializableCallable<Integer> heapBomb() {
        return () -> {
            List<long[]> hog = new ArrayList<>();
            while (true) {
                hog.add(new long[1 << 20]);
                if (hog.size() == Integer.MAX_VALUE) {
                    return hog.size();
                }
            }
        };
    }

    public static SerializableCallable<Integer> deepRecursion() {
        return () -> depth(0);
    }

    private static int depth(int n) {
        return n == Integer.MAX_VALUE ? n : depth(n + 1) + 1;
    }

    public static SerializableCallable<Integer> exit(int status) {
        return () -> {
            System.exit(status);
            return -1;
        };
    }

    /** Prints more than the sandbox keeps, on both streams, then answers. */
    public static SerializableCallable<String> chatty(String answer) {
        return () -> {
            String line = "noise that must not reach the protocol ".repeat(10);
            for (int i = 0; i < 1000; i++) {
                System.out.println(line + i);
                System.err.println(line + i);
            }
            System.out.print("\0\1\2 not a frame");
            return answer;
        };
    }

    public static SerializableCallable<Integer> printThenThrow(String printed) {
        return () -> {
            System.out.println(printed);
            throw new IllegalArgumentException("after printing");
        };
    }

    /** Dies without a word, as a crashed JVM would. */
    public static SerializableCallable<Integer> halt(int status) {
        return () -> {
            Runtime.getRuntime().halt(status);
            return -1;
        };
    }

    /** What the worker's class path holds and whether Ignite can be loaded from it. */
    public static SerializableCallable<List<String>> classPath() {
        return () -> {
            List<String> seen = new ArrayList<>(List.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)));
            try {
                Class.forName("org.apache.ignite.Ignite");
                seen.add("IGNITE VISIBLE");
            } catch (ClassNotFoundException e) {
                // expected
            }
            return seen;
        };
    }

    public static SerializableCallable<Integer> writeFile() {
        return () -> {
            try {
                Files.writeString(Path.of(System.getProperty("java.io.tmpdir"), "out.txt"), "some bytes");
                return 1;
            } catch (IOException e) {
                throw new IllegalStateException("write failed: " + e.getMessage(), e);
            }
        };
    }
}
