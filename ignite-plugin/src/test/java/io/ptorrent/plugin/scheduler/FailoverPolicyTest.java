package io.ptorrent.plugin.scheduler;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.plugin.scheduler.FailoverPolicy.Action;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What an answer means for a fragment. */
class FailoverPolicyTest {
    private static FragmentOutcome failed(String code) {
        return FragmentOutcome.failed(code, "x");
    }

    @Test
    void eachAnswerLeadsWhereTheContractSays() {
        assertThat(FailoverPolicy.judge(FragmentOutcome.ok(new byte[0]), null, false, 1)).isEqualTo(Action.ACCEPT);
        assertThat(FailoverPolicy.judge(failed(FailoverPolicy.NOT_RUN), null, false, 5)).isEqualTo(Action.AGAIN_FREE);
        assertThat(FailoverPolicy.judge(null, new FragmentTransport.NotRunException("x"), false, 5)).isEqualTo(Action.AGAIN_FREE);
        assertThat(FailoverPolicy.judge(failed(FragmentOutcome.BUNDLE_MISSING), null, false, 5)).isEqualTo(Action.AGAIN_FREE);
        assertThat(FailoverPolicy.judge(failed(FragmentOutcome.BUNDLE_MISSING), null, true, 1)).isEqualTo(Action.AGAIN);
        assertThat(FailoverPolicy.judge(failed(ErrorCode.REFUSED_BY_RULES.name()), null, false, 5)).isEqualTo(Action.REFUSED);
        assertThat(FailoverPolicy.judge(failed(ErrorCode.INTERNAL.name()), null, false, 4)).isEqualTo(Action.AGAIN);
        assertThat(FailoverPolicy.judge(failed(ErrorCode.INTERNAL.name()), null, false, 5)).isEqualTo(Action.FAIL_TASK);
        assertThat(FailoverPolicy.judge(null, new FragmentTransport.NodeLeftException("x"), false, 1)).isEqualTo(Action.AGAIN);
        assertThat(FailoverPolicy.judge(null, new RuntimeException("timeout"), false, 5)).isEqualTo(Action.FAIL_TASK);
        assertThat(FailoverPolicy.judge(failed(ErrorCode.FRAGMENT_FAILED.name()), null, false, 1)).isEqualTo(Action.FAIL_TASK);
    }

    @Test
    void aFragmentWaitsForANodeItHasNotFailedOnWhileOneIsLeft() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        assertThat(FailoverPolicy.eligible(Set.of(a), Set.of(), Set.of(), a, true)).isFalse();
        assertThat(FailoverPolicy.eligible(Set.of(a), Set.of(), Set.of(), a, false)).isTrue();
        assertThat(FailoverPolicy.eligible(Set.of(), Set.of(b), Set.of(), b, false)).isFalse();
        assertThat(FailoverPolicy.eligible(Set.of(), Set.of(), Set.of(b), b, false)).isFalse();
    }
}
