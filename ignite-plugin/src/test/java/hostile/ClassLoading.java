package hostile;

import io.ptorrent.client.SerializableCallable;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ServiceLoader;

/** Defining and loading classes the verifier never saw. */
public final class ClassLoading {
    private ClassLoading() {
    }

    /** Defines a class from bytes it carries as data. */
    public static SerializableCallable<String> defineClass(byte[] classFile) {
        return () -> new Definer().define(classFile).getName();
    }

    public static SerializableCallable<String> forName() {
        return () -> Class.forName("org.apache.ignite.Ignition").getName();
    }

    public static SerializableCallable<String> urlClassLoader(String dir) {
        return () -> {
            try (URLClassLoader loader = new URLClassLoader(new URL[] {Path.of(dir).toUri().toURL()})) {
                return loader.loadClass("Evil").getName();
            }
        };
    }

    public static SerializableCallable<Long> serviceLoader() {
        return () -> ServiceLoader.load(Runnable.class).stream().count();
    }

    static final class Definer extends ClassLoader {
        Class<?> define(byte[] bytes) {
            return defineClass(null, bytes, 0, bytes.length);
        }
    }
}
