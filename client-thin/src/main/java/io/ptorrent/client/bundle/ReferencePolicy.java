package io.ptorrent.client.bundle;

import io.ptorrent.client.bundle.BundleVerifier.Rule;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The allow-list of {@link BundleVerifier}: which JDK classes and members user code may name. Classes
 * are in JVM internal form ({@code java/lang/String}). A lookup answers the {@link Rule} that forbids
 * the reference, or {@code null} when it is allowed.
 *
 * <p>Design note. Deny rules are checked before allow rules, most specific first, so that a class in an
 * allowed package that is dangerous (a {@code java.util.concurrent} executor, {@code java.io.File}) gets
 * its own named rule; whatever matches neither list is denied by {@link Rule#NOT_ALLOWED} (default deny).
 * A few allowed classes carry member rules ({@code System}, {@code Runtime}, {@code Class}, the streams):
 * every member of an allowed class is allowed unless a member rule says otherwise. Stateless.
 */
final class ReferencePolicy {
    /** Checked in order; the first prefix that matches decides. Exact class names end without '/'. */
    private static final List<Map.Entry<String, Rule>> DENIED = List.of(
            // Before java/net/: a URLClassLoader is class loading first.
            Map.entry("java/net/URLClassLoader", Rule.CLASS_LOADING),
            Map.entry("java/io/File", Rule.FILES), // File, FileInputStream, FileOutputStream, FileReader/Writer, FileDescriptor
            Map.entry("java/io/RandomAccessFile", Rule.FILES),
            Map.entry("java/nio/file/", Rule.FILES),
            Map.entry("java/nio/channels/", Rule.FILES),
            Map.entry("java/io/Console", Rule.STDIO),
            Map.entry("java/io/ObjectInputFilter", Rule.DESERIALIZATION),
            Map.entry("java/beans/XMLDecoder", Rule.DESERIALIZATION),
            Map.entry("java/beans/", Rule.REFLECTION),
            Map.entry("java/net/", Rule.NETWORK),
            Map.entry("javax/net/", Rule.NETWORK),
            Map.entry("jdk/net/", Rule.NETWORK),
            Map.entry("java/lang/ProcessBuilder", Rule.PROCESSES),
            Map.entry("java/lang/ProcessHandle", Rule.PROCESSES),
            Map.entry("java/lang/Process", Rule.PROCESSES),
            Map.entry("java/lang/reflect/", Rule.REFLECTION),
            Map.entry("java/lang/StackWalker", Rule.REFLECTION),
            Map.entry("java/lang/Module", Rule.REFLECTION),
            Map.entry("java/lang/Package", Rule.REFLECTION),
            Map.entry("java/lang/ClassValue", Rule.REFLECTION),
            Map.entry("java/lang/constant/", Rule.REFLECTION),
            Map.entry("java/lang/invoke/", Rule.REFLECTION),
            Map.entry("java/lang/runtime/", Rule.REFLECTION),
            Map.entry("java/lang/ClassLoader", Rule.CLASS_LOADING),
            Map.entry("java/lang/instrument/", Rule.CLASS_LOADING),
            Map.entry("java/lang/module/", Rule.CLASS_LOADING),
            Map.entry("java/util/ServiceLoader", Rule.CLASS_LOADING),
            Map.entry("java/util/ResourceBundle", Rule.CLASS_LOADING),
            Map.entry("java/util/spi/", Rule.CLASS_LOADING),
            Map.entry("java/lang/Thread", Rule.THREADS), // Thread, ThreadGroup, ThreadLocal, ThreadDeath
            Map.entry("java/lang/InheritableThreadLocal", Rule.THREADS),
            Map.entry("java/util/Timer", Rule.THREADS), // Timer, TimerTask
            Map.entry("java/util/stream/StreamSupport", Rule.THREADS), // stream(spliterator, parallel)
            Map.entry("java/lang/Shutdown", Rule.JVM),
            Map.entry("java/lang/SecurityManager", Rule.PLATFORM),
            Map.entry("java/lang/ref/", Rule.PLATFORM),
            Map.entry("java/lang/management/", Rule.PLATFORM),
            Map.entry("java/security/", Rule.PLATFORM),
            Map.entry("java/sql/", Rule.PLATFORM),
            Map.entry("java/rmi/", Rule.PLATFORM),
            Map.entry("java/awt/", Rule.PLATFORM),
            Map.entry("java/util/prefs/", Rule.PLATFORM),
            Map.entry("java/util/logging/", Rule.PLATFORM),
            Map.entry("java/util/jar/", Rule.PLATFORM),
            Map.entry("java/util/zip/", Rule.PLATFORM),
            Map.entry("javax/", Rule.PLATFORM),
            Map.entry("sun/", Rule.JDK_INTERNALS),
            Map.entry("com/sun/", Rule.JDK_INTERNALS),
            Map.entry("jdk/", Rule.JDK_INTERNALS),
            Map.entry("org/apache/ignite/", Rule.GRID_INTERNALS));

    /**
     * The client API: the closure types, and the submitter-side types that a user's class holding a
     * closure usually names too (the lambda's capturing class travels whole). Why they are safe in the
     * worker: they are values, or they cannot link there (PtorrentClient needs Ignite, which the worker's
     * class path does not hold). Everything else of ptorrent is internal.
     */
    private static final Set<String> CLIENT_API = Set.of(
            "io/ptorrent/client/SerializableCallable", "io/ptorrent/client/SerializableFunction",
            // Allowed ahead of time: issue 4's mapRange hands closures a LongRange value.
            "io/ptorrent/client/LongRange",
            "io/ptorrent/client/PtorrentClient", "io/ptorrent/client/PtorrentClientOptions", "io/ptorrent/client/TaskHandle",
            "io/ptorrent/client/TaskReport", "io/ptorrent/client/TaskStatus", "io/ptorrent/client/PtorrentException", "io/ptorrent/client/ErrorCode",
            "io/ptorrent/client/cli/ExampleProgram");

    /** java.util.concurrent is threads, except these values and collections, which start none. */
    private static final Set<String> CONCURRENT_ALLOWED = Set.of(
            "java/util/concurrent/Callable", "java/util/concurrent/TimeUnit", "java/util/concurrent/ThreadLocalRandom",
            "java/util/concurrent/ConcurrentHashMap", "java/util/concurrent/ConcurrentMap", "java/util/concurrent/ConcurrentNavigableMap",
            "java/util/concurrent/ConcurrentLinkedQueue", "java/util/concurrent/ConcurrentLinkedDeque",
            "java/util/concurrent/ConcurrentSkipListMap", "java/util/concurrent/ConcurrentSkipListSet",
            "java/util/concurrent/CopyOnWriteArrayList", "java/util/concurrent/CopyOnWriteArraySet",
            "java/util/concurrent/CompletableFuture", "java/util/concurrent/CompletionStage", "java/util/concurrent/Future",
            "java/util/concurrent/CompletionException", "java/util/concurrent/ExecutionException",
            "java/util/concurrent/CancellationException", "java/util/concurrent/TimeoutException");

    private static final Set<String> JAVA_LANG_ALLOWED = Set.of(
            "Object", "String", "StringBuilder", "StringBuffer", "CharSequence", "Math", "StrictMath",
            "Boolean", "Byte", "Short", "Character", "Integer", "Long", "Float", "Double", "Number", "Void",
            "Comparable", "Iterable", "Runnable", "AutoCloseable", "Cloneable", "Appendable", "Readable",
            "Enum", "Record", "Class", "System", "Runtime", "StackTraceElement",
            "Override", "Deprecated", "FunctionalInterface", "SafeVarargs", "SuppressWarnings",
            // Throwables, to throw and to catch. Errors too: the worker turns them into FRAGMENT_FAILED.
            "Throwable", "Exception", "RuntimeException", "Error", "ArithmeticException",
            "ArrayIndexOutOfBoundsException", "ArrayStoreException", "ClassCastException", "CloneNotSupportedException",
            "IllegalArgumentException", "IllegalStateException", "IllegalMonitorStateException", "IndexOutOfBoundsException",
            "InterruptedException", "NegativeArraySizeException", "NullPointerException", "NumberFormatException",
            "StringIndexOutOfBoundsException", "UnsupportedOperationException", "AssertionError", "StackOverflowError",
            "OutOfMemoryError", "VirtualMachineError", "ExceptionInInitializerError", "LinkageError",
            "IncompatibleClassChangeError", "EnumConstantNotPresentException", "TypeNotPresentException",
            "ReflectiveOperationException", "ClassNotFoundException",
            // javac's enum switch maps catch NoSuchFieldError.
            "NoSuchFieldError");

    private static final Set<String> JAVA_IO_ALLOWED = Set.of(
            "Serializable", "Externalizable", "Serial", "ObjectInput", "ObjectOutput", "ObjectInputStream", "ObjectOutputStream",
            "ObjectStreamField", "ObjectStreamException", "InvalidObjectException", "NotSerializableException",
            "InvalidClassException", "Closeable", "Flushable", "IOException", "UncheckedIOException", "EOFException",
            "UnsupportedEncodingException", "PrintStream", "PrintWriter", "InputStream", "OutputStream", "Reader", "Writer",
            "ByteArrayInputStream", "ByteArrayOutputStream", "StringReader", "StringWriter", "CharArrayReader",
            "CharArrayWriter", "BufferedReader", "BufferedWriter", "BufferedInputStream", "BufferedOutputStream",
            "InputStreamReader", "OutputStreamWriter", "DataInputStream", "DataOutputStream", "DataInput", "DataOutput",
            "FilterInputStream", "FilterOutputStream", "FilterReader", "FilterWriter", "PushbackInputStream", "PushbackReader",
            "SequenceInputStream", "LineNumberReader", "StreamTokenizer");

    /** Members of java.lang.System that user code may use; every other member of System is denied. */
    private static final Set<String> SYSTEM_ALLOWED = Set.of(
            "currentTimeMillis", "nanoTime", "arraycopy", "identityHashCode", "lineSeparator",
            // Printing is captured by the worker (capped) and never reaches the node's streams.
            "out", "err");

    /** Members of java.lang.Class that name or test a type; the rest of Class is reflection or class loading. */
    private static final Set<String> CLASS_ALLOWED = Set.of(
            "getName", "getSimpleName", "getTypeName", "getCanonicalName", "getPackageName", "isInstance", "cast",
            "isAssignableFrom", "isArray", "isPrimitive", "isEnum", "isRecord", "isInterface", "isAnnotation",
            "getComponentType", "componentType", "arrayType", "descriptorString", "desiredAssertionStatus",
            "hashCode", "equals", "toString");

    private ReferencePolicy() {
    }

    /** The rule that forbids naming this class, or null. {@code type} is an internal name, not an array. */
    static Rule typeRule(String type) {
        if (type.equals("java/lang/invoke/SerializedLambda")) {
            // A serializable lambda's $deserializeLambda$ reads one; it is a plain value.
            return null;
        }
        for (Map.Entry<String, Rule> denied : DENIED) {
            if (matches(type, denied.getKey())) {
                return denied.getValue();
            }
        }
        if (type.startsWith("io/ptorrent/")) {
            return CLIENT_API.contains(outer(type)) ? null : Rule.GRID_INTERNALS;
        }
        if (type.startsWith("java/util/concurrent/")) {
            return type.startsWith("java/util/concurrent/atomic/") || CONCURRENT_ALLOWED.contains(outer(type)) ? null : Rule.THREADS;
        }
        if (inPackage(type, "java/lang/")) {
            return JAVA_LANG_ALLOWED.contains(outer(type).substring("java/lang/".length())) ? null : Rule.NOT_ALLOWED;
        }
        if (inPackage(type, "java/io/")) {
            return JAVA_IO_ALLOWED.contains(outer(type).substring("java/io/".length())) ? null : Rule.NOT_ALLOWED;
        }
        if (type.startsWith("java/lang/annotation/") || type.startsWith("java/math/") || type.startsWith("java/util/")
                || type.startsWith("java/time/") || type.startsWith("java/text/") || inPackage(type, "java/nio/")
                || type.startsWith("java/nio/charset/") && !type.startsWith("java/nio/charset/spi/")) {
            return null;
        }
        return Rule.NOT_ALLOWED;
    }

    /**
     * The rule that forbids this member of an allowed JDK class, or null. {@code owner} must already have
     * passed {@link #typeRule}.
     */
    static Rule memberRule(String owner, String name, String descriptor) {
        if ("parallelStream".equals(name) || owner.startsWith("java/util/stream/") && "parallel".equals(name)) {
            return Rule.THREADS;
        }
        switch (owner) {
            case "java/lang/System":
                return systemMember(name);
            case "java/lang/Runtime":
                return runtimeMember(name);
            case "java/lang/Class":
                if ("forName".equals(name) || "getClassLoader".equals(name)) {
                    return Rule.CLASS_LOADING;
                }
                return CLASS_ALLOWED.contains(name) ? null : Rule.REFLECTION;
            case "java/lang/Integer", "java/lang/Long", "java/lang/Boolean":
                // Integer.getInteger, Long.getLong and Boolean.getBoolean read system properties.
                return name.startsWith("get") && name.length() > 3 && descriptor.startsWith("(Ljava/lang/String;") ? Rule.ENVIRONMENT : null;
            case "java/io/PrintStream", "java/io/PrintWriter", "java/util/Formatter":
                // PrintStream(String fileName), PrintWriter(String fileName), Formatter(String fileName) open files.
                return "<init>".equals(name) && descriptor.startsWith("(Ljava/lang/String;") ? Rule.FILES : null;
            case "java/io/ObjectInputStream":
                // A stream handed to a class's own readObject is the worker's filtered one; making a new one is not.
                return "<init>".equals(name) ? Rule.DESERIALIZATION : null;
            case "java/util/Arrays":
                return name.startsWith("parallel") ? Rule.THREADS : null;
            case "java/util/concurrent/CompletableFuture":
                return name.endsWith("Async") || "delayedExecutor".equals(name) || "defaultExecutor".equals(name) ? Rule.THREADS : null;
            default:
                return null;
        }
    }

    private static Rule systemMember(String name) {
        if (SYSTEM_ALLOWED.contains(name)) {
            return null;
        }
        return switch (name) {
            case "exit", "gc", "runFinalization", "setSecurityManager", "getSecurityManager" -> Rule.JVM;
            case "load", "loadLibrary", "mapLibraryName" -> Rule.NATIVE;
            case "getenv", "getProperty", "getProperties", "setProperty", "setProperties", "clearProperty" -> Rule.ENVIRONMENT;
            case "in", "setIn", "setOut", "setErr", "console", "inheritedChannel" -> Rule.STDIO;
            case "getLogger" -> Rule.PLATFORM;
            default -> Rule.NOT_ALLOWED;
        };
    }

    /**
     * Runtime.getRuntime() itself is allowed, so that {@code availableProcessors()} and the memory figures
     * can be read; what the runtime could do to the process is denied member by member.
     */
    private static Rule runtimeMember(String name) {
        return switch (name) {
            case "getRuntime", "availableProcessors", "freeMemory", "maxMemory", "totalMemory", "version" -> null;
            case "exec" -> Rule.PROCESSES;
            case "load", "loadLibrary" -> Rule.NATIVE;
            case "addShutdownHook", "removeShutdownHook" -> Rule.JVM;
            default -> Rule.JVM; // exit, halt, gc, runFinalization, and whatever a later JDK adds
        };
    }

    /**
     * A plain prefix test on purpose: {@code java/lang/Process} also matches {@code ProcessBuilder$Redirect},
     * {@code java/io/File} also matches {@code FileReader}; a prefix ending in '/' takes sub-packages too.
     */
    private static boolean matches(String type, String prefix) {
        return type.startsWith(prefix);
    }

    private static boolean inPackage(String type, String pkg) {
        return type.startsWith(pkg) && type.indexOf('/', pkg.length()) < 0;
    }

    /** The top-level class of a nested class: {@code java/util/Map$Entry} → {@code java/util/Map}. */
    private static String outer(String type) {
        int dollar = type.indexOf('$');
        return dollar < 0 ? type : type.substring(0, dollar);
    }
}
