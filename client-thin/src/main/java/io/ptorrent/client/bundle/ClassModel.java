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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the verifier's first pass reads from one class file: its parents, its fields, and for each method
 * the references through which running it can make other code run (calls, static field accesses, {@code new},
 * class literals, method handles, lambdas). The reachability walk ({@link Reachability}) runs on these models;
 * the policy check reads the class file again, for the reachable members only.
 *
 * @param name       internal name
 * @param access     the class's access flags
 * @param superName  internal name of the super class (null only for {@code java/lang/Object})
 * @param interfaces internal names of the direct super interfaces
 * @param methods    by name + descriptor, in declaration order
 * @param fields     field names
 */
record ClassModel(String name, int access, String superName, List<String> interfaces, Map<String, MethodModel> methods, Set<String> fields) {

    boolean isInterface() {
        return (access & Opcodes.ACC_INTERFACE) != 0;
    }

    /** The supers that a class's initialization or method resolution may reach: super class first, then interfaces. */
    List<String> parents() {
        List<String> parents = new ArrayList<>(interfaces.size() + 1);
        if (superName != null) {
            parents.add(superName);
        }
        parents.addAll(interfaces);
        return parents;
    }

    /**
     * One method. Compared by identity (the walk keeps sets of them), not by its components.
     *
     * @param owner        internal name of its class
     * @param key          name + descriptor, e.g. {@code call()Ljava/lang/Object;}
     * @param name         method name
     * @param descriptor   method descriptor
     * @param access       access flags
     * @param refs         what running it may start inside a bundle, in instruction order (empty for abstract and native methods)
     * @param instructions how many instructions its code has (counting stops just past the verifier's limit)
     */
    record MethodModel(String owner, String key, String name, String descriptor, int access, List<Ref> refs, int instructions) {
        boolean isStatic() {
            return (access & Opcodes.ACC_STATIC) != 0;
        }

