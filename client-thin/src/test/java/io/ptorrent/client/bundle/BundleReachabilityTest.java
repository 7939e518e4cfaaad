package io.ptorrent.client.bundle;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.SerializableCallable;
import io.ptorrent.client.bundle.BundleVerifier.Rule;
import io.ptorrent.client.bundle.BundleVerifier.Violation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reachtest.DefaultMethodHelper;
import reachtest.InitializerHelper;
import reachtest.LambdaDefaultHelper;
import reachtest.OtherClassHelper;
import reachtest.OverrideHelper;
import reachtest.SameClassHelper;
import reachtest.SecondLambda;
import reachtest.ThreadedMain;
import reachtest.ToStringHelper;
import reachtest.Unnamed;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** The verifier checks the code a closure can reach, all of it, and nothing else. */
class BundleReachabilityTest {

    @Test
    void mainClassWithThreadsAndFilesBesideACleanLambdaPasses() {
        Bundle bundle = BundleBuilder.forClosure(ThreadedMain.square(3));

        // Not vacuous: the main class travels (it is the lambda's capturing class), threads, files and all.
        assertThat(bundle.classes()).containsKey(ThreadedMain.class.getName());
        assertThat(BundleVerifier.violations(bundle.classes())).isEmpty();
    }

    @Test
    void mainClassWithThreadsAndFilesBesideACleanNestedClassPasses() {
        Bundle bundle = BundleBuilder.forClosure(new ThreadedMain.Cube(3));

        assertThat(bundle.classes()).containsKey(ThreadedMain.class.getName());
        assertThat(BundleVerifier.violations(bundle.classes())).isEmpty();
    }

    /** Each scenario: the closure, then the class, member, rule and reference of its one violation. */
    static Stream<Arguments> forbiddenThroughAHelper() {
        return Stream.of(
                Arguments.of("a helper of the same class", SameClassHelper.closure("/etc/hostname"),
                        SameClassHelper.class.getName(), "readInput(String)", Rule.FILES, "java.nio.file.Files.readString(Path)"),
                Arguments.of("a helper of another class", new OtherClassHelper.Sum(),
                        "reachtest.Pools", "sumInParallel(int)", Rule.THREADS, "java.util.concurrent.Executors.newFixedThreadPool(int)"),
                Arguments.of("a static initializer", InitializerHelper.closure(),
                        InitializerHelper.class.getName() + "$Settings", "<clinit>()", Rule.ENVIRONMENT, "java.lang.System.getProperty(String)"),
                Arguments.of("a default method", DefaultMethodHelper.closure("/etc/hostname"),
                        DefaultMethodHelper.class.getName() + "$Loading", "load(String)", Rule.FILES, "java.nio.file.Files.readString(Path)"),
                Arguments.of("an override that only class hierarchy analysis finds", OverrideHelper.closure(),
                        OverrideHelper.class.getName() + "$ThreadedTask", "run()", Rule.THREADS, "java.lang.Thread"),
                Arguments.of("a default method that the JDK calls on a lambda", LambdaDefaultHelper.closure(),
                        LambdaDefaultHelper.class.getName() + "$Sneaky", "lambda$negate$0(Object)", Rule.ENVIRONMENT, "java.lang.System.getenv(String)"),
                Arguments.of("a toString() that the JDK calls", ToStringHelper.closure(),
                        ToStringHelper.class.getName() + "$Noisy", "toString()", Rule.ENVIRONMENT, "java.lang.System.getenv(String)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void forbiddenThroughAHelper(String scenario, SerializableCallable<?> closure, String className, String member, Rule rule, String reference) {
        Bundle bundle = BundleBuilder.forClosure(closure);

        List<Violation> violations = BundleVerifier.violations(bundle.classes());
        assertThat(violations).extracting(Violation::className, Violation::member, Violation::rule)
                .containsOnly(tuple(className, member, rule));
        assertThat(violations).allSatisfy(v -> assertThat(v.reachedFrom()).endsWith(className + "." + member));
        assertThatThrownBy(() -> BundleVerifier.verify(bundle)).isInstanceOfSatisfying(PtorrentException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BUNDLE_REJECTED);
            assertThat(e.getMessage()).startsWith(className + "." + member + " references ").contains(reference)
                    .contains(": rule '" + rule.id() + "' — ").contains("(it runs as: ");
        });
    }

