package reachtest;

import io.ptorrent.client.SerializableCallable;

import java.util.function.Predicate;

/**
 * A lambda of the bundle's own interface, whose default {@code negate()} reads the environment; no bundle code
 * calls it, {@code Predicate.not} in the JDK does.
 */
public final class LambdaDefaultHelper {
    private LambdaDefaultHelper() {
    }

    public static SerializableCallable<Boolean> closure() {
        return () -> {
            Sneaky always = x -> true;
            return Predicate.not(always).test("x");
        };
    }

    interface Sneaky extends Predicate<Object> {
        @Override
        default Predicate<Object> negate() {
            return x -> System.getenv("HOME") != null;
        }
    }
}
