package hostile;

import io.ptorrent.client.SerializableCallable;

import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Sockets, name resolution, HTTP. Loopback only. */
public final class Network {
    private Network() {
    }

    public static SerializableCallable<Boolean> connect(int port) {
        return () -> {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return s.isConnected();
            }
        };
    }

    /** Opens a listening socket and leaves it open: the worker's death must take it along. */
    public static SerializableCallable<Integer> listen(int port) {
        return () -> new ServerSocket(port, 1, InetAddress.getLoopbackAddress()).getLocalPort();
    }

    public static SerializableCallable<String> resolve() {
        return () -> InetAddress.getByName("localhost").getHostAddress();
    }

    public static SerializableCallable<Integer> httpClient(int port) {
        return () -> HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    public static SerializableCallable<Integer> urlStream(int port) {
        return () -> {
            try (InputStream in = new URL("http://127.0.0.1:" + port + "/").openStream()) {
                return in.read();
            }
        };
    }

    public static SerializableCallable<Boolean> udp(int port) {
        return () -> {
            try (DatagramSocket s = new DatagramSocket()) {
                s.send(new DatagramPacket(new byte[] {1}, 1, InetAddress.getLoopbackAddress(), port));
                return true;
            }
        };
    }
}
