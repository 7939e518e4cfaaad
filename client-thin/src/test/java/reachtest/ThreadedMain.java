package reachtest;

import io.ptorrent.client.SerializableCallable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A submitter's program: its main method reads its input file and submits from a thread pool; the closures it
 * submits (a lambda and a nested class) touch none of that.
 */
public final class ThreadedMain {
    /** Only main() uses it: the field's type alone runs nothing. */
    private static ExecutorService pool;

    private ThreadedMain() {
    }

    public static void main(String[] args) throws Exception {
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        pool = Executors.newFixedThreadPool(4);
        List<Future<Integer>> results = new ArrayList<>();
        for (String line : lines) {
            int n = Integer.parseInt(line.trim());
            // Callable lambdas, not serializable: they never travel.
            results.add(pool.submit(() -> submit(square(n))));
            results.add(pool.submit(() -> submit(new Cube(n))));
        }
        for (Future<Integer> f : results) {
            System.out.println(f.get());
        }
        pool.shutdown();
        new Thread(() -> System.out.println("done")).start();
    }

    /** Stands in for {@code PtorrentClient.submit(closure).get()}. */
    private static int submit(SerializableCallable<Integer> closure) throws Exception {
        return closure.call();
    }

    public static SerializableCallable<Integer> square(int n) {
        return () -> n * n;
    }

    public static final class Cube implements SerializableCallable<Integer> {
        private static final long serialVersionUID = 1L;
        private final int n;

        public Cube(int n) {
            this.n = n;
        }

        @Override
        public Integer call() {
            return n * n * n;
        }
    }
}
