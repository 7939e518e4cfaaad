package hostile;

import io.ptorrent.client.SerializableCallable;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Environment variables and system properties. */
public final class Environment {
    private Environment() {
    }

    public static SerializableCallable<List<String>> getenv() {
        return () -> new ArrayList<>(new TreeSet<>(System.getenv().keySet()));
    }

    public static SerializableCallable<String> getProperty() {
        return () -> System.getProperty("user.home");
    }

    public static SerializableCallable<String> setProperty() {
        return () -> System.setProperty("java.io.tmpdir", "/");
    }

    public static SerializableCallable<Integer> getInteger() {
        return () -> Integer.getInteger("sun.arch.data.model");
    }
}
