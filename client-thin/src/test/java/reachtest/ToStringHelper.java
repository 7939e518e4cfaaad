package reachtest;

import io.ptorrent.client.SerializableCallable;

/** String concatenation calls toString() inside the JDK; the object's toString reads the environment. */
public final class ToStringHelper {
    private ToStringHelper() {
    }

    public static SerializableCallable<String> closure() {
        return () -> "value: " + new Noisy();
    }

    static final class Noisy {
        @Override
        public String toString() {
            return String.valueOf(System.getenv("HOME"));
        }
    }
}
