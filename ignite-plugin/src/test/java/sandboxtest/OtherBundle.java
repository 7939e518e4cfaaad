package sandboxtest;

import io.ptorrent.client.SerializableCallable;

/** A bundle of its own with the same static counter as {@link Pooled}: it must never see Pooled's count. */
public final class OtherBundle {
    private static int calls;

    private OtherBundle() {
    }

    public static SerializableCallable<Integer> countCalls() {
        return () -> ++calls;
    }
}
