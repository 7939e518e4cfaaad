package reachtest;

import io.ptorrent.client.SerializableCallable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The lambda calls a method that a helper class inherits from an interface's default method, which reads a file. */
public final class DefaultMethodHelper {
    private DefaultMethodHelper() {
    }

    public static SerializableCallable<Integer> closure(String path) {
        return () -> new Reader().load(path).length();
    }

    interface Loading {
        default String load(String path) throws IOException {
            return Files.readString(Path.of(path));
        }
    }

    static final class Reader implements Loading {
    }
}
