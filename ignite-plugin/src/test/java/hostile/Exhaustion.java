package hostile;

import io.ptorrent.client.SerializableCallable;

import java.io.IOException;
import java.io.ObjectInputStream;

/** CPU and time: code that the verifier cannot tell from honest code and only the limits stop. */
public final class Exhaustion {
    private Exhaustion() {
    }

    public static SerializableCallable<Long> infiniteLoop() {
        return () -> {
            long i = 0;
            while (i >= 0) {
                i = (i + 1) & Long.MAX_VALUE;
            }
            return i;
        };
    }

    /** Recurses, catches the StackOverflowError and recurses again: exponential time. */
    public static SerializableCallable<Integer> catchStackOverflowAndRecurse() {
        return () -> stubborn(0);
    }

    private static int stubborn(int depth) {
        try {
            return stubborn(depth + 1);
        } catch (StackOverflowError e) {
            return stubborn(depth + 1);
        }
    }

    public static SerializableCallable<Boolean> catastrophicRegex() {
        // Java memoizes the classic (a+)+b; a counted group of .* still backtracks polynomially to the 12th power.
        return () -> "a".repeat(40).concat("b").matches("(.*a){12}!");
    }

    public static SerializableCallable<Integer> spinInStaticInitializer() {
        return () -> Spinning.VALUE;
    }

    /** Spins while the worker deserializes it, before call() is ever reached. */
    public static SerializableCallable<Integer> spinInReadObject() {
        return new SpinOnRead();
    }

    static final class Spinning {
        static final int VALUE;

        static {
            long i = 0;
            while (i >= 0) {
                i = (i + 1) & Long.MAX_VALUE;
            }
            VALUE = (int) i;
        }

        private Spinning() {
        }
    }

    static final class SpinOnRead implements SerializableCallable<Integer> {
        private static final long serialVersionUID = 1L;

        @Override
        public Integer call() {
            return 0;
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            long i = 0;
            while (i >= 0) {
                i = (i + 1) & Long.MAX_VALUE;
            }
        }
    }
}
