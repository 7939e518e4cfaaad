package io.ptorrent.console;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;

import javax.net.ssl.X509KeyManager;

import java.net.BindException;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One running console: an HTTP server and the Vert.x instance it owns.
 *
 * <p>Design note: the console owns its Vert.x instance rather than sharing one, so that closing the console
 * stops every thread it started and a harbor node leaves nothing behind when it stops. {@link #start} and
 * {@link #close} block until Vert.x is done, so that a taken port fails the node's start instead of
 * surfacing later in a log line.
 */
final class ConsoleServer implements AutoCloseable {
    /** Listening on loopback takes milliseconds; this only bounds a wedged start. */
    private static final long START_TIMEOUT_SECONDS = 30;
    private static final long STOP_TIMEOUT_SECONDS = 10;

    private final Vertx vertx;
    private final HttpServer server;

    private ConsoleServer(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    /**
     * Starts a console listening on {@code host:port} and returns once it listens.
     *
     * @throws PtorrentException {@link ErrorCode#PORT_IN_USE} if the port is taken, {@link ErrorCode#CONFIG_INVALID}
     *                           if the host cannot be listened on
     */
    static ConsoleServer start(String host, int port, GridSource source, String harbor, Clock clock) {
        return start(host, port, source, harbor, clock, RulesGate.NONE, null);
    }

    /** A console that can also change contributors' rules, for their owners and the operator. */
    static ConsoleServer start(String host, int port, GridSource source, String harbor, Clock clock, RulesGate rules, String operatorToken) {
        return start(host, port, source, harbor, clock, rules, operatorToken, CreditSource.NONE);
    }

    /** A console that also shows accounts and their ledgers. */
    static ConsoleServer start(String host, int port, GridSource source, String harbor, Clock clock, RulesGate rules, String operatorToken,
                               CreditSource credit) {
        return start(host, port, source, harbor, clock, rules, operatorToken, credit, ApiKeys.NONE, null);
    }

    /**
     * A console whose protected routes check bearer API keys with {@code keys}, over HTTPS only when {@code tlsKeys}
     * is given (the harbor's key and certificate chain); plain HTTP on that port is then refused.
     */
    static ConsoleServer start(String host, int port, GridSource source, String harbor, Clock clock, RulesGate rules, String operatorToken,
                               CreditSource credit, ApiKeys keys, X509KeyManager tlsKeys) {
        Vertx vertx = Vertx.vertx();
        HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port);
        if (tlsKeys != null) {
            options.setSsl(true).setKeyCertOptions(KeyCertOptions.wrap(tlsKeys));
        }
        try {
            HttpServer server = vertx.createHttpServer(options)
                    .requestHandler(ConsoleRoutes.create(vertx, source, harbor, clock, rules, operatorToken, credit, keys))
                    .listen()
                    .toCompletionStage().toCompletableFuture()
                    .get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return new ConsoleServer(vertx, server);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            closeQuietly(vertx);
            throw listenFailure(host, port, e instanceof ExecutionException ? e.getCause() : e);
        } catch (InterruptedException e) {
            closeQuietly(vertx);
            Thread.currentThread().interrupt();
            throw new PtorrentException(ErrorCode.INTERNAL, "interrupted while the console started on " + host + ":" + port, e);
        }
    }

    /** The port the console listens on. */
    int port() {
        return server.actualPort();
    }

    /** Stops listening and stops the Vert.x instance; waits for both, but no longer than a few seconds. */
    @Override
    public void close() {
        closeQuietly(vertx); // closing Vert.x closes its servers too
    }

    private static PtorrentException listenFailure(String host, int port, Throwable cause) {
        BindException bind = findCause(cause, BindException.class);
        if (bind != null && String.valueOf(bind.getMessage()).contains("in use")) {
            return new PtorrentException(ErrorCode.PORT_IN_USE, "the console's port " + port + " on " + host
                    + " is in use (PtorrentPluginConfiguration.consolePort, bin/ptorrent --console-port)", cause);
        }
        if (bind != null) {
            return new PtorrentException(ErrorCode.CONFIG_INVALID, "the console cannot listen on " + host + ":" + port + ": "
                    + bind.getMessage() + " (PtorrentPluginConfiguration.consoleHost must be an address of this machine)", cause);
        }
        return new PtorrentException(ErrorCode.INTERNAL, "the console could not start on " + host + ":" + port + ": " + cause, cause);
    }

    private static <T extends Throwable> T findCause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private static void closeQuietly(Vertx vertx) {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Stopping anyway: a console that cannot close cleanly must not keep the node from stopping.
            System.getLogger(ConsoleServer.class.getName()).log(System.Logger.Level.WARNING, "the console did not stop cleanly", e);
        }
    }
}
