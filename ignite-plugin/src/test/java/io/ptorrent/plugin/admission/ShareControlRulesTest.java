package io.ptorrent.plugin.admission;

import io.ptorrent.plugin.share.ShareRules;
import io.ptorrent.plugin.share.ShareRulesConfiguration;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a contributor shares, from its configured cores or rules and the owner's activity, at hand-picked instants. */
class ShareControlRulesTest {
    private static final int CORES = 4;
    private static final long MEMORY_MB = 8192;
    /** A Saturday, 10:00 UTC. */
    private static final Instant SATURDAY = Instant.parse("2026-11-28T10:00:00Z");
    /** A Monday, 10:00 UTC. */
    private static final Instant MONDAY = Instant.parse("2026-11-30T10:00:00Z");

    private static ShareRules weekends() {
        return ShareRules.from(new ShareRulesConfiguration().setCores(3).setWindows(List.of("Sat-Sun")).setTimeZone("UTC")
                .setActiveCores(1).setIdleCores(3), CORES, MEMORY_MB);
    }

    @Test
    void withoutRulesTheConfiguredCoresAreSharedUnlessTheOwnerIsBusy() {
        assertThat(ShareControl.effectiveCores(null, 2, false, MONDAY, MONDAY)).isEqualTo(2);
        assertThat(ShareControl.effectiveCores(null, 2, true, MONDAY, MONDAY)).isZero();
    }

    @Test
    void rulesShareOnlyInsideTheirWindows() {
        assertThat(ShareControl.effectiveCores(weekends(), 2, false, SATURDAY, SATURDAY)).isEqualTo(3);
        assertThat(ShareControl.effectiveCores(weekends(), 2, false, MONDAY, MONDAY)).isZero();
    }

    @Test
    void theOwnersBusyLoadOverridesEvenTheActiveLimit() {
        assertThat(ShareControl.effectiveCores(weekends(), 2, true, SATURDAY, SATURDAY)).isZero();
    }

    @Test
    void onlyAfterIdleCountsFromWhenTheOwnerWentQuiet() {
        ShareRules afterTenMinutes = ShareRules.from(new ShareRulesConfiguration().setCores(2).setOnlyAfterIdleMinutes(10).setTimeZone("UTC"), CORES, MEMORY_MB);
        Instant quietSince = MONDAY.minusSeconds(5 * 60);

        assertThat(ShareControl.effectiveCores(afterTenMinutes, 2, false, quietSince, MONDAY)).isZero();
        assertThat(ShareControl.effectiveCores(afterTenMinutes, 2, false, quietSince, MONDAY.plusSeconds(5 * 60))).isEqualTo(2);
    }
}
