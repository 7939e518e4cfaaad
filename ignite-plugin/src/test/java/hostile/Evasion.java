package hostile;

import io.ptorrent.client.SerializableCallable;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Forbidden code that the closure never calls by name: a class's initialization, deserialization or the JDK
 * runs it. The verifier checks only the code a closure can reach, so these are the paths it must follow.
 */
public final class Evasion {
    /** What the hidden code read, for the closure to return. */
    static final String[] READ = new String[1];

    private Evasion() {
    }

    /** Reading a constant runs its class's static initializer, which reads a system property. */
    public static SerializableCallable<String> staticInitializer() {
        return () -> Settings.HOME;
    }

    /** The worker's deserialization calls {@code hashCode()} of a set's element, which reads a file, before call(). */
    public static SerializableCallable<String> hashCodeWhileDecoding(String path) {
        Set<Object> bait = new HashSet<>();
        bait.add(new Bait(path));
        return new ReturnsWhatWasRead(bait);
    }

    /** {@code Predicate.not} in the JDK calls the default {@code negate()} of the bundle's own interface, which reads a file. */
    public static SerializableCallable<String> defaultMethodTheJdkCalls(String path) {
        return () -> {
            Sneaky always = x -> true;
            Predicate.not(always).test(path);
            return READ[0];
        };
    }

    static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final class Settings {
        /** Not a compile-time constant: reading it runs the static initializer. */
        static final String HOME = System.getProperty("user.home");

        private Settings() {
        }
    }

    static final class Bait implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String path;

        Bait(String path) {
            this.path = path;
        }

        @Override
        public int hashCode() {
            READ[0] = read(path);
            return 1;
        }

        @Override
        public boolean equals(Object other) {
            return other == this;
        }
    }

    static final class ReturnsWhatWasRead implements SerializableCallable<String> {
        private static final long serialVersionUID = 1L;
        private final HashSet<Object> bait;

        ReturnsWhatWasRead(Set<Object> bait) {
            this.bait = new HashSet<>(bait);
        }

        @Override
        public String call() {
            return bait.isEmpty() ? null : READ[0];
        }
    }

    interface Sneaky extends Predicate<String> {
        @Override
        default Predicate<String> negate() {
            return path -> {
                READ[0] = read(path);
                return false;
            };
        }
    }
}
