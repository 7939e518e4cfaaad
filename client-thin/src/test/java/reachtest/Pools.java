package reachtest;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A helper class that starts threads. */
final class Pools {
    private Pools() {
    }

    static int sumInParallel(int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            return pool.submit(() -> n * (n + 1) / 2).get();
        } finally {
            pool.shutdown();
        }
    }
}
