package io.ptorrent.console;

import io.ptorrent.client.TlsTrust;
import io.ptorrent.plugin.testing.TestGrid;
import io.ptorrent.plugin.transport.DevCertificates;
import io.ptorrent.plugin.transport.TlsConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The console of a harbor with TLS: HTTPS with the harbor's certificate, and nothing over plain HTTP. */
class ConsoleTlsIT {
    private static final int BASE_PORT = 52570;
    private static final int CONSOLE = 52475;

    @TempDir
    static Path dir;
    private static TestGrid grid;
    private static Path ca;
    private static Path otherCa;

    @BeforeAll
    static void startHarbor() {
        TlsConfiguration tls = DevCertificates.ensure(dir.resolve("grid"));
        ca = Path.of(tls.getTrustedCertificates());
        otherCa = Path.of(DevCertificates.ensure(dir.resolve("other")).getTrustedCertificates());
        grid = new TestGrid(BASE_PORT, 10);
        grid.startHarbor("harbor", false, c -> c.setConsolePort(CONSOLE).setTls(tls));
    }

    @AfterAll
    static void stop() {
        if (grid != null) {
            grid.close();
        }
    }

    @Test
    void overHttpsWithTheGridsCaTheConsoleAnswers() throws Exception {
        for (String host : new String[] {"127.0.0.1", "localhost"}) {
            HttpResponse<String> r = get(HttpClient.newBuilder().sslContext(TlsTrust.clientContext(ca)), "https://" + host + ":" + CONSOLE + "/api/grid");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"harbors\":1");
        }
    }

    @Test
    void plainHttpIsRefused() {
        assertThatThrownBy(() -> get(HttpClient.newBuilder(), "http://127.0.0.1:" + CONSOLE + "/api/grid")).isInstanceOf(IOException.class);
    }

    @Test
    void aClientThatTrustsAnotherCaIsRefused() {
        assertThatThrownBy(() -> get(HttpClient.newBuilder().sslContext(TlsTrust.clientContext(otherCa)), "https://127.0.0.1:" + CONSOLE + "/api/grid"))
                .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }

    private static HttpResponse<String> get(HttpClient.Builder client, String url) throws IOException, InterruptedException {
        // Generous: the first TLS handshake of a cold JVM on a loaded machine takes seconds.
        return client.connectTimeout(Duration.ofSeconds(30)).build()
                .send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
