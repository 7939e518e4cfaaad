package reachtest;

import io.ptorrent.client.SerializableCallable;

import java.util.concurrent.Executors;

/**
 * Two serializable lambdas in one class: a forged stream may deserialize either through the class's
 * {@code $deserializeLambda$}, so the clean one's bundle is refused for the other one's threads.
 */
public final class SecondLambda {
    private SecondLambda() {
    }

    public static SerializableCallable<Integer> clean() {
        return () -> 42;
    }

    public static SerializableCallable<Integer> threaded() {
        return () -> Executors.newSingleThreadExecutor().submit(() -> 42).get();
    }
}
