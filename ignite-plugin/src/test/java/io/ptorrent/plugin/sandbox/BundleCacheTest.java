package io.ptorrent.plugin.sandbox;

import hostile.FileAccess;
import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.bundle.Bundle;
import io.ptorrent.client.bundle.BundleBuilder;
import io.ptorrent.client.wire.WireBundle;
import org.junit.jupiter.api.Test;
import sandboxtest.Honest;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The contributor's bundle cache: verified once per hash, bounded by count and by bytes, least recently used out first. */
class BundleCacheTest {
    /** Counts its calls; rejects a bundle whose class is named {@code bad.*}, as the verifier would with its message. */
    private static final class CountingVerifier implements UnaryOperator<Bundle> {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public Bundle apply(Bundle b) {
            calls.incrementAndGet();
            if (b.classes().keySet().stream().anyMatch(n -> n.startsWith("bad."))) {
                throw new PtorrentException(ErrorCode.BUNDLE_REJECTED, "bad.X.call() references java.io.File: rule 'files'");
            }
            return b;
        }
    }

    private static Bundle bundle(String className, int size) {
        return Bundle.of(Map.of(className, new byte[size]));
    }

    private static WireBundle wire(Bundle b) {
        return b.toWire();
    }

    @Test
    void manyFragmentsOfOneBundleAreVerifiedOnce() {
        CountingVerifier verifier = new CountingVerifier();
        BundleCache cache = new BundleCache(8, 1 << 20, verifier);
        Bundle b = bundle("a.A", 100);

        assertThat(cache.get(b.sha256())).isNull();
        for (int i = 0; i < 10; i++) {
            assertThat(cache.admit(wire(b)).sha256()).isEqualTo(b.sha256());
            assertThat(cache.get(b.sha256()).classes()).containsOnlyKeys("a.A");
        }

        assertThat(verifier.calls).hasValue(1);
        BundleCache.Stats stats = cache.stats();
        assertThat(stats.verifications()).isEqualTo(1);
        assertThat(stats.misses()).isEqualTo(1);
        assertThat(stats.hits()).isEqualTo(19);
        assertThat(stats.bundles()).isEqualTo(1);
        assertThat(stats.bytes()).isEqualTo(100);
    }

