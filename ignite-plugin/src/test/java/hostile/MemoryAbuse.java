package hostile;

import io.ptorrent.client.SerializableCallable;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Memory, stack and output: only the limits stop these. */
public final class MemoryAbuse {
    /** How much {@link #print100MiB} prints. */
    public static final long PRINTED_BYTES = 100L * 1024 * 1024;

    private MemoryAbuse() {
    }

    public static SerializableCallable<Integer> heapBomb() {
        return () -> {
            List<long[]> hog = new ArrayList<>();
            while (hog.size() >= 0) {
                hog.add(new long[1 << 20]);
            }
            return hog.size();
        };
    }

    public static SerializableCallable<Integer> hugeArray() {
        return () -> new long[Integer.MAX_VALUE - 8].length;
    }

    public static SerializableCallable<Integer> stringBomb() {
        return () -> {
            StringBuilder s = new StringBuilder("x");
            while (s.length() > 0) {
                s.append(s);
            }
            return s.length();
        };
    }

    public static SerializableCallable<Integer> directMemory() {
        return () -> ByteBuffer.allocateDirect(1 << 30).capacity();
    }

    public static SerializableCallable<Integer> stackOverflow() {
        return () -> depth(0);
    }

    private static int depth(int n) {
        return n == Integer.MAX_VALUE ? n : depth(n + 1) + 1;
    }

    public static SerializableCallable<byte[]> hugeResult(int bytes) {
        return () -> new byte[bytes];
    }

    public static SerializableCallable<String> print100MiB() {
        return () -> {
            String line = "x".repeat(1023);
            for (long i = 0; i < PRINTED_BYTES / 1024; i++) {
                System.out.println(line);
            }
            return "printed";
        };
    }
}
