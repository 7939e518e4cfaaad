package bundletest;

import io.ptorrent.client.SerializableCallable;

/** A top-level closure class. */
public final class SquareTask implements SerializableCallable<Long> {
    private static final long serialVersionUID = 1L;
    private final long n;

    public SquareTask(long n) {
        this.n = n;
    }

    @Override
    public Long call() {
        return n * n + Helper.twice(0);
    }
}