    @Test
    void aRejectedBundleIsKeptWithItsVerdictAndNotVerifiedAgain() {
        CountingVerifier verifier = new CountingVerifier();
        BundleCache cache = new BundleCache(8, 1 << 20, verifier);
        Bundle bad = bundle("bad.X", 50);

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> cache.admit(wire(bad))).isInstanceOfSatisfying(PtorrentException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.BUNDLE_REJECTED);
                assertThat(e.getMessage()).isEqualTo("bad.X.call() references java.io.File: rule 'files'");
            });
        }
        assertThatThrownBy(() -> cache.get(bad.sha256())).isInstanceOfSatisfying(PtorrentException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.BUNDLE_REJECTED));

        assertThat(verifier.calls).hasValue(1);
        assertThat(cache.stats().rejections()).isEqualTo(1);
        assertThat(cache.stats().bytes()).as("a rejection holds no class bytes").isZero();
        assertThat(cache.holds(bad.sha256())).isTrue();
    }

    @Test
    void bytesThatDoNotMatchTheirNameAreRefusedAndLeaveNoVerdict() {
        CountingVerifier verifier = new CountingVerifier();
        BundleCache cache = new BundleCache(8, 1 << 20, verifier);
        Bundle real = bundle("a.A", 10);
        WireBundle forged = new WireBundle(real.sha256(), Map.of("a.A", new byte[11]));

        assertThatThrownBy(() -> cache.admit(forged)).isInstanceOfSatisfying(PtorrentException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.BUNDLE_INVALID));

        assertThat(verifier.calls).as("never verified under a name it does not have").hasValue(0);
        assertThat(cache.get(real.sha256())).isNull();
        assertThat(cache.admit(wire(real)).classes().get("a.A")).hasSize(10);
        assertThat(verifier.calls).hasValue(1);
    }

    @Test
    void boundedByCountLeastRecentlyUsedFirst() {
        BundleCache cache = new BundleCache(3, 1 << 20, new CountingVerifier());
        Bundle a = bundle("a.A", 1);
        Bundle b = bundle("b.B", 1);
        Bundle c = bundle("c.C", 1);
        Bundle d = bundle("d.D", 1);
        cache.admit(wire(a));
        cache.admit(wire(b));
        cache.admit(wire(c));
        cache.get(a.sha256()); // a is now the most recently used; b the least

        cache.admit(wire(d));

        assertThat(cache.holds(b.sha256())).isFalse();
        assertThat(cache.holds(a.sha256())).isTrue();
        assertThat(cache.holds(c.sha256())).isTrue();
        assertThat(cache.holds(d.sha256())).isTrue();
        assertThat(cache.stats().bundles()).isEqualTo(3);
        assertThat(cache.stats().evictions()).isEqualTo(1);
        assertThat(cache.get(b.sha256())).as("an evicted bundle is missing: its next fragment brings the bytes").isNull();
    }

    @Test
    void rejectionsCountAgainstTheNumber() {
        BundleCache cache = new BundleCache(2, 1 << 20, new CountingVerifier());
        Bundle bad = bundle("bad.X", 1);
        Bundle a = bundle("a.A", 1);
        Bundle b = bundle("b.B", 1);
        assertThatThrownBy(() -> cache.admit(wire(bad))).isInstanceOf(PtorrentException.class);
        cache.admit(wire(a));
        cache.admit(wire(b));

        assertThat(cache.holds(bad.sha256())).isFalse();
        assertThat(cache.stats().bundles()).isEqualTo(2);
    }

    @Test
    void boundedByBytesLeastRecentlyUsedFirst() {
        BundleCache cache = new BundleCache(100, 100, new CountingVerifier());
        Bundle a = bundle("a.A", 40);
        Bundle b = bundle("b.B", 40);
        Bundle c = bundle("c.C", 40);
        cache.admit(wire(a));
        cache.admit(wire(b));
        cache.get(a.sha256()); // b is the least recently used

        cache.admit(wire(c));

        assertThat(cache.holds(b.sha256())).isFalse();
        assertThat(cache.holds(a.sha256())).isTrue();
        assertThat(cache.holds(c.sha256())).isTrue();
        assertThat(cache.stats().bytes()).isEqualTo(80);
        assertThat(cache.stats().evictions()).isEqualTo(1);
    }

    @Test
    void aBundleLargerThanTheWholeCacheIsUsedButNotKept() {
        CountingVerifier verifier = new CountingVerifier();
        BundleCache cache = new BundleCache(100, 100, verifier);
        Bundle small = bundle("a.A", 40);
        Bundle huge = bundle("h.H", 101);
        cache.admit(wire(small));

        assertThat(cache.admit(wire(huge)).sha256()).isEqualTo(huge.sha256());

        assertThat(cache.holds(huge.sha256())).isFalse();
        assertThat(cache.holds(small.sha256())).as("nothing evicted for a bundle that is not kept").isTrue();
        assertThat(cache.stats().bytes()).isEqualTo(40);
        assertThat(verifier.calls).hasValue(2);
    }

    @Test
    void twoFragmentsBringingTheSameBundleAtOnceVerifyItOnce() throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        BundleCache cache = new BundleCache(8, 1 << 20, b -> {
            calls.incrementAndGet();
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return b;
        });
        Bundle b = bundle("a.A", 10);
        AtomicReference<Bundle> first = new AtomicReference<>();
        AtomicReference<Bundle> second = new AtomicReference<>();
        AtomicReference<Bundle> byName = new AtomicReference<>();
        Thread t1 = new Thread(() -> first.set(cache.admit(wire(b))));
        t1.start();
        entered.await();
        Thread t2 = new Thread(() -> second.set(cache.admit(wire(b))));
        Thread t3 = new Thread(() -> byName.set(cache.get(b.sha256())));
        t2.start();
        t3.start();
        // Both wait for the verification under way rather than starting their own, or answering "missing".
        await().atMost(Duration.ofSeconds(10)).until(() -> t2.getState() == Thread.State.WAITING && t3.getState() == Thread.State.WAITING);

        release.countDown();
        t1.join();
        t2.join();
        t3.join();

        assertThat(calls).hasValue(1);
        assertThat(first.get().sha256()).isEqualTo(b.sha256());
        assertThat(second.get().sha256()).isEqualTo(b.sha256());
        assertThat(byName.get().sha256()).isEqualTo(b.sha256());
    }

    @Test
    void theRealVerifierRejectsAHostileBundleOnceAndAcceptsAnHonestOne() {
        BundleCache cache = new BundleCache(8, 1 << 20);
        Bundle hostile = BundleBuilder.forClosure(FileAccess.readFile("/etc/passwd"));
        Bundle honest = BundleBuilder.forClosure(Honest.multiply(6, 7));

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> cache.admit(wire(hostile))).isInstanceOfSatisfying(PtorrentException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.BUNDLE_REJECTED);
                assertThat(e.getMessage()).contains("rule 'files'");
            });
        }
        assertThat(cache.admit(wire(honest)).sha256()).isEqualTo(honest.sha256());

        assertThat(cache.stats().verifications()).isEqualTo(2);
        assertThat(cache.stats().rejections()).isEqualTo(1);
    }
}
