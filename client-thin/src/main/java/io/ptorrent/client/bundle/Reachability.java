package io.ptorrent.client.bundle;

import io.ptorrent.client.bundle.ClassModel.MethodModel;
import io.ptorrent.client.bundle.ClassModel.Ref;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which code of a bundle can run in a sandbox worker: the part the verifier checks.
 *
 * <p>Design note. Code runs only when a method is invoked or a class is initialized. From outside the
 * bundle that happens in few ways, and each is a root here, decided from the bundle alone (no closure
 * bytes), so that the client, the harbor and the contributor reach the same verdict:
 * <ul>
 *   <li><b>deserialization</b>: the worker's stream may name any bundle class (its filter admits them all),
 *       so every bundle class that is {@code Serializable} (through any super type; an enum or a record
 *       too) is <i>live</i> — an instance may exist — and <i>initialized</i> (looking up its stream class
 *       reads its {@code serialVersionUID}, which runs its static initializer, interfaces included);</li>
 *   <li><b>serialized lambdas</b>: {@code SerializedLambda.readResolve} calls {@code $deserializeLambda$} of
 *       whichever class the stream names as capturing class, so every such method is a root; it holds an
 *       {@code invokedynamic} for every serializable lambda of its class, so all of them are reachable
 *       (a forged stream can pick any one), and their implementation methods with them;</li>
 *   <li><b>jobs</b>: {@code bin/ptorrent submit --jar}'s {@code JarJob} instantiates a class named in the
 *       stream by reflection, if it is a {@code Callable} or a {@code Function}: those classes are live;</li>
 *   <li><b>enum constants</b>: the JDK calls an enum's static {@code values()} by reflection.</li>
 * </ul>
 * Inside, the walk follows what can start code: a method's class is initialized (its {@code <clinit>}
 * runs) when a static member is used, a class literal is named, or an instance is made; an initialized
 * class initializes every bundle super type (classes, and interfaces, which hold default methods). A
 * {@code new} (or a constructor's method handle) makes the class live, and a live class has <i>every</i>
 * instance method of its own and of its bundle super types reachable, because the JDK calls them on
 * objects it is handed ({@code toString} by string concatenation, {@code hashCode} and {@code compareTo}
 * by collections, {@code readObject}/{@code readResolve} by deserialization, {@code finalize}, a functional
 * interface's method by a stream). Calls are followed as the JVM resolves them, conservatively: a static
 * or special call to every declaration of that name and descriptor in the owner's bundle super types; a
 * virtual or interface call, in addition, to every declaration in every bundle subtype of the owner and
 * in their super types (class hierarchy analysis: any override a call may dispatch to, default methods
 * included). Lambdas and method references are followed through their method handles, wherever they
 * appear ({@code invokedynamic} arguments, {@code ldc}).
 *
 * <p>What stays out is code that no path reaches: a {@code main} method and what only it calls, the
 * non-serializable lambdas it makes, a class it alone uses. Such a class may still be <i>loaded</i> in the
 * worker (a reachable method's descriptor or a {@code checkcast} names it), but loading runs no code; it
 * cannot be initialized or instantiated by the stream, because a class that can is a root.
 *
 * <p>Cost: one pass over the models, each reachable method and each class visited once; the dispatch of a
 * virtual call is computed once per owner, name and descriptor. Not thread-safe; one instance per verification.
 */
final class Reachability {
    private static final String SERIALIZABLE = "java/io/Serializable";
    private static final String CALLABLE = "java/util/concurrent/Callable";
    private static final String FUNCTION = "java/util/function/Function";
    private static final String ENUM = "java/lang/Enum";
    private static final String DESERIALIZE_LAMBDA = "$deserializeLambda$";
    private static final String CLINIT = "<clinit>()V";
    private static final int PATH_STEPS = 6;

    /** Every bundle class by internal name, with its walk state. */
    private final Map<String, Node> nodes;
    private final Map<String, Boolean> outsideAssignable = new HashMap<>();
    private final Map<String, List<MethodModel>> dispatchCache = new HashMap<>();
    /** Reached methods → why. */
    private final Map<MethodModel, Why> reached = new IdentityHashMap<>();
    private final ArrayDeque<MethodModel> pending = new ArrayDeque<>();

    /** Why something is reachable: the method that reached it, or for a root (no method) the root's reason. */
    private record Why(MethodModel fromMethod, String rootReason) {
        static Why root(String reason) {
            return new Why(null, reason);
        }
    }

    /** One bundle class and what the walk knows of it: one map lookup per reference, the rest is pointers. */
    private static final class Node {
        final ClassModel model;
        /** Bundle super class and interfaces. */
        final List<Node> parents = new ArrayList<>(2);
        /** Super types outside the bundle (JDK, client API, or unknown). */
        final List<String> outsideParents = new ArrayList<>(2);
        final List<Node> subtypes = new ArrayList<>(1);
        /** This type and every bundle type above it, this one first; computed once. */
        List<Node> supertypes;
        Why initialized;
        Why live;

        Node(ClassModel model) {
            this.model = model;
        }
    }

    private Reachability(Map<String, ClassModel> bundle) {
        nodes = new HashMap<>(bundle.size() * 2);
        for (ClassModel c : bundle.values()) {
            nodes.put(c.name(), new Node(c));
        }
        for (Node n : nodes.values()) {
            for (String parent : n.model.parents()) {
                Node p = nodes.get(parent);
                if (p == null) {
                    n.outsideParents.add(parent);
                } else {
                    n.parents.add(p);
                    p.subtypes.add(n);
                }
            }
        }
    }

    /** Walks the bundle (models by internal name) from its roots. */
    static Reachability of(Map<String, ClassModel> bundle) {
        Reachability r = new Reachability(bundle);
        r.walk();
        return r;
    }

    /** Whether any member of this class is checked: it is initialized or live (a class with a reached method is initialized). */
    boolean involves(String className) {
        Node n = nodes.get(className);
        return n != null && (n.initialized != null || n.live != null);
    }

    boolean isLive(String className) {
        Node n = nodes.get(className);
        return n != null && n.live != null;
    }

    /** Whether this method (internal class name, name + descriptor) can run. */
    boolean reaches(String className, String nameAndDescriptor) {
        MethodModel m = method(className, nameAndDescriptor);
        return m != null && reached.containsKey(m);
    }

    /**
     * How a method comes to run, for a violation's message: {@code "deserializable class a.Work → a.Work.call() → a.Helper.read(String)"}.
     * At most a few steps; the middle of a longer path is elided.
     */
    String explainMethod(String className, String nameAndDescriptor) {
        MethodModel m = method(className, nameAndDescriptor);
        return m == null ? "" : explain(m);
    }

    /** How a class comes to be involved (for violations of its header or fields). */
    String explainClass(String className) {
        Node n = nodes.get(className);
        Why why = n == null ? null : n.live != null ? n.live : n.initialized;
        if (why == null) {
            return "";
        }
        return why.fromMethod() == null ? why.rootReason() : explain(why.fromMethod());
    }

    private MethodModel method(String className, String nameAndDescriptor) {
        Node n = nodes.get(className);
        return n == null ? null : n.model.methods().get(nameAndDescriptor);
    }

    private String explain(MethodModel member) {
        // From the member back to its root; a path can be as long as the bundle has methods, so it is walked once.
        List<MethodModel> back = new ArrayList<>();
        String root = null;
        Set<MethodModel> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (MethodModel at = member; at != null && seen.add(at); ) {
            back.add(at);
            Why why = reached.get(at);
            if (why == null) {
                break;
            }
            if (why.fromMethod() == null) {
                root = why.rootReason();
            }
            at = why.fromMethod();
        }
        List<String> steps = new ArrayList<>();
        int n = back.size();
        for (int i = n - 1; i >= 0; i--) {
            if (n > PATH_STEPS && i == n - 3) {
                steps.add("…");
                i = PATH_STEPS - 3; // the last few steps, up to the member
            }
            steps.add(display(back.get(i)));
        }
        return (root == null ? "" : root + " → ") + String.join(" → ", steps);
    }

    private static String display(MethodModel m) {
        return dotted(m.owner()) + "." + m.name() + "(" + BundleVerifier.parameters(m.descriptor()) + ")";
    }

    private void walk() {
        // Name order, so that the same bundle always gets the same explanations.
        for (Node n : new TreeMap<>(nodes).values()) {
            String name = n.model.name();
            boolean concrete = !n.model.isInterface();
            if (isA(n, SERIALIZABLE)) {
                Why why = Why.root("deserializable " + (concrete ? "class " : "interface ") + dotted(name));
                initialize(n, why);
                if (concrete) {
                    makeLive(n, why);
                }
            }
            if (concrete && (isA(n, CALLABLE) || isA(n, FUNCTION))) {
                makeLive(n, Why.root("job class " + dotted(name) + " (a Callable or Function that the worker may instantiate)"));
            }
            boolean isEnum = concrete && isA(n, ENUM);
            for (MethodModel m : n.model.methods().values()) {
                if (m.name().equals(DESERIALIZE_LAMBDA)) {
                    reach(m, Why.root("the serialized lambdas of " + dotted(name)));
                } else if (isEnum && m.isStatic() && m.name().equals("values") && m.descriptor().startsWith("()")) {
                    reach(m, Why.root("enum " + dotted(name) + " (the JDK calls values())"));
                }
            }
        }
        while (!pending.isEmpty()) {
            MethodModel m = pending.poll();
            Why why = new Why(m, null);
            // A method runs only in an initialized class: a static one initializes it, an instance one needs an instance.
            initialize(nodes.get(m.owner()), why);
            for (Ref ref : m.refs()) {
                follow(ref, why);
            }
        }
    }

    private void follow(Ref ref, Why why) {
        Node owner = nodes.get(ref.owner());
        if (owner == null) {
            // Outside the bundle: its code is the policy's to judge; calls back into the bundle land on live objects.
            return;
        }
        switch (ref.kind()) {
            case INITIALIZES -> initialize(owner, why);
            case INSTANTIATES -> makeLive(owner, why);
            case STATIC_CALL -> {
                initialize(owner, why);
                reachUpward(owner, ref.member(), why);
            }
            case SPECIAL_CALL -> {
                if (ref.isConstructor()) {
                    reach(owner.model.methods().get(ref.member()), why);
                } else {
                    reachUpward(owner, ref.member(), why);
                }
            }
            case VIRTUAL_CALL -> {
                for (MethodModel m : dispatch(owner, ref.member())) {
                    reach(m, why);
                }
            }
        }
    }

    private void reach(MethodModel m, Why why) {
        if (m != null && reached.putIfAbsent(m, why) == null) {
            pending.add(m);
        }
    }

    /** The class's static initializer may run, and with it those of every bundle type above it. */
    private void initialize(Node n, Why why) {
        if (n.initialized != null) {
            return;
        }
        n.initialized = why;
        reach(n.model.methods().get(CLINIT), why);
        for (Node parent : n.parents) {
            initialize(parent, why);
        }
    }

    /** An instance of the type may exist: every instance method of it and of its bundle super types may run. */
    private void makeLive(Node n, Why why) {
        if (n.live != null) {
            return;
        }
        n.live = why;
        initialize(n, why);
        for (Node type : supertypes(n)) {
            for (MethodModel m : type.model.methods().values()) {
                if (!m.isStatic()) {
                    reach(m, why);
                }
            }
        }
    }

    /** A static or special call: every declaration of the method in the owner and the bundle types above it. */
    private void reachUpward(Node owner, String nameAndDescriptor, Why why) {
        for (Node type : supertypes(owner)) {
            reach(type.model.methods().get(nameAndDescriptor), why);
        }
    }

    /** Every method a virtual call on {@code owner} may land in: the declarations above the owner and above each of its bundle subtypes. */
    private List<MethodModel> dispatch(Node owner, String nameAndDescriptor) {
        String key = owner.model.name() + " " + nameAndDescriptor;
        List<MethodModel> cached = dispatchCache.get(key);
        if (cached != null) {
            return cached;
        }
        Set<MethodModel> targets = new LinkedHashSet<>();
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Node> below = new ArrayDeque<>();
        below.add(owner);
        while (!below.isEmpty()) {
            Node sub = below.poll();
            if (seen.add(sub)) {
                for (Node type : supertypes(sub)) {
                    MethodModel m = type.model.methods().get(nameAndDescriptor);
                    if (m != null) {
                        targets.add(m);
                    }
                }
                below.addAll(sub.subtypes);
            }
        }
        List<MethodModel> result = List.copyOf(targets);
        dispatchCache.put(key, result);
        return result;
    }

    /** The type and every bundle class or interface above it, the type first. */
    private static List<Node> supertypes(Node n) {
        if (n.supertypes == null) {
            Set<Node> all = new LinkedHashSet<>();
            ArrayDeque<Node> todo = new ArrayDeque<>();
            todo.add(n);
            while (!todo.isEmpty()) {
                Node type = todo.poll();
                if (all.add(type)) {
                    todo.addAll(type.parents);
                }
            }
            n.supertypes = List.copyOf(all);
        }
        return n.supertypes;
    }

    /**
     * Whether a bundle type is a subtype of a JDK type: through its bundle super types to the first types
     * outside the bundle, which are asked of the JDK. A type outside that cannot be looked up counts as a
     * subtype of everything (the policy refuses it anyway, once the class is checked).
     */
    private boolean isA(Node n, String jdkType) {
        for (Node type : supertypes(n)) {
            for (String outside : type.outsideParents) {
                if (outsideIsA(outside, jdkType)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean outsideIsA(String outside, String jdkType) {
        if (outside.equals(jdkType)) {
            return true;
        }
        return outsideAssignable.computeIfAbsent(outside + " " + jdkType, k -> {
            Class<?> type = lookUp(outside);
            if (type == null) {
                return true;
            }
            Class<?> target = lookUp(jdkType);
            return target == null || target.isAssignableFrom(type);
        });
    }

    /**
     * A class outside the bundle, without initializing it: the JDK's through the platform loader, ptorrent's
     * client API through this class's own loader; anything else (or what does not exist) is null.
     */
    private static Class<?> lookUp(String internalName) {
        String binary = internalName.replace('/', '.');
        try {
            if (internalName.startsWith("java/") || internalName.startsWith("javax/")) {
                return Class.forName(binary, false, ClassLoader.getPlatformClassLoader());
            }
            if (internalName.startsWith("io/ptorrent/client/")) {
                return Class.forName(binary, false, Reachability.class.getClassLoader());
            }
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
        return null;
    }

    private static String dotted(String internalName) {
        return internalName.replace('/', '.');
    }
}
