package hostile;

import com.sun.net.httpserver.HttpServer;
import io.ptorrent.client.SerializableCallable;
import sun.misc.Signal;
import sun.misc.Unsafe;

import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** sun.misc.Unsafe, signal handlers, com.sun.* servers. */
public final class JdkInternals {
    private JdkInternals() {
    }

    /** Writes to address 0: the worker JVM crashes. */
    public static SerializableCallable<Integer> unsafeCrash() {
        return () -> {
            Field f = Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            ((Unsafe) f.get(null)).putAddress(0, 0);
            return 0;
        };
    }

    /** Ignores SIGTERM, then spins: the kill must not depend on the worker's co-operation. */
    public static SerializableCallable<Long> ignoreTermThenSpin() {
        return () -> {
            Signal.handle(new Signal("TERM"), signal -> { });
            long i = 0;
            while (i >= 0) {
                i++;
            }
            return i;
        };
    }

    public static SerializableCallable<String> httpServer(int port) {
        return () -> {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            server.start();
            return "serving";
        };
    }
}
