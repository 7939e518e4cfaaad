package bundletest;

import io.ptorrent.client.SerializableCallable;

/**
 * Closures as a user writes them, kept outside the io.ptorrent packages on purpose: the bundle builder
 * skips ptorrent's own classes, so closures defined in the test's package would not travel.
 */
public final class Closures {
    private Closures() {
    }

    /** A lambda that captures a number and a string. */
    public static SerializableCallable<String> lambda(int times, String word) {
        return () -> word.repeat(times) + Helper.twice(times);
    }

    /** An anonymous class with captured state. */
    public static SerializableCallable<Integer> anonymous(int base) {
        return new SerializableCallable<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public Integer call() {
                return base + 1;
            }
        };
    }

    /** A named class whose captured value's static type ({@code Object}) does not name its class. */
    public static SerializableCallable<Integer> withRecord(int x, int y) {
        return new Measure(new Point(x, y));
    }

    /** A top-level class that only refers to {@link Helper} through its code. */
    public static SerializableCallable<Long> topLevel(long n) {
        return new SquareTask(n);
    }

    public record Point(int x, int y) implements java.io.Serializable {
    }

    static final class Measure implements SerializableCallable<Integer> {
        private static final long serialVersionUID = 1L;
        private final Object value;

        Measure(Object value) {
            this.value = value;
        }

        @Override
        public Integer call() {
            return value.hashCode();
        }
    }
}
