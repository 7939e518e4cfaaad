package io.ptorrent.console;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's tests' HTTP client: one request, one answer, bodies as text. */
final class ConsoleHttp {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String key;

    ConsoleHttp(int port) {
        this(URI.create("http://127.0.0.1:" + port), null);
    }

    private ConsoleHttp(URI base, String key) {
        this.base = base;
        this.key = key;
    }

    /** This client sending {@code apiKey} as its bearer on every request that names none. */
    ConsoleHttp as(String apiKey) {
        return new ConsoleHttp(base, apiKey);
    }

    HttpResponse<String> get(String path) {
        return send("GET", path);
    }

    HttpResponse<String> send(String method, String path) {
        return send(method, path, key, null);
    }

    /** A request with an optional bearer token and JSON body. */
    HttpResponse<String> send(String method, String path, String bearer, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        HttpRequest req = b.build();
        try {
            return client.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** GET of an API object, checked to be a 200 JSON answer. */
    JsonObject object(String path) {
        return new JsonObject(ok(path));
    }

    /** GET of an API array, checked to be a 200 JSON answer. */
    JsonArray array(String path) {
        return new JsonArray(ok(path));
    }

    private String ok(String path) {
        HttpResponse<String> r = get(path);
        assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        return r.body();
    }
}
