package io.ptorrent.plugin.sandbox;

import io.ptorrent.plugin.share.OwnerActivity;
import io.ptorrent.plugin.share.ShareRules;
import io.ptorrent.plugin.share.ShareRulesConfiguration;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class SandboxLimitsTest {
    private static final SandboxOptions OPTIONS = new SandboxOptions(64, Duration.ofMinutes(10), 1024);

    @Test
    void withoutRulesTheNodesHeapAndFullCpu() {
        SandboxLimits limits = SandboxLimits.from(null, null, OPTIONS, 2);

        assertThat(limits.workers()).isEqualTo(2);
        assertThat(limits.heapMb()).isEqualTo(64);
        assertThat(limits.cpuPercent()).isEqualTo(100);
        assertThat(limits.maxWallClock()).isNull();
    }

    @Test
    void memoryIsSplitAcrossTheSharedCoresAndHalfOfAPartIsHeap() {
        ShareRules rules = rules(new ShareRulesConfiguration().setCores(4).setMemoryMb(2048));

        SandboxLimits limits = SandboxLimits.from(rules, rules.allowance(Instant.EPOCH, OwnerActivity.ownerIdleFor(Duration.ZERO)), OPTIONS, 4);

        assertThat(limits.heapMb()).isEqualTo(256);
        assertThat(limits.processMemoryMb()).isEqualTo(512);
    }

    @Test
    void aSmallShareStillGetsAWorkingJvm() {
        ShareRules rules = rules(new ShareRulesConfiguration().setCores(1).setMemoryMb(16));

        SandboxLimits limits = SandboxLimits.from(rules, null, OPTIONS, 1);

        assertThat(limits.heapMb()).isEqualTo(SandboxLimits.MIN_HEAP_MB);
        assertThat(limits.processMemoryMb()).isGreaterThan(SandboxLimits.MIN_HEAP_MB + SandboxLimits.JVM_FLOOR_MB);
    }

    @Test
    void theOwnersActivityPicksTheCpuPercentAndTheRulesCapTheWallClock() {
        ShareRules rules = rules(new ShareRulesConfiguration().setCores(2).setMemoryMb(1024).setCpuPercent(80)
                .setActiveCpuPercent(25).setActiveCores(1).setMaxFragmentSeconds(90));

        SandboxLimits active = SandboxLimits.from(rules, rules.allowance(Instant.EPOCH, OwnerActivity.ownerActive()), OPTIONS, 1);
        SandboxLimits idle = SandboxLimits.from(rules, rules.allowance(Instant.EPOCH, OwnerActivity.ownerIdleFor(Duration.ofHours(1))), OPTIONS, 2);

        assertThat(active.cpuPercent()).isEqualTo(25);
        assertThat(active.heapMb()).as("1024 MiB for one core").isEqualTo(512);
        assertThat(idle.cpuPercent()).isEqualTo(80);
        assertThat(idle.heapMb()).as("1024 MiB for two cores").isEqualTo(256);
        assertThat(idle.maxWallClock()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void noMaxFragmentSecondsMeansNoCapOfTheRulesOwn() {
        ShareRules rules = rules(new ShareRulesConfiguration().setCores(1).setMemoryMb(256));

        assertThat(SandboxLimits.from(rules, null, OPTIONS, 1).maxWallClock()).isNull();
    }

    private static ShareRules rules(ShareRulesConfiguration cfg) {
        return ShareRules.from(cfg, 4, 16384);
    }
}
