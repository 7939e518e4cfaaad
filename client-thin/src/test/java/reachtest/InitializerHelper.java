package reachtest;

import io.ptorrent.client.SerializableCallable;

/** The lambda reads a constant of a class whose static initializer reads a system property. */
public final class InitializerHelper {
    private InitializerHelper() {
    }

    public static SerializableCallable<String> closure() {
        return () -> Settings.HOME.toUpperCase();
    }

    static final class Settings {
        /** Not a compile-time constant: reading it runs the static initializer. */
        static final String HOME = System.getProperty("user.home");

        private Settings() {
        }
    }
}
