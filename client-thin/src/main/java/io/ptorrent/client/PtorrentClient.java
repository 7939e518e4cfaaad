package io.ptorrent.client;

import io.ptorrent.client.bundle.Bundle;
import io.ptorrent.client.bundle.BundleBuilder;
import io.ptorrent.client.bundle.BundleVerifier;
import io.ptorrent.client.bundle.ClosureCodec;
import io.ptorrent.client.wire.BalanceRequest;
import io.ptorrent.client.wire.BalanceResult;
import io.ptorrent.client.wire.GatewayTasks;
import io.ptorrent.client.wire.SubmitRequest;
import io.ptorrent.client.wire.SubmitResult;
import io.ptorrent.client.wire.WireJson;
import org.apache.ignite.Ignition;
import org.apache.ignite.client.ClientException;
import org.apache.ignite.client.IgniteClient;
import org.apache.ignite.client.IgniteClientFuture;
import org.apache.ignite.configuration.ClientConfiguration;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * Submits closures to a ptorrent grid through Ignite's thin client.
 *
 * <pre>{@code
 * try (PtorrentClient client = PtorrentClient.connect(new PtorrentClientOptions().addresses("127.0.0.1:10800"))) {
 *     int answer = client.submit(() -> 6 * 7).get();
 * }
 * }</pre>
 *
 * <p>A closure's classes travel with it as a {@link Bundle}; it runs on a contributor node, in a
 * sandbox worker process, never on the harbor. Results come back Java-serialized and are read through
 * an allow-list (the bundle's classes and plain JDK value types). Thread-safe; one connection.
 */
public final class PtorrentClient implements AutoCloseable {
    private final IgniteClient thin;
    private final PtorrentClientOptions options;

    private PtorrentClient(IgniteClient thin, PtorrentClientOptions options) {
        this.thin = thin;
        this.options = options;
    }

    /** Connects to a harbor. @throws PtorrentException CONNECTION_FAILED, BAD_REQUEST for bad options */
    public static PtorrentClient connect(PtorrentClientOptions options) {
        Objects.requireNonNull(options, "options").validate();
        try {
            IgniteClient thin = Ignition.startClient(new ClientConfiguration()
                    .setAddresses(options.addresses().toArray(String[]::new))
                    .setTimeout((int) Math.min(Integer.MAX_VALUE, options.timeout().toMillis())));
            return new PtorrentClient(thin, options);
        } catch (ClientException e) {
            throw new PtorrentException(ErrorCode.CONNECTION_FAILED,
                    "cannot reach a harbor at " + String.join(", ", options.addresses()) + ": " + e.getMessage(), e);
        }
    }

    /** Runs one closure on a contributor node. */
    public <R> TaskHandle<R> submit(SerializableCallable<R> closure) {
        Objects.requireNonNull(closure, "closure");
        TaskHandle<List<R>> all = submitAll(List.of(closure));
        CompletableFuture<R> one = all.result().thenApply(list -> list.get(0));
        return new TaskHandle<>(one, all.report(), all::cancel);
    }

    /** Applies {@code function} to every input on the grid, one fragment per input; results in input order. */
    public <T, R> TaskHandle<List<R>> map(List<T> inputs, SerializableFunction<T, R> function) {
        Objects.requireNonNull(function, "function");
        List<SerializableCallable<R>> fragments = new ArrayList<>(inputs.size());
        for (T input : inputs) {
            fragments.add(new MapFragment<>(function, input));
        }
        return submitAll(fragments);
    }

    /**
     * Runs each closure as one fragment of a single task; results in the closures' order.
     *
     * @throws PtorrentException at once, before anything is sent: BUNDLE_REJECTED if the closures' code
     *                           references what user code may not (see {@link io.ptorrent.client.bundle.BundleVerifier}),
     *                           BAD_REQUEST, BUNDLE_TOO_LARGE
     */
    public <R> TaskHandle<List<R>> submitAll(List<? extends SerializableCallable<R>> closures) {
        if (closures.isEmpty()) {
            throw new PtorrentException(ErrorCode.BAD_REQUEST, "a task needs at least one closure");
        }
        Map<String, byte[]> classes = new HashMap<>();
        List<byte[]> serialized = new ArrayList<>(closures.size());
        for (SerializableCallable<R> c : closures) {
            Objects.requireNonNull(c, "closure");
            classes.putAll(BundleBuilder.forClosure(c).classes());
            serialized.add(ClosureCodec.serialize(c));
        }
        // The harbor and the contributor verify again; checking here gives the submitter the error before any upload.
        Bundle bundle = BundleVerifier.verify(Bundle.of(classes));
        ClassLoader loader = closures.get(0).getClass().getClassLoader();
        String request = WireJson.write(new SubmitRequest(options.account(), closures.get(0).getClass().getName(),
                bundle.toWire(), serialized, options.fragmentTimeout().toMillis()));

        IgniteClientFuture<String> call = thin.compute()
                .withTimeout(options.timeout().toMillis())
                .executeAsync2(GatewayTasks.SUBMIT, request);
        CompletableFuture<SubmitResult> answer = call.toCompletableFuture()
                .handle((json, error) -> {
                    if (error != null) {
                        throw failure(error);
                    }
                    SubmitResult r = WireJson.read(json, SubmitResult.class);
                    if (r.error() != null) {
                        throw r.error().toException();
                    }
                    return r;
                });
        CompletableFuture<List<R>> result = answer.thenApply(r -> {
            List<R> values = new ArrayList<>(r.fragments().size());
            for (SubmitResult.FragmentResult f : r.fragments()) {
                values.add(ClosureCodec.decodeResult(f.value(), loader, classes.keySet()));
            }
            return values;
        });
        CompletableFuture<TaskReport> report = answer.thenApply(r -> new TaskReport(r.taskId(),
                r.fragments().stream().map(f -> new TaskReport.Fragment(f.index(), f.nodeId(), f.millis())).toList(), r.creditSpent()));
        return new TaskHandle<>(result, report, () -> call.cancel(true));
    }

    /** The credit of this client's account ({@link PtorrentClientOptions#account}). */
    public Balance balance() {
        if (options.account() == null) {
            throw new PtorrentException(ErrorCode.BAD_REQUEST, "no account: set PtorrentClientOptions.account, or call balance(accountId)");
        }
        return balance(options.account());
    }

    /**
     * An account's credit, through the gateway task {@value GatewayTasks#BALANCE}.
     *
     * @throws PtorrentException UNKNOWN_ACCOUNT, BAD_REQUEST for a malformed id, NOT_FOUND when the harbor keeps
     *                           no ledger, CONNECTION_FAILED / TASK_TIMEOUT when the call itself fails
     */
    public Balance balance(String account) {
        Objects.requireNonNull(account, "account");
        String json;
        try {
            json = thin.compute().withTimeout(options.timeout().toMillis())
                    .execute(GatewayTasks.BALANCE, WireJson.write(new BalanceRequest(account)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PtorrentException(ErrorCode.TASK_CANCELLED, "interrupted while asking for the balance of " + account, e);
        } catch (RuntimeException e) {
            throw failure(e);
        }
        BalanceResult r = WireJson.read(json, BalanceResult.class);
        if (r.error() != null) {
            throw r.error().toException();
        }
        return new Balance(r.account(), r.balance(), r.held(), r.earned(), r.spent(), r.tier());
    }

    private PtorrentException failure(Throwable error) {
        Throwable t = TaskHandle.unwrap(error);
        if (t instanceof PtorrentException p) {
            return p;
        }
        Throwable cause = t.getCause() != null ? t.getCause() : t;
        if (t instanceof TimeoutException || cause instanceof TimeoutException
                || String.valueOf(t.getMessage()).contains("timed out")) {
            return new PtorrentException(ErrorCode.TASK_TIMEOUT, "the task did not finish within " + options.timeout(), t);
        }
        if (t instanceof java.util.concurrent.CancellationException) {
            return new PtorrentException(ErrorCode.TASK_CANCELLED, "the task was cancelled", t);
        }
        return new PtorrentException(ErrorCode.INTERNAL, "the harbor failed the task: " + t.getMessage(), t);
    }

    @Override
    public void close() {
        thin.close();
    }
}
