package marshaltest;

import io.ptorrent.client.SerializableCallable;

/** An honest closure for fragments in the transport tests (a class of its own: a bundle holds all of a class's lambdas). */
public final class Sums {
    private Sums() {
    }

    public static SerializableCallable<Integer> sum(int a, int b) {
        return () -> a + b;
    }
}
