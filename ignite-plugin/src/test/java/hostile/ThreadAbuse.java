package hostile;

import io.ptorrent.client.SerializableCallable;

import java.util.List;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.LongStream;

/** Threads and thread pools: more cores than the contributor shares, work that outlives the fragment. */
public final class ThreadAbuse {
    /** Capped so that the test machine's per-user thread budget (shared with others) is not at risk. */
    public static final int BOMB_THREADS = 200;

    private ThreadAbuse() {
    }

    /** Starts {@link #BOMB_THREADS} sleeping threads, then waits forever. */
    public static SerializableCallable<Integer> threadBomb() {
        return () -> {
            for (int i = 0; i < BOMB_THREADS; i++) {
                new Thread(() -> {
                    try {
                        Thread.sleep(Long.MAX_VALUE);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }).start();
            }
            Thread.sleep(Long.MAX_VALUE);
            return 0;
        };
    }

    public static SerializableCallable<Integer> executor() {
        return () -> {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            return pool.submit(() -> 6 * 7).get();
        };
    }

    public static SerializableCallable<Integer> parallelStream() {
        return () -> List.of(1, 2, 3, 4).parallelStream().mapToInt(Integer::intValue).sum();
    }

    public static SerializableCallable<Long> streamParallel() {
        return () -> LongStream.range(0, 1000).parallel().sum();
    }

    public static SerializableCallable<Integer> forkJoinPool() {
        return () -> ForkJoinPool.commonPool().submit(() -> 6 * 7).get();
    }

    public static SerializableCallable<Integer> supplyAsync() {
        return () -> CompletableFuture.supplyAsync(() -> 6 * 7).join();
    }

    public static SerializableCallable<String> timer() {
        return () -> {
            new Timer().schedule(new TimerTask() {
                @Override
                public void run() {
                    // work that would outlive the fragment
                }
            }, 0, 1);
            return "scheduled";
        };
    }
}
