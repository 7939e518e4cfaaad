package io.ptorrent.client.cli;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.SerializableCallable;

import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * The closure that {@code bin/ptorrent submit --jar FILE --class NAME [--arg TEXT]} sends: it names a class
 * of the submitter's jar (and the argument for a {@code Function}); in the contributor's sandbox worker it
 * makes an instance of that class with its public no-argument constructor and calls {@code call()} or
 * {@code apply(arg)}. {@link JobJar} builds it after checking the class.
 *
 * <p>Design note. A job class of a jar is neither {@code Serializable} nor a {@code SerializableCallable},
 * so it cannot travel as a closure itself: this record travels instead, as {@code PtorrentClient.map}'s
 * {@code MapFragment} does, and for the same reason the worker may read it: it is ptorrent code on the
 * worker's class path, named by the worker's allow-list filter, never part of a bundle. Its {@code job}
 * component is written as a class descriptor, which does two things: the bundle builder finds the job
 * class as a root and bundles it with every class of the jar that it references (read through the jar's
 * class loader), and the worker resolves it through the bundle's class loader and allow-list, which admit
 * bundle classes only (and JDK value types, none of which is a {@code Callable} or a {@code Function}).
 * The reflective constructor call here is ptorrent's, not the user's, and it is made only after the class
 * is found to be a {@code Callable} or a {@code Function}: the verifier checks only the code of a bundle that
 * can run, and counts every such class of a bundle as a job whose constructors and methods can (this class
 * is not in the bundle). The result comes back as text, its {@code toString()}
 * made on the contributor: the CLI prints nothing else, and a result of the jar's own types could not be
 * read on the submitter's side, whose client resolves results through this class's loader.
 *
 * @param job the job class; public, with a public no-argument constructor, a {@code Callable} or a
 *            {@code Function<String, ?>}; never a class of the worker's own class path
 * @param arg the argument for {@code apply}, or {@code null} to {@code call()} a {@code Callable}
 */
record JarJob(Class<?> job, String arg) implements SerializableCallable<String> {
    private static final long serialVersionUID = 1L;

    public JarJob {
        Objects.requireNonNull(job, "job");
    }

    /**
     * Runs the job. Whatever it throws is passed on as it is (the worker reports it as {@code FRAGMENT_FAILED}).
     *
     * @throws PtorrentException {@link ErrorCode#CLOSURE_REJECTED} if the class is not one of a bundle (a forged
     *                           stream naming a class of the worker's own class path)
     */
    @Override
    public String call() throws Exception {
        ClassLoader loader = job.getClassLoader();
        // Defence in depth: the worker's filter admits bundle classes only, and a bundle's loader is a child
        // of the worker's; a class of the worker's own class path (or the JDK) must never be started here.
        if (loader == null || loader == JarJob.class.getClassLoader() || loader == ClassLoader.getPlatformClassLoader()) {
            throw new PtorrentException(ErrorCode.CLOSURE_REJECTED, job.getName() + " is not a class of the submitted jar");
        }
        // The type is tested before anything of the class runs: the verifier checks the constructors of
        // Callable and Function classes as code that can run (a job), and no other class may be started here.
        Class<?> expected = arg == null ? Callable.class : Function.class;
        if (!expected.isAssignableFrom(job)) {
            throw new IllegalArgumentException(job.getName() + " is not a " + expected.getName());
        }
        Object instance;
        try {
            instance = job.getConstructor().newInstance();
        } catch (InvocationTargetException e) {
            throw asThrown(e.getCause());
        }
        Object result;
        if (arg == null) {
            result = ((Callable<?>) instance).call();
        } else {
            @SuppressWarnings("unchecked")
            Function<String, ?> function = (Function<String, ?>) instance;
            result = function.apply(arg);
        }
        return render(result);
    }

    /** A result as the CLI prints it: its {@code toString()}, arrays element by element. */
    static String render(Object result) {
        if (result != null && result.getClass().isArray()) {
            String wrapped = Arrays.deepToString(new Object[] {result});
            return wrapped.substring(1, wrapped.length() - 1);
        }
        return String.valueOf(result);
    }

    /** The constructor's own exception, so that the worker reports what the job threw, not the reflection wrapper. */
    private static Exception asThrown(Throwable cause) {
        if (cause instanceof Error error) {
            throw error;
        }
        return cause instanceof Exception e ? e : new IllegalStateException(String.valueOf(cause), cause);
    }
}