        @Override
        public boolean equals(Object other) {
            return this == other;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    /** How a reference may start code. */
    enum RefKind {
        /** invokestatic, or a method handle of that kind. */
        STATIC_CALL,
        /** invokespecial: a constructor, a private method or a super call; resolved from the named owner up. */
        SPECIAL_CALL,
        /** invokevirtual or invokeinterface: may dispatch to any override below the named owner. */
        VIRTUAL_CALL,
        /** getstatic/putstatic, or a class literal: may initialize the owner. */
        INITIALIZES,
        /**
         * new, a constructor's method handle, or a lambda of a bundle interface: makes an instance, so every
         * instance method of the class and of its bundle super types may run.
         */
        INSTANTIATES
    }

    /** One reference of a method's code: {@code member} (name + descriptor) is null for INITIALIZES and INSTANTIATES. */
    record Ref(RefKind kind, String owner, String member) {
        boolean isConstructor() {
            return member != null && member.startsWith("<init>(");
        }
    }

    /**
     * Reads a class file.
     *
     * @param maxInstructions past this many instructions in one method, its references are no longer collected
     *                        (the verifier refuses the method for its size anyway)
     * @throws PtorrentException {@link ErrorCode#BUNDLE_INVALID} if the bytes are not a readable class file of that name
     */
    static ClassModel read(String binaryName, byte[] bytes, int maxInstructions) {
        try {
            ClassReader reader = new ClassReader(bytes);
            String internal = reader.getClassName();
            if (!internal.equals(binaryName.replace('.', '/'))) {
                throw new PtorrentException(ErrorCode.BUNDLE_INVALID, "the bundle's class " + binaryName + " holds the class file of "
                        + internal.replace('/', '.'));
            }
            Map<String, MethodModel> methods = new LinkedHashMap<>();
            Set<String> fields = new HashSet<>();
            reader.accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                    return new RefCollector(maxInstructions) {
                        @Override
                        public void visitEnd() {
                            String key = name + descriptor;
                            methods.putIfAbsent(key, new MethodModel(internal, key, name, descriptor, access, List.copyOf(refs), instructions));
                        }
                    };
                }

                @Override
                public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
                    fields.add(name);
                    return null;
                }
            }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            return new ClassModel(internal, reader.getAccess(), reader.getSuperName(), List.of(reader.getInterfaces()), methods, fields);
        } catch (RuntimeException e) {
            if (e instanceof PtorrentException p) {
                throw p;
            }
            // ASM reports a malformed class file with whatever runtime exception its reader hit.
            throw new PtorrentException(ErrorCode.BUNDLE_INVALID, "the bundle's class " + binaryName + " is not a readable class file: " + e, e);
        }
    }

    /** Collects one method's references; counts its instructions. */
    private static class RefCollector extends MethodVisitor {
        final List<Ref> refs = new ArrayList<>();
        final int maxInstructions;
        int instructions;

        RefCollector(int maxInstructions) {
            super(Opcodes.ASM9);
            this.maxInstructions = maxInstructions;
        }

        /** False once the method is too large: the rest is not collected. */
        private boolean count() {
            return ++instructions <= maxInstructions;
        }

        private void add(RefKind kind, String owner, String name, String descriptor) {
            // Only what may be a bundle class is kept: a bundle class in a reserved package is refused by its
            // name anyway, so the JDK's and ptorrent's owners (most references) never matter to the walk.
            if (BundleBuilder.mayBeBundled(owner)) {
                refs.add(new Ref(kind, owner, name == null ? null : name + descriptor));
            }
        }

        @Override
        public void visitInsn(int opcode) {
            count();
        }

        @Override
        public void visitIntInsn(int opcode, int operand) {
            count();
        }

        @Override
        public void visitVarInsn(int opcode, int varIndex) {
            count();
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            count();
        }

        @Override
        public void visitIincInsn(int varIndex, int increment) {
            count();
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
            count();
        }

        @Override
        public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
            count();
        }

        @Override
        public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
            count();
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            // checkcast, instanceof and anewarray name a class but neither initialize nor instantiate it.
            if (count() && opcode == Opcodes.NEW) {
                add(RefKind.INSTANTIATES, type, null, null);
            }
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
            // Reading or writing an instance field runs no code; a static one initializes its class.
            if (count() && (opcode == Opcodes.GETSTATIC || opcode == Opcodes.PUTSTATIC)) {
                add(RefKind.INITIALIZES, owner, null, null);
            }
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            if (count()) {
                add(switch (opcode) {
                    case Opcodes.INVOKESTATIC -> RefKind.STATIC_CALL;
                    case Opcodes.INVOKESPECIAL -> RefKind.SPECIAL_CALL;
                    default -> RefKind.VIRTUAL_CALL;
                }, owner, name, descriptor);
            }
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... arguments) {
            if (count()) {
                // The bootstrap itself is the JDK's (the policy allows only javac's); its arguments are what a
                // lambda or method reference calls.
                constant(bootstrap);
                // A lambda is an instance of its functional interface (the call site's return type) and of any
                // marker interface (a class argument of altMetafactory): the JDK may call their default methods.
                Type made = Type.getReturnType(descriptor);
                if (made.getSort() == Type.OBJECT) {
                    add(RefKind.INSTANTIATES, made.getInternalName(), null, null);
                }
                for (Object argument : arguments) {
                    if (argument instanceof Type type && type.getSort() == Type.OBJECT) {
                        add(RefKind.INSTANTIATES, type.getInternalName(), null, null);
                    } else {
                        constant(argument);
                    }
                }
            }
        }

        @Override
        public void visitLdcInsn(Object value) {
            if (count()) {
                constant(value);
            }
        }

        private void constant(Object value) {
            if (value instanceof Type type && type.getSort() == Type.OBJECT) {
                // A class literal initializes nothing by itself, but the JDK may (EnumSet.allOf): count it.
                add(RefKind.INITIALIZES, type.getInternalName(), null, null);
            } else if (value instanceof Handle handle) {
                String owner = handle.getOwner();
                switch (handle.getTag()) {
                    case Opcodes.H_INVOKESTATIC -> add(RefKind.STATIC_CALL, owner, handle.getName(), handle.getDesc());
                    case Opcodes.H_INVOKESPECIAL -> add(RefKind.SPECIAL_CALL, owner, handle.getName(), handle.getDesc());
                    case Opcodes.H_INVOKEVIRTUAL, Opcodes.H_INVOKEINTERFACE -> add(RefKind.VIRTUAL_CALL, owner, handle.getName(), handle.getDesc());
                    case Opcodes.H_NEWINVOKESPECIAL -> {
                        add(RefKind.INSTANTIATES, owner, null, null);
                        add(RefKind.SPECIAL_CALL, owner, handle.getName(), handle.getDesc());
                    }
                    case Opcodes.H_GETSTATIC, Opcodes.H_PUTSTATIC -> add(RefKind.INITIALIZES, owner, null, null);
                    default -> {
                        // H_GETFIELD, H_PUTFIELD (records' ObjectMethods): field access, no code.
                    }
                }
            } else if (value instanceof ConstantDynamic condy) {
                // The policy refuses every dynamic constant; follow it anyway so the walk never misses code.
                constant(condy.getBootstrapMethod());
                for (int i = 0; i < condy.getBootstrapMethodArgumentCount(); i++) {
                    constant(condy.getBootstrapMethodArgument(i));
                }
            }
        }
    }
}
