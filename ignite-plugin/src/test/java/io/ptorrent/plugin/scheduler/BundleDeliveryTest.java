package io.ptorrent.plugin.scheduler;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The harbor's memory of which bundles its contributors hold: bytes once per node, again after a miss or a leave. */
class BundleDeliveryTest {
    private static final String SHA = "aa".repeat(32);
    private static final FragmentOutcome HELD = FragmentOutcome.ok(new byte[0]).withBundleHeld(true);

    @Test
    void theFirstFragmentToANodeCarriesTheBytesAndTheOthersGoByHashEvenBeforeItAnswers() {
        BundleDelivery d = new BundleDelivery();
        UUID node = UUID.randomUUID();

        assertThat(d.mustCarry(node, SHA)).isTrue();
        assertThat(d.mustCarry(node, SHA)).as("while the bytes are on their way").isFalse();
        d.answered(node, SHA, true, HELD);
        assertThat(d.mustCarry(node, SHA)).isFalse();
        assertThat(d.mustCarry(UUID.randomUUID(), SHA)).as("another node").isTrue();

        assertThat(d.sentWithBytes(node)).isEqualTo(1);
        assertThat(d.totals()).isEqualTo(new FragmentScheduler.BundleSends(2, 2, 0));
    }

    @Test
    void aMissOfANameOnlyBatchThatOvertookTheBytesSendsThemNoSecondTime() {
        BundleDelivery d = new BundleDelivery();
        UUID node = UUID.randomUUID();
        assertThat(d.mustCarry(node, SHA)).isTrue();
        assertThat(d.mustCarry(node, SHA)).isFalse();

        d.answered(node, SHA, false, FragmentOutcome.bundleMissing(SHA)); // it ran before the bytes arrived

        assertThat(d.mustCarry(node, SHA)).as("the bytes are still on their way").isFalse();
        d.answered(node, SHA, true, FragmentOutcome.failed("INTERNAL", "x"));
        assertThat(d.mustCarry(node, SHA)).as("they did not arrive after all").isTrue();
    }

    @Test
    void aMissMakesTheNextFragmentCarryTheBytes() {
        BundleDelivery d = new BundleDelivery();
        UUID node = UUID.randomUUID();
        d.mustCarry(node, SHA);
        d.answered(node, SHA, true, HELD);
        assertThat(d.mustCarry(node, SHA)).isFalse();

        d.answered(node, SHA, false, FragmentOutcome.bundleMissing(SHA));

        assertThat(d.mustCarry(node, SHA)).isTrue();
        assertThat(d.totals().missing()).isEqualTo(1);
    }

    @Test
    void bytesThatDidNotReachTheCacheAreSentAgain() {
        BundleDelivery d = new BundleDelivery();
        UUID node = UUID.randomUUID();
        d.mustCarry(node, SHA);

        d.answered(node, SHA, true, null); // the send failed, or the task was cancelled before the node kept it

        assertThat(d.mustCarry(node, SHA)).isTrue();
    }

    @Test
    void aNodeThatLeavesIsForgottenAndANodeThatRestartsIsNew() {
        BundleDelivery d = new BundleDelivery();
        UUID node = UUID.randomUUID();
        d.mustCarry(node, SHA);
        d.answered(node, SHA, true, HELD);

        d.forget(node);

        assertThat(d.sentWithBytes(node)).isZero();
        assertThat(d.mustCarry(node, SHA)).isTrue();
        UUID other = UUID.randomUUID();
        d.mustCarry(other, SHA);
        d.retainOnly(List.of(node));
        assertThat(d.mustCarry(other, SHA)).isTrue();
    }

    @Test
    void theHarborRemembersABoundedNumberOfHashesPerNode() {
        BundleDelivery d = new BundleDelivery();
        UUID node = UUID.randomUUID();
        for (int i = 0; i <= BundleDelivery.MAX_HASHES_PER_NODE; i++) {
            d.mustCarry(node, "h" + i);
        }
        assertThat(d.mustCarry(node, "h0")).as("the oldest was forgotten").isTrue();
        assertThat(d.mustCarry(node, "h" + BundleDelivery.MAX_HASHES_PER_NODE)).isFalse();
    }
}
