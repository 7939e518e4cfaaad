package io.ptorrent.plugin.sandbox;

import hostile.ClassLoading;
import hostile.Deserialization;
import hostile.Environment;
import hostile.Evasion;
import hostile.Exhaustion;
import hostile.FileAccess;
import hostile.ForgedFailure;
import hostile.GridInternals;
import hostile.JdkInternals;
import hostile.JvmControl;
import hostile.MemoryAbuse;
import hostile.NativeCode;
import hostile.Network;
import hostile.Processes;
import hostile.ProtocolForgery;
import hostile.Reflection;
import hostile.Smuggled;
import hostile.ThreadAbuse;
import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.SerializableCallable;
import io.ptorrent.client.bundle.BundleVerifier.Rule;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The hostile-code table: every payload, where it must be stopped, and what it may target. The tests
 * ({@code HostilePayloadsIT}, the grid IT in examples) run over it, and {@link #markdownTable()} renders
 * it for docs/SECURITY.md ({@code HostilePayloadTableTest} keeps the two in step).
 */
public final class HostilePayloads {
    /** The cap on results the tests' runners use. */
    public static final int MAX_RESULT_BYTES = 1024 * 1024;
    /** The wall-clock limit of a payload that should be stopped by its timeout. */
    public static final Duration SHORT = Duration.ofSeconds(3);
    public static final Duration LONG = Duration.ofSeconds(60);

    private HostilePayloads() {
    }

    /**
     * What payloads may aim at; all of it belongs to the test. {@code victim} exists and holds
     * {@link #SECRET}; {@code pwned} must never get a byte.
     */
    public record Target(Path dir, Path victim, Path pwned, int listenPort, int serverPort, String marker) {
        public static final String SECRET = "the household's secret";

        public static Target in(Path dir, int listenPort, int serverPort) {
            try {
                Path victim = Files.writeString(dir.resolve("victim.txt"), SECRET);
                // A marker unusual enough to find a payload's process among all of the machine's.
                String marker = String.valueOf(7000 + Math.floorMod(dir.toString().hashCode(), 2000));
                return new Target(dir, victim, dir.resolve("pwned.txt"), listenPort, serverPort, marker);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** What happens when the payload runs in a worker with the verifier bypassed. */
    public sealed interface AtRunTime permits Stopped, Completes, NotRun, ByNetwork {
        /** The text of the table's run-time column. */
        String describe();
    }

    /**
     * The fragment fails with one of {@code codes} (message containing {@code messagePart}), stopped by {@code by}.
     * {@code needsPrlimit}: only where prlimit works on the machine.
     */
    public record Stopped(Set<ErrorCode> codes, String messagePart, String by, boolean needsPrlimit) implements AtRunTime {
        @Override
        public String describe() {
            return "stopped: " + by + " → " + String.join(" or ", codes.stream().map(Enum::name).sorted().toList());
        }
    }

    /**
     * The payload runs to its end. {@code gap}: it did what it wanted (a hole the verifier alone closes);
     * otherwise {@code note} says why that is harmless. {@code check} tests the decoded result.
     */
    public record Completes(boolean gap, String note, Predicate<Object> check) implements AtRunTime {
        @Override
        public String describe() {
            return (gap ? "**not contained**: " : "contained: ") + note;
        }
    }

    /**
     * What happens depends on whether workers run in a network namespace on this machine
     * ({@code unshare --user --net} works for the node's user): {@code confined} where they do, else {@code otherwise}.
     */
    public record ByNetwork(AtRunTime confined, AtRunTime otherwise) implements AtRunTime {
        /** What happens on this machine. */
        public AtRunTime here() {
            return NetworkConfinement.active() ? confined : otherwise;
        }

        @Override
        public String describe() {
            return "with a network namespace: " + confined.describe() + "; without one: " + otherwise.describe();
        }
    }

    /** Not run on purpose (it would harm the test machine, or repeats another payload). */
    public record NotRun(String why) implements AtRunTime {
        @Override
        public String describe() {
            return "not run: " + why;
        }
    }

    /**
     * One payload.
     *
     * @param name      its name, unique
     * @param home      the class it lives in
     * @param what      what it tries, for the docs
     * @param rule      the verifier's rule that rejects it; null if the verifier accepts it (runtime limits stop it)
     * @param reference part of the rejected reference that names it
     * @param runtime   what happens when it runs in a worker without the verifier
     * @param closure   the closure, aimed at a target
     */
    public record Payload(String name, Class<?> home, String what, Rule rule, String reference, AtRunTime runtime,
                          Function<Target, SerializableCallable<?>> closure) {
        public Payload {
            Objects.requireNonNull(runtime, "runtime");
        }

        /** The wall-clock limit to run it with. */
        public Duration limit() {
            AtRunTime here = runtime instanceof ByNetwork b ? b.here() : runtime;
            return here instanceof Stopped s && s.codes().contains(ErrorCode.FRAGMENT_TIMEOUT) ? SHORT : LONG;
        }

        @Override
        public String toString() {
            return home.getSimpleName() + "." + name;
        }
    }

    /** Every payload, in the docs' order. */
    public static List<Payload> all() {
        List<Payload> p = new ArrayList<>();
        // Files
        p.add(new Payload("readFile", FileAccess.class, "read a file of the host", Rule.FILES, "java.nio.file.Files.readString(Path)",
                completes(true, "reads any file the node's user may read", r -> Target.SECRET.equals(r)), t -> FileAccess.readFile(t.victim().toString())));
        p.add(new Payload("writeFile", FileAccess.class, "write a file", Rule.FILES, "java.nio.file.Files.writeString",
                stoppedByPrlimit("prlimit --fsize=0 (the file may be created, empty)"), t -> FileAccess.writeFile(t.pwned().toString())));
        p.add(new Payload("listDirectory", FileAccess.class, "list a directory", Rule.FILES, "java.nio.file.Files.list(Path)",
                completes(true, "lists any directory the node's user may read", r -> r.toString().contains("victim.txt")),
                t -> FileAccess.listDirectory(t.dir().toString())));
        p.add(new Payload("deleteFile", FileAccess.class, "delete a file", Rule.FILES, "new java.io.File(String)",
                completes(true, "deletes any file the node's user may delete", Boolean.TRUE::equals), t -> FileAccess.deleteFile(t.victim().toString())));
        p.add(new Payload("randomAccessWrite", FileAccess.class, "write through RandomAccessFile", Rule.FILES, "java.io.RandomAccessFile",
                stoppedByPrlimit("prlimit --fsize=0 (the file may be created, empty)"), t -> FileAccess.randomAccessWrite(t.pwned().toString())));
        // Network
        p.add(new Payload("connect", Network.class, "open a TCP connection (loopback)", Rule.NETWORK, "java.net.Socket",
                new ByNetwork(noNetwork(), completes(true, "connects", Boolean.TRUE::equals)), t -> Network.connect(t.serverPort())));
        p.add(new Payload("listen", Network.class, "open a listening socket", Rule.NETWORK, "new java.net.ServerSocket(int, int, InetAddress)",
                new ByNetwork(completes(false, "listens inside the worker's own namespace, which nothing outside reaches", r -> r instanceof Integer),
                        completes(true, "listens until the worker is killed after the fragment", r -> r instanceof Integer)), t -> Network.listen(t.listenPort())));
        p.add(new Payload("resolve", Network.class, "resolve a host name", Rule.NETWORK, "java.net.InetAddress.getByName(String)",
                new ByNetwork(completes(false, "resolves only what /etc/hosts holds (no DNS server is reachable)", r -> r instanceof String),
                        completes(true, "resolves names", r -> r instanceof String)), t -> Network.resolve()));
        p.add(new Payload("httpClient", Network.class, "HTTP request with java.net.http", Rule.NETWORK, "java.net.http.HttpClient",
                new NotRun("the same as connect"), t -> Network.httpClient(t.serverPort())));
        p.add(new Payload("urlStream", Network.class, "URL.openStream", Rule.NETWORK, "java.net.URL",
                new NotRun("the same as connect"), t -> Network.urlStream(t.serverPort())));
        p.add(new Payload("udp", Network.class, "send a UDP datagram (loopback)", Rule.NETWORK, "java.net.DatagramSocket",
                new ByNetwork(noNetwork(), completes(true, "sends datagrams", Boolean.TRUE::equals)), t -> Network.udp(t.serverPort())));
        // Processes
        p.add(new Payload("processBuilder", Processes.class, "start a process (ProcessBuilder)", Rule.PROCESSES, "new java.lang.ProcessBuilder(String[])",
                completes(false, "starts it, but the runner kills the worker's whole process tree after the fragment", "started"::equals),
                t -> Processes.processBuilder(t.marker())));
        p.add(new Payload("runtimeExec", Processes.class, "start a process (Runtime.exec)", Rule.PROCESSES, "java.lang.Runtime.exec(String[])",
                completes(false, "starts it, but the runner kills the worker's whole process tree after the fragment", "started"::equals),
                t -> Processes.runtimeExec(t.marker())));
        p.add(new Payload("killParent", Processes.class, "kill the contributor node (the worker's parent)", Rule.PROCESSES, "java.lang.ProcessHandle.current()",
                new NotRun("it would kill the node: the worker runs as the node's user"), t -> Processes.killParent()));
        p.add(new Payload("listProcesses", Processes.class, "list the machine's processes", Rule.PROCESSES, "java.lang.ProcessHandle.allProcesses()",
                completes(true, "sees every process", r -> r instanceof Long n && n > 0), t -> Processes.listProcesses()));
        // Reflection
        p.add(new Payload("setAccessible", Reflection.class, "getDeclaredField + setAccessible on String.value", Rule.REFLECTION,
                "java.lang.Class.getDeclaredField(String)", stopped("JPMS strong encapsulation (java.base is not opened)", "InaccessibleObjectException",
                ErrorCode.FRAGMENT_FAILED), t -> Reflection.setAccessible()));
        p.add(new Payload("invokeExit", Reflection.class, "System.exit through Method.invoke", Rule.REFLECTION, "java.lang.Class.getMethod(String, Class[])",
                stopped("the worker's exit hook", "System.exit", ErrorCode.FRAGMENT_FAILED), t -> Reflection.invokeExit()));
        p.add(new Payload("methodHandleGetenv", Reflection.class, "MethodHandles.lookup → System.getenv", Rule.REFLECTION,
                "java.lang.invoke.MethodHandles.lookup()", completes(false, "the worker's environment holds only PATH, TMPDIR and LANG", HostilePayloads::onlyWorkerEnvironment),
                t -> Reflection.methodHandleGetenv()));
        // JDK internals
        p.add(new Payload("unsafeCrash", JdkInternals.class, "sun.misc.Unsafe write to address 0", Rule.JDK_INTERNALS, "sun.misc.Unsafe",
                stopped("the worker JVM dies alone; the node reports it", "", ErrorCode.INTERNAL, ErrorCode.FRAGMENT_FAILED), t -> JdkInternals.unsafeCrash()));
        p.add(new Payload("ignoreTermThenSpin", JdkInternals.class, "ignore SIGTERM, then spin", Rule.JDK_INTERNALS, "sun.misc.Signal",
                stopped("wall-clock limit; the kill is SIGKILL, which no handler catches", "", ErrorCode.FRAGMENT_TIMEOUT), t -> JdkInternals.ignoreTermThenSpin()));
        p.add(new Payload("httpServer", JdkInternals.class, "start com.sun.net.httpserver on loopback", Rule.JDK_INTERNALS, "com.sun.net.httpserver.HttpServer",
                new ByNetwork(completes(false, "serves inside the worker's own namespace, which nothing outside reaches", "serving"::equals),
                        completes(true, "serves until the worker is killed after the fragment", "serving"::equals)), t -> JdkInternals.httpServer(t.listenPort())));
        // JVM control
        p.add(new Payload("exit", JvmControl.class, "System.exit", Rule.JVM, "java.lang.System.exit(int)",
                stopped("the worker's exit hook", "System.exit", ErrorCode.FRAGMENT_FAILED), t -> JvmControl.exit()));
        p.add(new Payload("halt", JvmControl.class, "Runtime.halt", Rule.JVM, "java.lang.Runtime.halt(int)",
                stopped("the worker dies alone; the node reports its exit code", "exit code 0", ErrorCode.INTERNAL), t -> JvmControl.halt()));
        p.add(new Payload("endlessShutdownHook", JvmControl.class, "a shutdown hook that never ends, then exit", Rule.JVM,
                "java.lang.Runtime.addShutdownHook(Thread)", stopped("the worker's exit hook answers; the runner kills the rest", "System.exit",
                ErrorCode.FRAGMENT_FAILED), t -> JvmControl.endlessShutdownHook()));
        // Threads
        p.add(new Payload("threadBomb", ThreadAbuse.class, ThreadAbuse.BOMB_THREADS + " threads, then wait forever", Rule.THREADS, "new java.lang.Thread(Runnable)",
                stopped("wall-clock limit; the threads die with the worker (no thread cap yet)", "", ErrorCode.FRAGMENT_TIMEOUT), t -> ThreadAbuse.threadBomb()));
        p.add(new Payload("executor", ThreadAbuse.class, "a fixed thread pool", Rule.THREADS, "java.util.concurrent.Executors.newFixedThreadPool(int)",
                completes(true, "uses more cores than the contributor shares until the fragment ends", Integer.valueOf(42)::equals), t -> ThreadAbuse.executor()));
        p.add(new Payload("parallelStream", ThreadAbuse.class, "Collection.parallelStream", Rule.THREADS, "parallelStream()",
                completes(true, "uses more cores than the contributor shares until the fragment ends", Integer.valueOf(10)::equals), t -> ThreadAbuse.parallelStream()));
        p.add(new Payload("streamParallel", ThreadAbuse.class, "Stream.parallel", Rule.THREADS, "java.util.stream.LongStream.parallel()",
                completes(true, "uses more cores than the contributor shares until the fragment ends", Long.valueOf(499_500)::equals), t -> ThreadAbuse.streamParallel()));
        p.add(new Payload("forkJoinPool", ThreadAbuse.class, "ForkJoinPool.commonPool", Rule.THREADS, "java.util.concurrent.ForkJoinPool",
                completes(true, "uses more cores than the contributor shares until the fragment ends", Integer.valueOf(42)::equals), t -> ThreadAbuse.forkJoinPool()));
        p.add(new Payload("supplyAsync", ThreadAbuse.class, "CompletableFuture.supplyAsync", Rule.THREADS, "java.util.concurrent.CompletableFuture.supplyAsync",
                completes(true, "uses another core until the fragment ends", Integer.valueOf(42)::equals), t -> ThreadAbuse.supplyAsync()));
        p.add(new Payload("timer", ThreadAbuse.class, "java.util.Timer, work that outlives the fragment", Rule.THREADS, "java.util.Timer",
                completes(false, "the timer thread dies with the worker after the fragment", "scheduled"::equals), t -> ThreadAbuse.timer()));
        // Class loading
        p.add(new Payload("defineClass", ClassLoading.class, "define a class from bytes via a ClassLoader subclass", Rule.CLASS_LOADING, "java.lang.ClassLoader",
                completes(true, "defines code the verifier never saw (inside the worker's limits)", Smuggled.class.getName()::equals),
                t -> ClassLoading.defineClass(classFile(Smuggled.class))));
        p.add(new Payload("forName", ClassLoading.class, "Class.forName(\"org.apache.ignite.Ignition\")", Rule.CLASS_LOADING, "java.lang.Class.forName(String)",
                stopped("the worker's class path holds no Ignite", "ClassNotFoundException", ErrorCode.FRAGMENT_FAILED), t -> ClassLoading.forName()));
        p.add(new Payload("urlClassLoader", ClassLoading.class, "a URLClassLoader over a directory", Rule.CLASS_LOADING, "java.net.URLClassLoader",
                new NotRun("the same hole as defineClass"), t -> ClassLoading.urlClassLoader(t.dir().toString())));
        p.add(new Payload("serviceLoader", ClassLoading.class, "ServiceLoader.load", Rule.CLASS_LOADING, "java.util.ServiceLoader",
                completes(false, "finds nothing: only the client API is on the worker's class path", Long.valueOf(0)::equals), t -> ClassLoading.serviceLoader()));
        // Native code
        p.add(new Payload("loadLibrary", NativeCode.class, "System.loadLibrary", Rule.NATIVE, "java.lang.System.loadLibrary(String)",
                stopped("nothing but the library's absence", "UnsatisfiedLinkError", ErrorCode.FRAGMENT_FAILED), t -> NativeCode.loadLibrary()));
        p.add(new Payload("runtimeLoad", NativeCode.class, "Runtime.load of a path", Rule.NATIVE, "java.lang.Runtime.load(String)",
                stopped("nothing but the library's absence", "UnsatisfiedLinkError", ErrorCode.FRAGMENT_FAILED),
                t -> NativeCode.runtimeLoad(t.dir().resolve("libhostile.so").toString())));
        // Environment
        p.add(new Payload("getenv", Environment.class, "read the environment", Rule.ENVIRONMENT, "java.lang.System.getenv()",
                completes(false, "the worker's environment holds only PATH, TMPDIR and LANG", HostilePayloads::onlyWorkerEnvironment), t -> Environment.getenv()));
        p.add(new Payload("getProperty", Environment.class, "read a system property (user.home)", Rule.ENVIRONMENT, "java.lang.System.getProperty(String)",
                completes(true, "reads the worker's system properties (user name, home, JDK)", r -> r instanceof String), t -> Environment.getProperty()));
        p.add(new Payload("setProperty", Environment.class, "set a system property", Rule.ENVIRONMENT, "java.lang.System.setProperty(String, String)",
                completes(false, "changes only the worker's own, short-lived properties", r -> true), t -> Environment.setProperty()));
        p.add(new Payload("getInteger", Environment.class, "Integer.getInteger reads a property", Rule.ENVIRONMENT, "java.lang.Integer.getInteger(String)",
                completes(true, "reads the worker's system properties", r -> true), t -> Environment.getInteger()));
        // Deserialization
        p.add(new Payload("objectInputStream", Deserialization.class, "ObjectInputStream over attacker bytes (nested-HashSet hash bomb)", Rule.DESERIALIZATION,
                "new java.io.ObjectInputStream(InputStream)", stopped("wall-clock limit", "", ErrorCode.FRAGMENT_TIMEOUT),
                t -> Deserialization.objectInputStream(hashBomb())));
        p.add(new Payload("xmlDecoder", Deserialization.class, "XMLDecoder gadget that calls System.exit", Rule.DESERIALIZATION, "java.beans.XMLDecoder",
                stopped("the worker's exit hook (the XML called System.exit)", "System.exit", ErrorCode.FRAGMENT_FAILED),
                t -> Deserialization.xmlDecoder(XML_EXIT.getBytes(StandardCharsets.UTF_8))));
        // Grid internals
        p.add(new Payload("igniteAllGrids", GridInternals.class, "Ignition.allGrids", Rule.GRID_INTERNALS, "org.apache.ignite.Ignition.allGrids()",
                stopped("the worker's class path holds no Ignite", "NoClassDefFoundError", ErrorCode.FRAGMENT_FAILED), t -> GridInternals.igniteAllGrids()));
        p.add(new Payload("ledger", GridInternals.class, "credit itself in the ledger cache", Rule.GRID_INTERNALS, "org.apache.ignite.Ignition.ignite()",
                stopped("the worker's class path holds no Ignite", "NoClassDefFoundError", ErrorCode.FRAGMENT_FAILED), t -> GridInternals.ledger()));
        p.add(new Payload("ptorrentPlugin", GridInternals.class, "io.ptorrent.plugin.PtorrentPlugin", Rule.GRID_INTERNALS, "io.ptorrent.plugin.PtorrentPlugin.of(Ignite)",
                stopped("the plugin cannot link without Ignite", "", ErrorCode.FRAGMENT_FAILED), t -> GridInternals.ptorrentPlugin()));
        // The worker's protocol
        p.add(new Payload("forgeAnswer", ProtocolForgery.class, "write a forged answer frame to the real stdout", Rule.FILES, "java.io.FileOutputStream",
                stopped("a forged answer speaks only for its own fragment, with a code a worker may give", "forged by the closure", ErrorCode.FRAGMENT_FAILED),
                t -> ProtocolForgery.forgeAnswer()));
        p.add(new Payload("replaceStdout", ProtocolForgery.class, "System.setOut to the real stdout, print garbage", Rule.STDIO, "java.lang.System.setOut(PrintStream)",
                stopped("the node treats garbage as a broken worker and kills it", "", ErrorCode.INTERNAL), t -> ProtocolForgery.replaceStdout()));
        p.add(new Payload("readStdin", ProtocolForgery.class, "read System.in", Rule.STDIO, "java.lang.System.in",
                completes(false, "System.in is empty in the worker", Integer.valueOf(-1)::equals), t -> ProtocolForgery.readStdin()));
        // Code the closure never calls by name: the verifier checks only what a closure can reach, and these are reached.
        p.add(new Payload("staticInitializer", Evasion.class, "read a system property in the static initializer of a class whose constant the closure reads",
                Rule.ENVIRONMENT, "java.lang.System.getProperty(String)",
                completes(true, "reads the worker's system properties", r -> r instanceof String), t -> Evasion.staticInitializer()));
        p.add(new Payload("hashCodeWhileDecoding", Evasion.class, "read a file in the hashCode() that a captured HashSet calls while the worker decodes the closure",
                Rule.FILES, "java.nio.file.Files.readString(Path)",
                completes(true, "reads any file the node's user may read, before call()", r -> Target.SECRET.equals(r)),
                t -> Evasion.hashCodeWhileDecoding(t.victim().toString())));
        p.add(new Payload("defaultMethodTheJdkCalls", Evasion.class, "read a file in a default negate() of the bundle's own Predicate, which only Predicate.not calls",
                Rule.FILES, "java.nio.file.Files.readString(Path)",
                completes(true, "reads any file the node's user may read", r -> Target.SECRET.equals(r)),
                t -> Evasion.defaultMethodTheJdkCalls(t.victim().toString())));
        // Only the limits stop these: the verifier accepts them.
        p.add(new Payload("forgedErrorCode", ForgedFailure.class, "throw PtorrentException(NO_CONTRIBUTORS) to fake the grid's answer", null, null,
                stopped("whatever a closure throws is FRAGMENT_FAILED", "forged by the closure", ErrorCode.FRAGMENT_FAILED), t -> ForgedFailure.forgedErrorCode()));
        p.add(new Payload("infiniteLoop", Exhaustion.class, "an infinite loop", null, null,
                stopped("wall-clock limit", "", ErrorCode.FRAGMENT_TIMEOUT), t -> Exhaustion.infiniteLoop()));
        p.add(new Payload("catchStackOverflowAndRecurse", Exhaustion.class, "catch StackOverflowError and recurse again", null, null,
                stopped("wall-clock limit", "", ErrorCode.FRAGMENT_TIMEOUT), t -> Exhaustion.catchStackOverflowAndRecurse()));
        p.add(new Payload("catastrophicRegex", Exhaustion.class, "a catastrophically backtracking regex", null, null,
                stopped("wall-clock limit", "", ErrorCode.FRAGMENT_TIMEOUT), t -> Exhaustion.catastrophicRegex()));
        p.add(new Payload("spinInStaticInitializer", Exhaustion.class, "spin in a static initializer", null, null,
                stopped("wall-clock limit", "", ErrorCode.FRAGMENT_TIMEOUT), t -> Exhaustion.spinInStaticInitializer()));
        p.add(new Payload("spinInReadObject", Exhaustion.class, "spin in readObject, while the worker decodes the closure", null, null,
                stopped("wall-clock limit", "", ErrorCode.FRAGMENT_TIMEOUT), t -> Exhaustion.spinInReadObject()));
        p.add(new Payload("heapBomb", MemoryAbuse.class, "allocate until the heap is full", null, null,
                stopped("the worker's heap cap (-Xmx)", "OutOfMemoryError", ErrorCode.FRAGMENT_FAILED), t -> MemoryAbuse.heapBomb()));
        p.add(new Payload("hugeArray", MemoryAbuse.class, "new long[Integer.MAX_VALUE - 8]", null, null,
                stopped("the worker's heap cap (-Xmx)", "OutOfMemoryError", ErrorCode.FRAGMENT_FAILED), t -> MemoryAbuse.hugeArray()));
        p.add(new Payload("stringBomb", MemoryAbuse.class, "a string that doubles forever", null, null,
                stopped("the worker's heap cap (-Xmx)", "OutOfMemoryError", ErrorCode.FRAGMENT_FAILED), t -> MemoryAbuse.stringBomb()));
        p.add(new Payload("directMemory", MemoryAbuse.class, "a 1 GiB direct buffer", null, null,
                stopped("-XX:MaxDirectMemorySize", "OutOfMemoryError", ErrorCode.FRAGMENT_FAILED), t -> MemoryAbuse.directMemory()));
        p.add(new Payload("stackOverflow", MemoryAbuse.class, "unbounded recursion", null, null,
                stopped("the worker's thread stack (-Xss)", "StackOverflowError", ErrorCode.FRAGMENT_FAILED), t -> MemoryAbuse.stackOverflow()));
        p.add(new Payload("hugeResult", MemoryAbuse.class, "a result twice the cap", null, null,
                stopped("the result cap, before the node reads the bytes", "", ErrorCode.RESULT_TOO_LARGE), t -> MemoryAbuse.hugeResult(2 * MAX_RESULT_BYTES)));
        p.add(new Payload("print100MiB", MemoryAbuse.class, "print 100 MiB to System.out", null, null,
                completes(false, "the worker keeps 64 KiB of output and drops the rest", "printed"::equals), t -> MemoryAbuse.print100MiB()));
        return List.copyOf(p);
    }

    /** The table for docs/SECURITY.md. */
    public static String markdownTable() {
        StringBuilder md = new StringBuilder();
        md.append("| # | class | payload | what it tries | verifier | run without the verifier |\n");
        md.append("|---|---|---|---|---|---|\n");
        int i = 0;
        for (Payload p : all()) {
            String verifier = p.rule() == null ? "accepted (nothing to see in the bytecode)"
                    : "BUNDLE_REJECTED, rule `" + p.rule().id() + "` (`" + p.reference() + "`)";
            md.append("| ").append(++i).append(" | `").append(p.home().getSimpleName()).append("` | `").append(p.name()).append("` | ")
                    .append(p.what().replace("|", "\\|")).append(" | ").append(verifier).append(" | ").append(p.runtime().describe()).append(" |\n");
        }
        return md.toString();
    }

    private static Stopped stopped(String by, String messagePart, ErrorCode... codes) {
        return new Stopped(Set.of(codes), messagePart, by, false);
    }

    private static Stopped noNetwork() {
        return new Stopped(Set.of(ErrorCode.FRAGMENT_FAILED), "Network is unreachable", "the worker's network namespace has no interface up", false);
    }

    private static Stopped stoppedByPrlimit(String by) {
        return new Stopped(Set.of(ErrorCode.FRAGMENT_FAILED), "File too large", by, true);
    }

    private static Completes completes(boolean gap, String note, Predicate<Object> check) {
        return new Completes(gap, note, check);
    }

    private static boolean onlyWorkerEnvironment(Object result) {
        return result instanceof List<?> names && Set.of("PATH", "TMPDIR", "LANG").containsAll(names);
    }

    private static final String XML_EXIT = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<java><object class=\"java.lang.System\" method=\"exit\"><int>3</int></object></java>\n";

    /**
     * Nested HashSets whose deserialization takes 2^depth hash computations: small on the wire, endless to read.
     * Built bottom-up so that building and writing it here stays linear.
     */
    static byte[] hashBomb() {
        Set<Object> root = new HashSet<>();
        Set<Object> s1 = root;
        Set<Object> s2 = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            Set<Object> t1 = new HashSet<>();
            Set<Object> t2 = new HashSet<>();
            t1.add("foo");
            s1.add(t1);
            s1.add(t2);
            s2.add(t1);
            s2.add(t2);
            s1 = t1;
            s2 = t2;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] classFile(Class<?> type) {
        try (InputStream in = type.getClassLoader().getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
            return Objects.requireNonNull(in, type.getName()).readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
