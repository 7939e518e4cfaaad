package hostile;

import io.ptorrent.client.SerializableCallable;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reflection and method handles, to reach what the allow-list names no other way. */
public final class Reflection {
    private Reflection() {
    }

    public static SerializableCallable<Object> setAccessible() {
        return () -> {
            Field value = String.class.getDeclaredField("value");
            value.setAccessible(true);
            return value.get("secret");
        };
    }

    /** System.exit through Method.invoke: no call instruction names System.exit. */
    public static SerializableCallable<Object> invokeExit() {
        return () -> System.class.getMethod("exit", int.class).invoke(null, 3);
    }

    @SuppressWarnings("unchecked")
    public static SerializableCallable<List<String>> methodHandleGetenv() {
        return () -> {
            MethodHandle getenv = MethodHandles.lookup().findStatic(System.class, "getenv", MethodType.methodType(Map.class));
            try {
                return new ArrayList<>(new TreeMap<>((Map<String, String>) getenv.invoke()).keySet());
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        };
    }
}
