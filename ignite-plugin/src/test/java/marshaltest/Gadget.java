package marshaltest;

import org.apache.ignite.lang.IgniteCallable;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands for a deserialization gadget: a class that is on the harbor's class path but on no allow-list, whose
 * {@code readObject} or {@code readResolve} would run code the moment the harbor deserialized it (Ignite's
 * binary marshaller calls {@code readResolve}, its JDK and optimized paths {@code readObject}). It counts.
 */
public final class Gadget implements IgniteCallable<String> {
    private static final long serialVersionUID = 1L;
    /** How often a copy was deserialized in this JVM. */
    public static final AtomicInteger READS = new AtomicInteger();
    /** How often one ran in this JVM. */
    public static final AtomicInteger CALLS = new AtomicInteger();

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        READS.incrementAndGet();
    }

    private Object readResolve() {
        READS.incrementAndGet();
        return this;
    }

    @Override
    public String call() {
        CALLS.incrementAndGet();
        return "ran in pid " + ProcessHandle.current().pid();
    }
}