    @Test
    void theMessageSaysHowTheHelperComesToRun() {
        List<Violation> violations = BundleVerifier.violations(BundleBuilder.forClosure(SameClassHelper.closure("x")).classes());

        assertThat(violations).first().satisfies(v -> assertThat(v.reachedFrom()).matches(
                "the serialized lambdas of reachtest\\.SameClassHelper → reachtest\\.SameClassHelper\\.\\$deserializeLambda\\$\\(SerializedLambda\\)"
                        + " → reachtest\\.SameClassHelper\\.lambda\\$closure\\$[0-9a-f$]+\\(String\\) → reachtest\\.SameClassHelper\\.readInput\\(String\\)"));
    }

    @Test
    void aStaticInitializerOfTheMainClassRunsWhenItsLambdaIsDeserialized() {
        // ThreadedMain's lambda passes; the same lambda in a class whose static initializer starts a pool does not.
        Map<String, byte[]> classes = BundleBuilder.forClosure(InitializerHelper.closure()).classes();

        assertThat(BundleVerifier.violations(classes)).extracting(Violation::member).containsExactly("<clinit>()");
    }

    @Test
    void everySerializableLambdaOfAClassCanBeDeserializedSoAllAreChecked() {
        Bundle bundle = BundleBuilder.forClosure(SecondLambda.clean());

        assertThat(BundleVerifier.violations(bundle.classes())).extracting(Violation::className, Violation::rule, Violation::reference)
                .contains(tuple(SecondLambda.class.getName(), Rule.THREADS, "java.util.concurrent.Executors.newSingleThreadExecutor()"));
    }

    @Test
    void classesThatAForgedStreamCouldStartAreCheckedThoughNoClosureNamesThem() {
        Bundle bundle = BundleBuilder.forClosure(Unnamed.closure());

        assertThat(BundleVerifier.violations(bundle.classes())).extracting(Violation::className, Violation::member, Violation::rule)
                .containsOnly(
                        // Serializable: the worker's stream may hold one, and its readObject runs as it is read.
                        tuple(Unnamed.class.getName() + "$Gadget", "readObject(ObjectInputStream)", Rule.THREADS),
                        // A Serializable interface: looking up its stream class runs its static initializer.
                        tuple(Unnamed.class.getName() + "$Marker", "<clinit>()", Rule.ENVIRONMENT),
                        // A Callable with a public constructor: what JarJob instantiates.
                        tuple(Unnamed.class.getName() + "$Job", "<init>()", Rule.FILES));
    }

    @Test
    void codeNothingReachesIsNotChecked() {
        // The bundle holds the main class's forbidden code; checked whole, it would be refused.
        Map<String, ClassModel> models = models(BundleBuilder.forClosure(new ThreadedMain.Cube(2)).classes());
        Reachability reach = Reachability.of(models);
        String main = "reachtest/ThreadedMain";

        assertThat(reach.reaches(main + "$Cube", "call()Ljava/lang/Integer;")).isTrue();
        assertThat(reach.reaches(main, "main([Ljava/lang/String;)V")).isFalse();
        // The serializable lambda is reachable through $deserializeLambda$ (a forged stream may name it), main's
        // Callable and Runnable lambdas are not.
        List<String> lambdas = models.get(main).methods().values().stream()
                .filter(m -> m.name().startsWith("lambda$")).map(ClassModel.MethodModel::key).toList();
        assertThat(lambdas).filteredOn(k -> reach.reaches(main, k)).singleElement().asString().startsWith("lambda$square$");
        assertThat(lambdas).hasSizeGreaterThan(1);
    }

    private static Map<String, ClassModel> models(Map<String, byte[]> classes) {
        Map<String, ClassModel> models = new java.util.HashMap<>();
        classes.forEach((name, bytes) -> {
            ClassModel m = ClassModel.read(name, bytes, BundleVerifier.MAX_INSTRUCTIONS_PER_METHOD);
            models.put(m.name(), m);
        });
        return models;
    }
}
