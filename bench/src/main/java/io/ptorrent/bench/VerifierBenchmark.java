package io.ptorrent.bench;

import io.ptorrent.client.bundle.BundleVerifier;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the bytecode verifier costs on a large bundle, which every hop (client, harbor, contributor) verifies.
 *
 * <p>The bundle is generated: {@code classes} classes of {@code methods} static methods each (about 40
 * instructions: arithmetic, a {@code StringBuilder}, {@code Math.max}, and two calls to other classes' methods)
 * plus a {@code Serializable} root whose {@code call()} enters the first class. Three cases, each in the same run:
 * <ul>
 *   <li>baseline: one ASM pass over every class with an empty visitor (code included) — the floor for any
 *       verifier that reads the whole bundle;</li>
 *   <li>verify, all reachable: every generated class is {@code Serializable}, so everything is checked (the
 *       worst case of the reachability walk: the old verifier's work plus the walk);</li>
 *   <li>verify, a tenth reachable: only the first tenth of the classes is called from the root; the rest call
 *       among themselves (a {@code main} program's code beside a small closure).</li>
 * </ul>
 * Usage: {@code VerifierBenchmark [classes] [methods] [runs]}; prints the median and best CPU time of {@code runs}
 * runs after as many warm-up runs, with the serial collector ({@code -XX:+UseSerialGC}) so that GC work is counted
 * on the measuring thread.
 */
public final class VerifierBenchmark {
    private VerifierBenchmark() {
    }

    public static void main(String[] args) {
        int classes = args.length > 0 ? Integer.parseInt(args[0]) : 1_500;
        int methods = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Map<String, byte[]> allReachable = bundle(classes, methods, classes, true);
        Map<String, byte[]> tenthReachable = bundle(classes, methods, Math.max(1, classes / 10), false);
        long bytes = allReachable.values().stream().mapToLong(b -> b.length).sum();

        double[] baseline = time(runs, () -> readAll(allReachable));
        double[] all = time(runs, () -> check(allReachable));
        double[] tenth = time(runs, () -> check(tenthReachable));

        System.out.printf(Locale.ROOT, "bundle: %d classes, %d methods each, %d KiB of class files; %d runs after %d warm-up runs%n",
                classes + 1, methods, bytes / 1024, runs, runs);
        System.out.println("| what | median CPU ms | best CPU ms |");
        System.out.println("|---|---|---|");
        row("ASM read of every class, empty visitor (baseline)", baseline);
        row("BundleVerifier.violations, all classes reachable", all);
        row("BundleVerifier.violations, a tenth of the classes reachable", tenth);
    }

    private static void check(Map<String, byte[]> bundle) {
        if (!BundleVerifier.violations(bundle).isEmpty()) {
            throw new IllegalStateException("the generated bundle must pass: " + BundleVerifier.violations(bundle).get(0).describe());
        }
    }

    private static void readAll(Map<String, byte[]> bundle) {
        for (byte[] b : bundle.values()) {
            new ClassReader(b).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                    return new MethodVisitor(Opcodes.ASM9) {
                    };
                }
            }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        }
    }

    private static void row(String what, double[] ms) {
        System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f |%n", what, ms[0], ms[1]);
    }

    /**
     * Median and best CPU time in ms of this thread over {@code runs} runs, after as many warm-up runs. CPU time,
     * not wall time: on a shared machine the wall time mostly measures the other processes.
     */
    private static double[] time(int runs, Runnable work) {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < runs; i++) {
            work.run();
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = cpu.getCurrentThreadCpuTime();
            work.run();
            ms[i] = (cpu.getCurrentThreadCpuTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        return new double[] {ms[runs / 2], ms[0]};
    }

    /**
     * Classes {@code gen/C0..}: method j of class i calls two methods of other classes, within the first
     * {@code reachable} classes for those, and within the rest for the others.
     */
    static Map<String, byte[]> bundle(int classes, int methods, int reachable, boolean allSerializable) {
        Map<String, byte[]> bundle = new HashMap<>();
        for (int i = 0; i < classes; i++) {
            String name = "gen/C" + i;
            ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS);
            w.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL, name, null, "java/lang/Object",
                    allSerializable ? new String[] {"java/io/Serializable"} : null);
            for (int j = 0; j < methods; j++) {
                MethodVisitor m = w.visitMethod(Opcodes.ACC_STATIC, "m" + j, "(I)I", null, null);
                m.visitCode();
                for (int k = 0; k < 4; k++) {
                    m.visitVarInsn(Opcodes.ILOAD, 0);
                    m.visitIntInsn(Opcodes.BIPUSH, k + j);
                    m.visitInsn(Opcodes.IMUL);
                    m.visitIntInsn(Opcodes.BIPUSH, 7);
                    m.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Math", "max", "(II)I", false);
                    m.visitVarInsn(Opcodes.ISTORE, 0);
                }
                m.visitTypeInsn(Opcodes.NEW, "java/lang/StringBuilder");
                m.visitInsn(Opcodes.DUP);
                m.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/StringBuilder", "<init>", "()V", false);
                m.visitVarInsn(Opcodes.ILOAD, 0);
                m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/StringBuilder", "append", "(I)Ljava/lang/StringBuilder;", false);
                m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/StringBuilder", "length", "()I", false);
                m.visitVarInsn(Opcodes.ISTORE, 0);
                for (int call = 1; call <= 2; call++) {
                    int target = i < reachable ? (i * 7 + j + call) % reachable : reachable + (i * 7 + j + call) % (classes - reachable);
                    m.visitVarInsn(Opcodes.ILOAD, 0);
                    m.visitMethodInsn(Opcodes.INVOKESTATIC, "gen/C" + target, "m" + ((j + call) % methods), "(I)I", false);
                    m.visitVarInsn(Opcodes.ISTORE, 0);
                }
                m.visitVarInsn(Opcodes.ILOAD, 0);
                m.visitInsn(Opcodes.IRETURN);
                m.visitMaxs(0, 0);
                m.visitEnd();
            }
            w.visitEnd();
            bundle.put(name.replace('/', '.'), w.toByteArray());
        }
        ClassWriter root = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        root.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL, "gen/Root", null, "java/lang/Object", new String[] {"java/io/Serializable"});
        MethodVisitor init = root.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        MethodVisitor call = root.visitMethod(Opcodes.ACC_PUBLIC, "call", "()I", null, null);
        call.visitCode();
        call.visitInsn(Opcodes.ICONST_1);
        call.visitMethodInsn(Opcodes.INVOKESTATIC, "gen/C0", "m0", "(I)I", false);
        call.visitInsn(Opcodes.IRETURN);
        call.visitMaxs(0, 0);
        call.visitEnd();
        root.visitEnd();
        bundle.put("gen.Root", root.toByteArray());
        return bundle;
    }
}
