package io.ptorrent.client.bundle;

import java.io.ObjectInputFilter;
import java.util.Set;

/**
 * The allow-list that every stranger's serialized object passes through, on either side of the sandbox:
 * JDK value types (boxed primitives, strings, {@code java.math}, {@code java.time}, the common
 * {@code java.util} collections), arrays of those, and the classes of the submitter's own bundle.
 * Everything else is rejected, and the first rejected class is kept so the caller can name it.
 *
 * <p>One instance serves one stream (it remembers the rejection); not thread-safe.
 */
final class AllowListFilter implements ObjectInputFilter {
    /** Deeper graphs are rejected: deep nesting is how a small stream overflows a reader's stack. */
    static final int MAX_DEPTH = 100;
    static final long MAX_REFERENCES = 1_000_000;

    private static final Set<String> JDK_VALUE_TYPES = Set.of(
            "java.lang.Boolean", "java.lang.Byte", "java.lang.Short", "java.lang.Character", "java.lang.Integer",
            "java.lang.Long", "java.lang.Float", "java.lang.Double", "java.lang.String",
            // Super-class descriptors that the stream carries for boxed numbers and enums.
            "java.lang.Number", "java.lang.Enum",
            "java.math.BigInteger", "java.math.BigDecimal",
            "java.util.UUID",
            "java.util.ArrayList", "java.util.LinkedList", "java.util.ArrayDeque", "java.util.Arrays$ArrayList",
            "java.util.HashMap", "java.util.LinkedHashMap", "java.util.TreeMap", "java.util.EnumMap",
            "java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet",
            // List.of/Set.of/Map.of and Stream.toList() travel as CollSer (their ImmutableCollections$* are allowed below).
            "java.util.CollSer",
            // HashMap and HashSet check their table's array type Map.Entry[] before allocating it.
            "java.util.Map$Entry",
            "java.util.Collections$EmptyList", "java.util.Collections$EmptySet", "java.util.Collections$EmptyMap",
            "java.util.Collections$SingletonList", "java.util.Collections$SingletonSet", "java.util.Collections$SingletonMap",
            "java.util.Collections$UnmodifiableCollection", "java.util.Collections$UnmodifiableList",
            "java.util.Collections$UnmodifiableRandomAccessList", "java.util.Collections$UnmodifiableSet",
            "java.util.Collections$UnmodifiableSortedSet", "java.util.Collections$UnmodifiableMap",
            "java.util.Collections$UnmodifiableSortedMap");

    /**
     * ptorrent's own closure wrappers (PtorrentClient.map's and mapRange's fragments, bin/ptorrent submit --jar's
     * job, and the harbor's speed probe from ignite-plugin, which sandbox workers have on their class path too):
     * from the API on the class path, never a bundle.
     */
    private static final Set<String> PTORRENT_CLOSURES = Set.of("io.ptorrent.client.MapFragment", "io.ptorrent.client.cli.JarJob",
            "io.ptorrent.client.MapBatch", "io.ptorrent.client.RangeFragment", "io.ptorrent.client.LongRange",
            "io.ptorrent.plugin.bench.SpeedProbe");

    private final Set<String> bundleClasses;
    private final boolean allowLambdas;
    private final long maxBytes;
    private String rejection;

    /**
     * @param bundleClasses binary names of the submitter's bundle classes, all allowed
     * @param allowLambdas  whether {@code java.lang.invoke.SerializedLambda} may appear (closures: yes)
     * @param maxBytes      the stream's length: no array may claim more elements than the stream has bytes
     */
    AllowListFilter(Set<String> bundleClasses, boolean allowLambdas, long maxBytes) {
        this.bundleClasses = Set.copyOf(bundleClasses);
        this.allowLambdas = allowLambdas;
        this.maxBytes = maxBytes;
    }

    @Override
    public Status checkInput(FilterInfo info) {
        if (info.depth() > MAX_DEPTH) {
            return reject("it is nested deeper than " + MAX_DEPTH + " levels");
        }
        if (info.references() > MAX_REFERENCES) {
            return reject("it holds more than " + MAX_REFERENCES + " objects");
        }
        if (info.streamBytes() > maxBytes) {
            return reject("it is longer than " + maxBytes + " bytes");
        }
        // An array is allocated before its elements are read; every element takes at least one byte of
        // the stream, so a longer array can only be an attempt to make the reader allocate.
        if (info.arrayLength() > maxBytes) {
            return reject("an array claims " + info.arrayLength() + " elements in a stream of " + maxBytes + " bytes");
        }
        Class<?> type = info.serialClass();
        if (type == null) {
            return Status.UNDECIDED;
        }
        Class<?> element = type;
        while (element.isArray()) {
            element = element.getComponentType();
        }
        boolean objectArray = type.isArray() && element == Object.class;
        if (element.isPrimitive() || objectArray || allowed(element)) {
            return Status.ALLOWED;
        }
        return reject("class " + type.getName() + " is not allowed");
    }

    private boolean allowed(Class<?> type) {
        String name = type.getName();
        if (bundleClasses.contains(name) || bundleLambda(type)) {
            return true;
        }
        if (allowLambdas && PTORRENT_CLOSURES.contains(name) && type.getClassLoader() == AllowListFilter.class.getClassLoader()) {
            return true;
        }
        if (type.getClassLoader() != null) {
            return false;
        }
        // java.time value types all travel as java.time.Ser; the package holds no other serializable classes.
        // The filter also sees what readResolve returns: LocalDate for a Ser, ImmutableCollections$List12
        // for a CollSer, a lambda's hidden class for a SerializedLambda.
        return JDK_VALUE_TYPES.contains(name) || type.getPackageName().equals("java.time")
                || name.startsWith("java.util.ImmutableCollections$")
                || (allowLambdas && name.equals("java.lang.invoke.SerializedLambda"));
    }

    /** A lambda's hidden class, spun by the {@code $deserializeLambda$} of a bundle class. */
    private boolean bundleLambda(Class<?> type) {
        int marker = type.getName().indexOf("$$Lambda$");
        return allowLambdas && type.isHidden() && marker > 0 && bundleClasses.contains(type.getName().substring(0, marker));
    }

    private Status reject(String why) {
        if (rejection == null) {
            rejection = why;
        }
        return Status.REJECTED;
    }

    /** Why the stream was rejected, or {@code null} if it was not. */
    String rejection() {
        return rejection;
    }
}
