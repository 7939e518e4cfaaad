package io.ptorrent.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.wire.WireError;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The CLI's reader of a harbor console's REST API: JSON in, the API's errors out as {@link PtorrentException}s. */
final class ConsoleClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String console;
    private final HttpClient http;

    /** @param console the console's URL, or {@code null} for this machine's on the default port (HTTPS unless {@code --no-tls}) */
    ConsoleClient(String console, ClientTls tls) {
        this.console = (console != null ? console : tls.scheme() + "://127.0.0.1:8080").replaceAll("/+$", "");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(tls.context()).build();
    }

    /** The body of {@code GET path} as it is. */
    String text(String path) {
        URI uri = URI.create(console + path);
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new PtorrentException(ErrorCode.CONNECTION_FAILED, "no console at " + console + " (is the harbor running? is --console right?)", e);
        } catch (IOException e) {
            throw new PtorrentException(ErrorCode.CONNECTION_FAILED, "cannot read " + uri + ": " + e
                    + (e instanceof javax.net.ssl.SSLException ? " (is the console's CA trusted? --tls-trust FILE; a console without TLS: --no-tls)" : ""), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PtorrentException(ErrorCode.TASK_CANCELLED, "interrupted", e);
        }
        if (r.statusCode() != 200) {
            JsonNode error = parse(r.body()).path("error");
            if (error.isObject()) {
                throw new WireError(error.path("code").asText(), error.path("message").asText()).toException();
            }
            throw new PtorrentException(ErrorCode.INTERNAL, uri + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** The JSON of {@code GET path}. */
    JsonNode json(String path) {
        return parse(text(path));
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new PtorrentException(ErrorCode.INTERNAL, "the console answered something that is not JSON: " + e.getMessage(), e);
        }
    }
}
