package io.ptorrent.client.bundle;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Checks a bundle's bytecode against an allow-list of what user code may reference: the one set of rules
 * that the client applies before sending (an early, clear error), the harbor when a bundle arrives, and
 * the contributor before the sandbox runs it.
 *
 * <p>Design note. Two passes. The first reads every class with ASM into a model of what its methods can
 * start (calls, static field accesses, {@code new}, class literals, method handles) and {@link Reachability}
 * walks those models from the roots that the worker and Java deserialization can enter (deserializable
 * classes, serialized lambdas, job classes, enum constants): decided from the bundle alone, so the client,
 * the harbor and the contributor reach the same verdict without the closure's bytes. The second pass checks
 * the code that can run, as strictly as ever, and nothing else: the header (super class, interfaces) of
 * every class whose code can run, the instance fields of a class an instance of which may exist, and of
 * each reachable method its descriptor, declared exceptions and every instruction's reference: field and
 * method owners, names and descriptors, type instructions, catch types, {@code ldc} of classes, method
 * types and method handles, and {@code invokedynamic} (its bootstrap must be one that javac emits for
 * lambdas, string concatenation or records, and its arguments are checked like any other reference). A
 * {@code main} method that starts threads, or reads its input file, does not make a bundle fail when no
 * closure can reach it. References to the bundle's own classes are allowed, except for members that a
 * bundle class inherits from the JDK, which are checked as members of the JDK class they come from.
 * Everything else must pass {@link ReferencePolicy}: named deny rules first, then the allow-list, then
 * default deny. Annotations, generic signatures and debug attributes are ignored: they name classes but
 * run nothing. A violation names the class, the member, the rule and how that member comes to run.
 *
 * <p>This is a static check, the first layer of several (see docs/SECURITY.md): it does not follow data
 * (a string passed to an allowed method is not looked at) and it trusts that an allowed JDK member does
 * what its name says. The work is capped ({@link #MAX_CLASSES}, {@link #MAX_METHODS},
 * {@link #MAX_INSTRUCTIONS_PER_METHOD}, on every method whether it can run or not) so a pathological
 * bundle cannot make it slow; each class file is read twice at most, and the walk visits each method once.
 *
 * <p>Stateless and thread-safe.
 */
public final class BundleVerifier {
    /** More classes than this in one bundle are refused without reading them. */
    public static final int MAX_CLASSES = 2_000;
    /** More methods than this in all classes together are refused. */
    public static final int MAX_METHODS = 20_000;
    /**
     * Instructions in one method. javac stops at 64 KiB of code per method; a closure that needs more than a
     * quarter of that in one method is generated code, not a closure.
     */
    public static final int MAX_INSTRUCTIONS_PER_METHOD = 16_384;
    /** The walk stops collecting after this many violations: the first ones say enough. */
    private static final int MAX_VIOLATIONS = 50;

    /** The bootstraps that javac emits for lambdas, string concatenation and records; no other is allowed. */
    private static final Set<String> BOOTSTRAPS = Set.of(
            "java/lang/invoke/LambdaMetafactory.metafactory", "java/lang/invoke/LambdaMetafactory.altMetafactory",
            "java/lang/invoke/StringConcatFactory.makeConcatWithConstants", "java/lang/invoke/StringConcatFactory.makeConcat",
            "java/lang/runtime/ObjectMethods.bootstrap");

    /** Why a reference is refused. Each rule has a stable id that messages and docs/SECURITY.md use. */
    public enum Rule {
        FILES("files", "user code may not touch the file system"),
        NETWORK("network", "user code may not open connections, listen or resolve hosts"),
        PROCESSES("processes", "user code may not start, list or signal processes"),
        REFLECTION("reflection", "user code may not use reflection, method handles or custom bootstraps"),
        JDK_INTERNALS("jdk-internals", "user code may not touch JDK internals (Unsafe, jdk.*, sun.*, com.sun.*)"),
        THREADS("threads", "user code may not start threads or use thread pools, parallel streams included; the grid parallelises by fragments"),
        CLASS_LOADING("class-loading", "user code may not define, find or load classes"),
        NATIVE("native-code", "user code may not load native libraries"),
        JVM("jvm-control", "user code may not stop or steer the JVM (exit, halt, shutdown hooks, GC)"),
        ENVIRONMENT("environment", "user code may not read or change environment variables or system properties"),
        STDIO("stdio", "user code may print to System.out and System.err but not read or replace the process's streams"),
        DESERIALIZATION("deserialization", "user code may not deserialize bytes itself"),
        GRID_INTERNALS("grid-internals", "user code may not touch Ignite or ptorrent internals, only the client API types"),
        PLATFORM("platform-services", "user code may not use security, references, management, logging, preferences, archives, SQL, RMI or desktop APIs"),
        NOT_ALLOWED("not-allowed", "the class is neither in the bundle nor on the allow-list (values, math, strings, collections, streams, functions, java.time, java.text)"),
        RESERVED_NAME("reserved-name", "a bundle may not define classes in the JDK's, Ignite's or ptorrent's packages"),
        LIMITS("limits", "the bundle is larger or more complex than the grid verifies");

        private final String id;
        private final String why;

        Rule(String id, String why) {
            this.id = id;
            this.why = why;
        }

        /** The stable id, e.g. {@code files}. */
        public String id() {
            return id;
        }

        /** One sentence for the user. */
        public String why() {
            return why;
        }
    }

    /**
     * One refused reference.
     *
     * @param className   binary name of the bundle class that makes it
     * @param member      the method or field of that class where it is made, e.g. {@code call()}; "class" for its header
     * @param reference   what it references, e.g. {@code java.nio.file.Files.readString(Path)}
     * @param rule        the rule that refuses it
     * @param reachedFrom how that code comes to run in the worker, from a root to the member, e.g.
     *                    {@code "deserializable class a.Work → a.Work.call() → a.Helper.read(String)"}; empty
     *                    for what is refused whether it runs or not (names, limits)
     */
    public record Violation(String className, String member, String reference, Rule rule, String reachedFrom) {
        public Violation {
            Objects.requireNonNull(className, "className");
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(reference, "reference");
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(reachedFrom, "reachedFrom");
        }

        /**
         * {@code a.B.call() references java.io.File(String): rule 'files' — user code may not touch the file
         * system (it runs as: deserializable class a.B → a.B.call())}.
         */
        public String describe() {
            return className + "." + member + " references " + reference + ": rule '" + rule.id() + "' — " + rule.why()
                    + (reachedFrom.isEmpty() ? "" : " (it runs as: " + reachedFrom + ")");
        }
    }

    private BundleVerifier() {
    }

    /**
     * Checks a bundle and returns it.
     *
     * @throws PtorrentException {@link ErrorCode#BUNDLE_REJECTED} naming the class, the member and the rule
     *                           of the first violation; {@link ErrorCode#BUNDLE_INVALID} if a class file cannot
     *                           be read or is not the class its name says
     */
    public static Bundle verify(Bundle bundle) {
        List<Violation> found = violations(bundle.classes());
        if (!found.isEmpty()) {
            String more = found.size() == 1 ? "" : " (and " + (found.size() - 1) + " more: "
                    + found.stream().skip(1).limit(3).map(v -> v.className() + "." + v.member() + " → " + v.reference())
                    .collect(Collectors.joining(", ")) + (found.size() > 4 ? ", …" : "") + ")";
            throw new PtorrentException(ErrorCode.BUNDLE_REJECTED, found.get(0).describe() + more);
        }
        return bundle;
    }

    /**
     * Every violation in the code of these classes that can run (at most the first 50), in class-name order;
     * empty if the bundle passes. What can run is decided from the classes alone ({@link Reachability}).
     *
     * @param classes class files by binary name
     * @throws PtorrentException {@link ErrorCode#BUNDLE_REJECTED} past a size limit,
     *                           {@link ErrorCode#BUNDLE_INVALID} if a class file cannot be read
     */
    public static List<Violation> violations(Map<String, byte[]> classes) {
        if (classes.size() > MAX_CLASSES) {
            throw limit("the bundle has " + classes.size() + " classes; at most " + MAX_CLASSES + " are verified");
        }
        Map<String, ClassModel> models = new HashMap<>();
        List<Violation> found = new ArrayList<>();
        int methods = 0;
        SortedMap<String, byte[]> sorted = new TreeMap<>(classes);
        for (Map.Entry<String, byte[]> e : sorted.entrySet()) {
            ClassModel model = ClassModel.read(e.getKey(), e.getValue(), MAX_INSTRUCTIONS_PER_METHOD);
            methods += model.methods().size();
            if (methods > MAX_METHODS) {
                throw limit("the bundle has more than " + MAX_METHODS + " methods (reached at " + e.getKey() + ")");
            }
            models.put(model.name(), model);
            if (!BundleBuilder.isBundled(e.getKey())) {
                found.add(new Violation(e.getKey(), "class", "its own name", Rule.RESERVED_NAME, ""));
            }
            // A limit on the work of verifying, so it holds for every method, reachable or not.
            for (ClassModel.MethodModel m : model.methods().values()) {
                if (m.instructions() > MAX_INSTRUCTIONS_PER_METHOD) {
                    found.add(new Violation(e.getKey(), member(m.name(), m.descriptor()), "more than " + MAX_INSTRUCTIONS_PER_METHOD + " instructions",
                            Rule.LIMITS, ""));
                }
            }
        }
        Reachability reach = Reachability.of(models);
        // The same few JDK types are named again and again; the policy's prefix tests are the check's main cost.
        Map<String, Rule> typeRules = new HashMap<>();
        for (Map.Entry<String, byte[]> e : sorted.entrySet()) {
            if (found.size() >= MAX_VIOLATIONS) {
                break;
            }
            String internal = e.getKey().replace('.', '/');
            if (reach.involves(internal)) {
                new ClassReader(e.getValue()).accept(new Checker(e.getKey(), internal, models, reach, typeRules, found),
                        ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            }
        }
        return found.size() > MAX_VIOLATIONS ? List.copyOf(found.subList(0, MAX_VIOLATIONS)) : List.copyOf(found);
    }

    private static PtorrentException limit(String what) {
        return new PtorrentException(ErrorCode.BUNDLE_REJECTED, what + ": rule '" + Rule.LIMITS.id() + "' — " + Rule.LIMITS.why());
    }

    private static String member(String name, String descriptor) {
        return name + "(" + parameters(descriptor) + ")";
    }

    /**
     * The second pass over one class whose code can run: checks the references of its header, of its fields if
     * an instance may exist, and of its reachable methods, and records violations.
     */
    private static final class Checker extends ClassVisitor {
        private final String className;
        private final String internalName;
        private final Map<String, ClassModel> bundle;
        private final Reachability reach;
        /** {@link ReferencePolicy#typeRule} by type, for this verification (null values: allowed). */
        private final Map<String, Rule> typeRules;
        private final List<Violation> found;
        private final boolean live;
        /** The method being checked (name + descriptor), or null for the header and fields. */
        private String checking;

        Checker(String className, String internalName, Map<String, ClassModel> bundle, Reachability reach, Map<String, Rule> typeRules,
                List<Violation> found) {
            super(Opcodes.ASM9);
            this.typeRules = typeRules;
            this.className = className;
            this.internalName = internalName;
            this.bundle = bundle;
            this.reach = reach;
            this.found = found;
            this.live = reach.isLive(internalName);
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            if (superName != null) {
                checkClass("class", superName);
            }
            for (String i : interfaces) {
                checkClass("class", i);
            }
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            // Only an instance's fields are the closure's state; a static field's type runs nothing, and every
            // reachable instruction that reads or writes a field is checked with its type.
            if (live && (access & Opcodes.ACC_STATIC) == 0) {
                checking = null;
                checkType(name, Type.getType(descriptor));
            }
            return null;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            if (!reach.reaches(internalName, name + descriptor)) {
                return null; // code that nothing can start is not checked (see Reachability)
            }
            checking = name + descriptor;
            String member = member(name, descriptor);
            checkMethodDescriptor(member, descriptor);
            if (exceptions != null) {
                for (String ex : exceptions) {
                    checkClass(member, ex);
                }
            }
            return new CodeChecker(member);
        }

        /** Checks the instructions of one method. */
        private final class CodeChecker extends MethodVisitor {
            private final String member;

            CodeChecker(String member) {
                super(Opcodes.ASM9);
                this.member = member;
            }

            @Override
            public void visitTypeInsn(int opcode, String type) {
                // ANEWARRAY of arrays and CHECKCAST to an array type carry a descriptor, not a class name.
                checkType(member, type.startsWith("[") ? Type.getType(type) : Type.getObjectType(type));
            }

            @Override
            public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
                checkType(member, Type.getType(descriptor));
            }

            @Override
            public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
                if (type != null) {
                    checkClass(member, type);
                }
            }

            @Override
            public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
                checkMember(member, owner, name, descriptor, false);
            }

            @Override
            public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
                checkMember(member, owner, name, descriptor, true);
            }

            @Override
            public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... arguments) {
                if (!BOOTSTRAPS.contains(bootstrap.getOwner() + "." + bootstrap.getName())) {
                    record(member, "invokedynamic with bootstrap " + bootstrap.getOwner().replace('/', '.') + "." + bootstrap.getName(),
                            Rule.REFLECTION);
                    return;
                }
                checkMethodDescriptor(member, descriptor);
                for (Object argument : arguments) {
                    checkConstant(member, argument);
                }
            }

            @Override
            public void visitLdcInsn(Object value) {
                checkConstant(member, value);
            }
        }

        private void checkConstant(String member, Object value) {
            if (value instanceof Type type) {
                if (type.getSort() == Type.METHOD) {
                    checkMethodDescriptor(member, type.getDescriptor());
                } else {
                    checkType(member, type);
                }
            } else if (value instanceof Handle handle) {
                checkMember(member, handle.getOwner(), handle.getName(), handle.getDesc(), handle.getTag() >= Opcodes.H_INVOKEVIRTUAL);
            } else if (value instanceof ConstantDynamic condy) {
                // javac never emits a dynamic constant for Java 17 code; its bootstrap could be anything.
                record(member, "dynamic constant " + condy.getName() + " with bootstrap " + condy.getBootstrapMethod().getOwner().replace('/', '.'),
                        Rule.REFLECTION);
            }
        }

        private void checkMethodDescriptor(String member, String descriptor) {
            for (Type t : Type.getArgumentTypes(descriptor)) {
                checkType(member, t);
            }
            checkType(member, Type.getReturnType(descriptor));
        }

        private void checkType(String member, Type type) {
            Type element = type.getSort() == Type.ARRAY ? type.getElementType() : type;
            if (element.getSort() == Type.OBJECT) {
                checkClass(member, element.getInternalName());
            }
        }

        private void checkClass(String member, String internalName) {
            if (internalName.startsWith("[")) {
                checkType(member, Type.getType(internalName));
                return;
            }
            if (bundle.containsKey(internalName)) {
                return;
            }
            Rule rule = typeRule(internalName);
            if (rule != null) {
                record(member, internalName.replace('/', '.'), rule);
            }
        }

        private void checkMember(String member, String owner, String name, String descriptor, boolean method) {
            if (!memberAllowed(member, owner, name, descriptor, method)) {
                return; // one violation per reference: its descriptor's types would only repeat it
            }
            if (method) {
                checkMethodDescriptor(member, descriptor);
            } else {
                checkType(member, Type.getType(descriptor));
            }
        }

        private boolean memberAllowed(String member, String owner, String name, String descriptor, boolean method) {
            if (owner.startsWith("[")) {
                // clone() or length of an array: only the element type matters.
                int before = found.size();
                checkType(member, Type.getType(owner));
                return found.size() == before;
            }
            if (bundle.containsKey(owner)) {
                for (String jdkOwner : inheritedFrom(owner, name, descriptor, method)) {
                    Rule rule = ReferencePolicy.memberRule(jdkOwner, name, descriptor);
                    if (rule != null) {
                        record(member, describeMember(owner, name, descriptor, method) + " (inherited from " + jdkOwner.replace('/', '.') + ")", rule);
                        return false;
                    }
                }
                return true;
            }
            Rule rule = typeRule(owner);
            if (rule == null) {
                rule = ReferencePolicy.memberRule(owner, name, descriptor);
            }
            if (rule != null) {
                record(member, describeMember(owner, name, descriptor, method), rule);
                return false;
            }
            return true;
        }

        private Rule typeRule(String type) {
            Rule rule = typeRules.get(type);
            if (rule == null && !typeRules.containsKey(type)) {
                rule = ReferencePolicy.typeRule(type);
                typeRules.put(type, rule);
            }
            return rule;
        }

        /**
         * The non-bundle types that a member of a bundle class may come from, when no bundle class on the way
         * declares it: the nearest JDK super class and every JDK interface above. Empty when the bundle declares it.
         */
        private List<String> inheritedFrom(String owner, String name, String descriptor, boolean method) {
            List<String> outside = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            List<String> pending = new ArrayList<>(List.of(owner));
            while (!pending.isEmpty()) {
                String type = pending.remove(pending.size() - 1);
                if (type == null || !seen.add(type)) {
                    continue;
                }
                ClassModel h = bundle.get(type);
                if (h == null) {
                    outside.add(type);
                    continue;
                }
                if (method ? h.methods().containsKey(name + descriptor) : h.fields().contains(name)) {
                    return List.of();
                }
                pending.add(h.superName());
                pending.addAll(h.interfaces());
            }
            return outside;
        }

        private void record(String member, String reference, Rule rule) {
            if (found.size() >= MAX_VIOLATIONS + 1) {
                return;
            }
            // Explained only when refused: the path walk is the one cost here that grows with the bundle.
            String reachedFrom = checking == null ? reach.explainClass(internalName) : reach.explainMethod(internalName, checking);
            Violation v = new Violation(className, member, reference, rule, reachedFrom);
            if (!found.contains(v)) {
                found.add(v);
            }
        }
    }

    private static String describeMember(String owner, String name, String descriptor, boolean method) {
        String type = owner.replace('/', '.');
        if (!method) {
            return type + "." + name;
        }
        String params = "(" + parameters(descriptor) + ")";
        return "<init>".equals(name) ? "new " + type + params : type + "." + name + params;
    }

    /** Parameter types by simple name, as a reader writes them: {@code (String, int[])}. */
    static String parameters(String descriptor) {
        List<String> names = new ArrayList<>();
        for (Type t : Type.getArgumentTypes(descriptor)) {
            String n = t.getClassName();
            names.add(n.substring(n.lastIndexOf('.') + 1));
        }
        return String.join(", ", names);
    }
}
