package io.ptorrent.client.bundle;

import bundletest.Closures;
import bundletest.Helper;
import bundletest.SquareTask;
import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.SerializableCallable;
import org.junit.jupiter.api.Test;

import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BundleBuilderTest {

    @Test
    void lambdaBundleHoldsItsCapturingClassAndHelpers() throws Exception {
        SerializableCallable<String> closure = Closures.lambda(3, "ab");

        Bundle bundle = BundleBuilder.forClosure(closure);

        assertThat(bundle.classes()).containsKeys(Closures.class.getName(), Helper.class.getName());
        assertOnlyUserClasses(bundle);
        assertThat(this.<String>callFromBundle(bundle, closure)).isEqualTo("ababab6");
    }

    @Test
    void anonymousClassTravelsWithItsOuterClass() throws Exception {
        SerializableCallable<Integer> closure = Closures.anonymous(41);

        Bundle bundle = BundleBuilder.forClosure(closure);

        assertThat(bundle.classes()).containsKeys(closure.getClass().getName(), Closures.class.getName());
        assertOnlyUserClasses(bundle);
        assertThat(this.<Integer>callFromBundle(bundle, closure)).isEqualTo(42);
    }

    @Test
    void capturedRecordTravelsEvenWhenTheFieldTypeDoesNotNameIt() throws Exception {
        SerializableCallable<Integer> closure = Closures.withRecord(1, 2);

        Bundle bundle = BundleBuilder.forClosure(closure);

        assertThat(bundle.classes()).containsKeys(closure.getClass().getName(), Closures.Point.class.getName());
        assertThat(this.<Integer>callFromBundle(bundle, closure)).isEqualTo(closure.call());
    }

    @Test
    void topLevelClassTravelsWithTheHelperItCalls() throws Exception {
        SerializableCallable<Long> closure = Closures.topLevel(7);

        Bundle bundle = BundleBuilder.forClosure(closure);

        assertThat(bundle.classes()).containsKeys(SquareTask.class.getName(), Helper.class.getName());
        assertOnlyUserClasses(bundle);
        assertThat(this.<Long>callFromBundle(bundle, closure)).isEqualTo(49L);
    }

    @Test
    void hashIsStableAcrossBuilds() {
        Bundle first = BundleBuilder.forClosure(Closures.lambda(1, "x"));
        Bundle second = BundleBuilder.forClosure(Closures.lambda(5, "other captured state"));

        assertThat(second.sha256()).isEqualTo(first.sha256());
        assertThat(Bundle.hash(second.classes())).isEqualTo(first.sha256());
    }

    @Test
    void closureOfPtorrentsOwnPackagesIsRefused() {
        SerializableCallable<Integer> own = () -> 1;

        assertThatThrownBy(() -> BundleBuilder.forClosure(own))
                .isInstanceOfSatisfying(PtorrentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BUNDLE_INVALID));
    }

    @Test
    void examplesAreUserCodeButPtorrentInternalsAreNot() {
        assertThat(BundleBuilder.isBundled("io.ptorrent.examples.WordCount")).isTrue();
        assertThat(BundleBuilder.isBundled("com.acme.Task$1")).isTrue();
        assertThat(BundleBuilder.isBundled("io.ptorrent.plugin.sandbox.SandboxRunner")).isFalse();
        assertThat(BundleBuilder.isBundled("org.apache.ignite.Ignite")).isFalse();
        assertThat(BundleBuilder.isBundled("com.sun.net.httpserver.HttpServer")).isFalse();
    }

    private static void assertOnlyUserClasses(Bundle bundle) {
        assertThat(bundle.classes().keySet()).allSatisfy(name -> assertThat(name)
                .startsWith("bundletest.")
                .doesNotStartWith("java")
                .doesNotStartWith("org.apache.ignite")
                .doesNotStartWith("io.ptorrent"));
    }

    /** Deserializes the closure with classes defined from the bundle's bytes only, as the worker will. */
    private <R> R callFromBundle(Bundle bundle, Callable<?> closure) throws Exception {
        BundleClassLoader loader = new BundleClassLoader(bundle);
        Object copy = ClosureCodec.decodeClosure(ClosureCodec.serialize(closure), loader, bundle.classes().keySet());
        assertThat(copy.getClass().getClassLoader()).isSameAs(loader);
        @SuppressWarnings("unchecked")
        R result = ((Callable<R>) copy).call();
        return result;
    }
}
