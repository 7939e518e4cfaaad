package io.ptorrent.client.bundle;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Java serialization of closures and their results, with an allow-list on every read.
 *
 * <p>A closure is written with plain Java serialization ({@link #serialize}). Bytes that come from a
 * less-trusted party are read only through an {@link java.io.ObjectInputFilter} allow-list: JDK value
 * types (boxed primitives, {@code String}, {@code java.math}, {@code java.time}, the common
 * {@code java.util} collections), arrays of them, and the classes of the submitter's own bundle. The
 * sandbox worker reads closures with {@link #decodeClosure}; the submitter reads results with
 * {@link #decodeResult}. Both resolve classes through the loader they are given and no other.
 *
 * <p>Stateless and thread-safe. This class uses only the JDK, so the sandbox worker process can load it.
 */
public final class ClosureCodec {
    private static final Map<String, Class<?>> PRIMITIVES = Map.of(
            "boolean", boolean.class, "byte", byte.class, "char", char.class, "short", short.class,
            "int", int.class, "long", long.class, "float", float.class, "double", double.class, "void", void.class);

    private ClosureCodec() {
    }

    /**
     * Serializes a closure (or any serializable value) with Java serialization.
     *
     * @throws PtorrentException {@link ErrorCode#BAD_REQUEST} if the closure or something it captures is not serializable
     */
    public static byte[] serialize(Object closure) {
        Objects.requireNonNull(closure, "closure");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(closure);
        } catch (NotSerializableException e) {
            throw new PtorrentException(ErrorCode.BAD_REQUEST, "the closure captures a " + e.getMessage()
                    + ", which is not serializable; capture only serializable values (mark the rest transient)", e);
        } catch (IOException e) {
            throw new PtorrentException(ErrorCode.BAD_REQUEST, "the closure could not be serialized: " + e, e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads a fragment's result on the submitter's side.
     *
     * @param bytes         the result as the sandbox worker serialized it
     * @param loader        resolves every class of the stream (the submitter's loader of the closure)
     * @param bundleClasses binary names of the bundle's classes: the only non-JDK classes allowed
     * @throws PtorrentException {@link ErrorCode#RESULT_REJECTED} if the result holds a class outside the
     *                           allow-list or breaks a limit (depth, size), or cannot be read
     */
    @SuppressWarnings("unchecked")
    public static <R> R decodeResult(byte[] bytes, ClassLoader loader, Set<String> bundleClasses) {
        return (R) decode(Payload.RESULT, bytes, loader, bundleClasses);
    }

    /**
     * Reads a closure inside the sandbox worker. Serialized lambdas are allowed here (their capturing
     * class must be in the bundle); everything else as for {@link #decodeResult}.
     *
     * @throws PtorrentException {@link ErrorCode#CLOSURE_REJECTED} (class outside the allow-list, a limit
     *                           broken, unreadable) or {@link ErrorCode#BUNDLE_INVALID} (a class is missing)
     */
    public static Object decodeClosure(byte[] bytes, ClassLoader loader, Set<String> bundleClasses) {
        return decode(Payload.CLOSURE, bytes, loader, bundleClasses);
    }

    private static Object decode(Payload payload, byte[] bytes, ClassLoader loader, Set<String> bundleClasses) {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(loader, "loader");
        AllowListFilter filter = new AllowListFilter(bundleClasses, payload == Payload.CLOSURE, bytes.length);
        try (ObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(bytes), loader)) {
            in.setObjectInputFilter(filter);
            return in.readObject();
        } catch (ClassNotFoundException e) {
            throw new PtorrentException(payload.missingCode, "the " + payload.word + " needs class " + e.getMessage()
                    + ", which is neither in the bundle nor in the JDK", e);
        } catch (InvalidClassException e) {
            String why = filter.rejection() != null ? filter.rejection() : e.getMessage();
            throw new PtorrentException(payload.rejectedCode, "the " + payload.word + " was refused: " + why, e);
        } catch (IOException | RuntimeException | StackOverflowError e) {
            String why = filter.rejection() != null ? filter.rejection() : e.toString();
            throw new PtorrentException(payload.rejectedCode, "the " + payload.word + " could not be read: " + why, e);
        }
    }

    private enum Payload {
        CLOSURE("closure", ErrorCode.CLOSURE_REJECTED, ErrorCode.BUNDLE_INVALID),
        RESULT("result", ErrorCode.RESULT_REJECTED, ErrorCode.RESULT_REJECTED);

        final String word;
        final ErrorCode rejectedCode;
        final ErrorCode missingCode;

        Payload(String word, ErrorCode rejectedCode, ErrorCode missingCode) {
            this.word = word;
            this.rejectedCode = rejectedCode;
            this.missingCode = missingCode;
        }
    }

    /** Resolves classes through one given loader only, and never proxies (no proxy class is on any allow-list). */
    private static final class LoaderObjectInputStream extends ObjectInputStream {
        private final ClassLoader loader;

        LoaderObjectInputStream(ByteArrayInputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws ClassNotFoundException {
            Class<?> primitive = PRIMITIVES.get(desc.getName());
            // initialize=false: no static initializer runs before the filter has seen the class.
            return primitive != null ? primitive : Class.forName(desc.getName(), false, loader);
        }

        @Override
        protected Class<?> resolveProxyClass(String[] interfaces) throws InvalidClassException {
            throw new InvalidClassException("proxy classes are not allowed");
        }
    }
}
