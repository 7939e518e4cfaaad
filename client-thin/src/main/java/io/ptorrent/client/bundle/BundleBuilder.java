package io.ptorrent.client.bundle;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.Remapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Packs a closure's code into a {@link Bundle}: the closure's class and every user class it references,
 * transitively.
 *
 * <p>Design note. The roots are the classes that the closure's serialized form names: the closure's own
 * class, the classes of everything it captures and, for a serializable lambda (whose runtime class is a
 * hidden class with no class file), the lambda's capturing class, which serialization writes through
 * {@code writeReplace} as part of {@link java.lang.invoke.SerializedLambda}; that class holds the
 * {@code $deserializeLambda$} method the worker needs. From the roots the builder follows every class
 * that a class file names (constant pool, descriptors, signatures, nest and inner-class attributes), read
 * with ASM through the referencing class's own loader. It never includes JDK, Ignite or ptorrent classes
 * (the worker has those or must not get them) and skips classes whose bytes the loader cannot find.
 *
 * <p>Stateless and thread-safe.
 */
public final class BundleBuilder {
    /** Classes that never travel: the JDK, Ignite, and ptorrent's API and internals. Examples are user code. */
    private static final List<String> NEVER_BUNDLED = List.of(
            "java.", "javax.", "jdk.", "sun.", "com.sun.",
            "org.apache.ignite.",
            "io.ptorrent.client.", "io.ptorrent.plugin.", "io.ptorrent.credit.", "io.ptorrent.console.");

    private BundleBuilder() {
    }

    /**
     * The bundle of a closure's classes.
     *
     * @param closure a serializable closure (usually a {@code SerializableCallable}), not null
     * @throws PtorrentException {@link ErrorCode#BAD_REQUEST} if the closure is not serializable,
     *                           {@link ErrorCode#BUNDLE_INVALID} if none of its classes is user code,
     *                           {@link ErrorCode#BUNDLE_TOO_LARGE} past {@link Bundle#MAX_BYTES}
     */
    public static Bundle forClosure(Object closure) {
        Objects.requireNonNull(closure, "closure");
        Map<String, byte[]> classes = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        ArrayDeque<Pending> queue = new ArrayDeque<>();
        for (Class<?> root : classesInSerializedForm(closure)) {
            if (isBundled(root.getName()) && root.getClassLoader() != null && seen.add(root.getName())) {
                queue.add(new Pending(root.getName(), root.getClassLoader()));
            }
        }
        long size = 0;
        while (!queue.isEmpty()) {
            Pending next = queue.poll();
            byte[] bytes = classFile(next.name(), next.loader());
            if (bytes == null) {
                continue;
            }
            classes.put(next.name(), bytes);
            size += bytes.length;
            if (size > Bundle.MAX_BYTES) {
                // Stop walking at once: past the cap the walk may be crawling a whole library.
                throw new PtorrentException(ErrorCode.BUNDLE_TOO_LARGE, "the classes of " + closure.getClass().getName()
                        + " take more than " + Bundle.MAX_BYTES + " bytes (reached at " + next.name() + ")");
            }
            for (String ref : referencedClasses(bytes)) {
                if (isBundled(ref) && seen.add(ref)) {
                    queue.add(new Pending(ref, next.loader()));
                }
            }
        }
        if (classes.isEmpty()) {
            throw new PtorrentException(ErrorCode.BUNDLE_INVALID, "found no class file of user code for "
                    + closure.getClass().getName() + "; define the closure in a class of your own package");
        }
        return Bundle.of(classes);
    }

    /** {@link #NEVER_BUNDLED} as internal-name prefixes. */
    private static final List<String> NEVER_BUNDLED_INTERNAL = NEVER_BUNDLED.stream().map(p -> p.replace('.', '/')).toList();

    /** {@link #isBundled} for an internal name ({@code a/b/C}); false for an array descriptor. */
    static boolean mayBeBundled(String internalName) {
        if (internalName.startsWith("[")) {
            return false;
        }
        for (String prefix : NEVER_BUNDLED_INTERNAL) {
            if (internalName.startsWith(prefix)) {
                return false;
            }
        }
        return true;
    }

    /** Whether a class of this binary name would travel in a bundle (if its bytes are found). */
    static boolean isBundled(String binaryName) {
        if (binaryName.startsWith("[")) {
            return false;
        }
        for (String prefix : NEVER_BUNDLED) {
            if (binaryName.startsWith(prefix)) {
                return false;
            }
        }
        return true;
    }

    /** Every class that the closure's serialized form names, in the order the stream meets them. */
    private static Set<Class<?>> classesInSerializedForm(Object closure) {
        try (RecordingObjectOutputStream out = new RecordingObjectOutputStream(OutputStream.nullOutputStream())) {
            out.writeObject(closure);
            return out.classes;
        } catch (IOException e) {
            // Same wording as ClosureCodec.serialize: a closure that cannot be serialized cannot travel.
            throw new PtorrentException(ErrorCode.BAD_REQUEST, "the closure " + closure.getClass().getName()
                    + " could not be serialized (" + e + "); capture only serializable values", e);
        }
    }

    private static byte[] classFile(String binaryName, ClassLoader loader) {
        try (InputStream in = loader.getResourceAsStream(binaryName.replace('.', '/') + ".class")) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new PtorrentException(ErrorCode.BUNDLE_INVALID, "could not read the class file of " + binaryName + ": " + e, e);
        }
    }

    /** Binary names of every class that a class file names anywhere. */
    static Set<String> referencedClasses(byte[] classFile) {
        Set<String> names = new LinkedHashSet<>();
        Remapper recorder = new Remapper(Opcodes.ASM9) {
            @Override
            public String map(String internalName) {
                names.add(internalName.replace('/', '.'));
                return internalName;
            }
        };
        // Frames stay in: the verifier may load the classes they name. Debug attributes add nothing.
        new ClassReader(classFile).accept(new ClassRemapper(new ClassWriter(0), recorder), ClassReader.SKIP_DEBUG);
        return names;
    }

    private record Pending(String name, ClassLoader loader) {
    }

    /**
     * Records the class of every descriptor written. A lambda's capturing class reaches the stream as a
     * {@code Class} field of its {@code SerializedLambda}, so it is recorded like any captured object's class.
     */
    private static final class RecordingObjectOutputStream extends ObjectOutputStream {
        final Set<Class<?>> classes = new LinkedHashSet<>();

        RecordingObjectOutputStream(OutputStream out) throws IOException {
            super(out);
        }

        @Override
        protected void annotateClass(Class<?> cl) {
            classes.add(cl);
        }

        @Override
        protected void annotateProxyClass(Class<?> cl) {
            for (Class<?> type : cl.getInterfaces()) {
                classes.add(type);
            }
        }
    }
}
