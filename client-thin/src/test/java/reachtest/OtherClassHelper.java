package reachtest;

import io.ptorrent.client.SerializableCallable;

/** A nested closure class calls a helper of another class, which starts a thread pool. */
public final class OtherClassHelper {
    private OtherClassHelper() {
    }

    public static final class Sum implements SerializableCallable<Integer> {
        private static final long serialVersionUID = 1L;

        @Override
        public Integer call() throws Exception {
            return Pools.sumInParallel(10);
        }
    }
}
