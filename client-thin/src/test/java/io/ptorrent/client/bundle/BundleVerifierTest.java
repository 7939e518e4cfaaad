package io.ptorrent.client.bundle;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.bundle.BundleVerifier.Rule;
import io.ptorrent.client.bundle.BundleVerifier.Violation;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import verifiertest.Forbidden;
import verifiertest.Honest;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BundleVerifierTest {

    @Test
    void everydayJavaPasses() {
        assertThat(BundleVerifier.violations(BundleBuilder.forClosure(Honest.everyday(5)).classes())).isEmpty();
        assertThat(BundleVerifier.violations(BundleBuilder.forClosure(Honest.square()).classes())).isEmpty();
    }

    @Test
    void rejectionNamesClassMemberAndRule() {
        Bundle bundle = Bundle.of(Map.of(Forbidden.ReadFile.class.getName(), classFile(Forbidden.ReadFile.class)));

        assertThatThrownBy(() -> BundleVerifier.verify(bundle)).isInstanceOfSatisfying(PtorrentException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BUNDLE_REJECTED);
            assertThat(e.getMessage()).startsWith("verifiertest.Forbidden$ReadFile.call() references java.nio.file.Path.of(String, String[]): "
                    + "rule 'files' — user code may not touch the file system");
            assertThat(e.getMessage()).contains("(and 1 more: verifiertest.Forbidden$ReadFile.call() → java.nio.file.Files.readString(Path))");
        });
    }

    @Test
    void methodReferenceToSystemExitIsRejected() {
        assertThat(violationsOf(Forbidden.ExitReference.class)).extracting(Violation::rule, Violation::reference)
                .contains(org.assertj.core.groups.Tuple.tuple(Rule.JVM, "java.lang.System.exit(int)"));
    }

    @Test
    void memberInheritedFromTheJdkIsCheckedAsTheJdkMember() {
        Map<String, byte[]> classes = new HashMap<>();
        classes.put(Forbidden.InheritedParallel.class.getName(), classFile(Forbidden.InheritedParallel.class));
        classes.put(Forbidden.OwnList.class.getName(), classFile(Forbidden.OwnList.class));

        assertThat(BundleVerifier.violations(classes)).singleElement().satisfies(v -> {
            assertThat(v.rule()).isEqualTo(Rule.THREADS);
            assertThat(v.reference()).contains("parallelStream").contains("inherited from java.util");
        });
    }

    @Test
    void systemPropertiesAndClassConstantsAreChecked() {
        assertThat(violationsOf(Forbidden.GetProperty.class)).extracting(Violation::rule).containsExactly(Rule.ENVIRONMENT);
        assertThat(violationsOf(Forbidden.ClassLiteralOfThread.class)).extracting(Violation::rule).containsExactly(Rule.THREADS);
    }

    @Test
    void aBundleClassMayNotShadowJdkOrPtorrentClasses() {
        Map<String, byte[]> classes = Map.of("io.ptorrent.plugin.Shadow", emptyClass("io/ptorrent/plugin/Shadow"));

        assertThat(BundleVerifier.violations(classes)).extracting(Violation::rule).containsExactly(Rule.RESERVED_NAME);
    }

    @Test
    void aClassFileUnderAnotherNameIsInvalid() {
        Map<String, byte[]> classes = Map.of("user.Declared", emptyClass("user/Actual"));

        assertThatThrownBy(() -> BundleVerifier.violations(classes)).isInstanceOfSatisfying(PtorrentException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.BUNDLE_INVALID));
    }

    @Test
    void garbageIsInvalid() {
        assertThatThrownBy(() -> BundleVerifier.violations(Map.of("user.Junk", new byte[] {(byte) 0xCA, (byte) 0xFE, 1, 2})))
                .isInstanceOfSatisfying(PtorrentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BUNDLE_INVALID));
    }

    @Test
    void tooManyClassesAreRejectedUnread() {
        Map<String, byte[]> classes = new HashMap<>();
        for (int i = 0; i <= BundleVerifier.MAX_CLASSES; i++) {
            classes.put("user.C" + i, new byte[0]);
        }

        assertThatThrownBy(() -> BundleVerifier.violations(classes)).isInstanceOfSatisfying(PtorrentException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BUNDLE_REJECTED);
            assertThat(e.getMessage()).contains("rule 'limits'");
        });
    }

    @Test
    void everyRuleHasAUniqueId() {
        assertThat(List.of(Rule.values())).extracting(Rule::id).doesNotHaveDuplicates();
    }

    private static List<Violation> violationsOf(Class<?> type) {
        return BundleVerifier.violations(Map.of(type.getName(), classFile(type)));
    }

    static byte[] classFile(Class<?> type) {
        try (InputStream in = type.getClassLoader().getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] emptyClass(String internalName) {
        ClassWriter w = new ClassWriter(0);
        w.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, internalName, null, "java/lang/Object", null);
        w.visitEnd();
        return w.toByteArray();
    }
}
