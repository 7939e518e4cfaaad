package hostile;

import io.ptorrent.client.SerializableCallable;

/** Native libraries. Only names that do not exist: loading a real one would be arbitrary native code. */
public final class NativeCode {
    private NativeCode() {
    }

    public static SerializableCallable<Integer> loadLibrary() {
        return () -> {
            System.loadLibrary("ptorrent_hostile");
            return 0;
        };
    }

    public static SerializableCallable<Integer> runtimeLoad(String path) {
        return () -> {
            Runtime.getRuntime().load(path);
            return 0;
        };
    }
}
