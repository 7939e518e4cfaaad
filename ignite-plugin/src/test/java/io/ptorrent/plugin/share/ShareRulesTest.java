package io.ptorrent.plugin.share;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;

import static io.ptorrent.plugin.share.OwnerActivity.ownerActive;
import static io.ptorrent.plugin.share.OwnerActivity.ownerIdleFor;
import static org.assertj.core.api.Assertions.assertThat;

/** Evaluating share rules at fixed instants (no clock at all): windows, DST, limits, precedence, accept lists. */
class ShareRulesTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final int CORES = 8;
    private static final long MEMORY_MB = 16_000;
    private static final OwnerActivity AWAY = ownerIdleFor(Duration.ofHours(1));

    private static ShareRules rules(ShareRulesConfiguration cfg) {
        return ShareRules.from(cfg.getTimeZone() == null ? cfg.setTimeZone(BERLIN.getId()) : cfg, CORES, MEMORY_MB);
    }

    private static ShareRules windows(String... windows) {
        return rules(new ShareRulesConfiguration().setCores(4).setWindows(List.of(windows)));
    }

    /** An instant given as Berlin wall time; for ambiguous times (October) the earlier offset. */
    private static Instant berlin(String localDateTime) {
        return ZonedDateTime.of(LocalDateTime.parse(localDateTime), BERLIN).toInstant();
    }

    private static boolean admits(ShareRules r, Instant t) {
        return r.allowance(t, AWAY).admitting();
    }

    // 2025-06-06 is a Friday.
    @ParameterizedTest(name = "{0} at {1}: {2}")
    @CsvSource({
            "Fri 22:00-07:00,       2025-06-06T21:59, false",
            "Fri 22:00-07:00,       2025-06-06T22:00, true",
            "Fri 22:00-07:00,       2025-06-07T03:00, true",   // Saturday morning belongs to Friday's window
            "Fri 22:00-07:00,       2025-06-07T06:59, true",
            "Fri 22:00-07:00,       2025-06-07T07:00, false",  // end is exclusive
            "Fri 22:00-07:00,       2025-06-06T03:00, false",  // Friday morning belongs to Thursday
            "Mon-Fri 22:00-07:00,   2025-06-09T03:00, false",  // Monday morning: Sunday is not listed
            "Mon-Fri 22:00-07:00,   2025-06-10T03:00, true",   // Tuesday morning: Monday's window
            "Mon-Fri 22:00-07:00,   2025-06-07T06:00, true",   // Saturday morning: Friday's window
            "Sat-Sun,               2025-06-07T00:00, true",
            "Sat-Sun,               2025-06-08T23:59, true",
            "Sat-Sun,               2025-06-09T00:00, false",
            "Sat-Sun,               2025-06-06T23:59, false",
            "Fri-Mon,               2025-06-09T12:00, true",   // a range that wraps over the weekend
            "Fri-Mon,               2025-06-10T12:00, false",
            "'Mon,Wed 12:00-13:30', 2025-06-11T13:29, true",
            "'Mon,Wed 12:00-13:30', 2025-06-11T13:30, false",
            "'Mon,Wed 12:00-13:30', 2025-06-10T12:30, false",
            "Sun 22:00-24:00,       2025-06-08T23:59, true",
            "Sun 22:00-00:00,       2025-06-09T00:00, false",
    })
    void windowsInLocalWallTime(String window, String local, boolean admitting) {
        assertThat(admits(windows(window), berlin(local))).isEqualTo(admitting);
    }

    @Test
    void theWeekExampleOfTheIssue() {
        ShareRules r = windows("Mon-Fri 22:00-07:00", "Sat-Sun");

        assertThat(admits(r, berlin("2025-06-06T12:00"))).isFalse(); // Friday noon
        assertThat(admits(r, berlin("2025-06-06T23:00"))).isTrue();
        assertThat(admits(r, berlin("2025-06-08T12:00"))).isTrue(); // Sunday
        // Monday 06:00: the weekend ended at midnight, and Sunday is not a day of the night windows.
        assertThat(admits(r, berlin("2025-06-09T06:00"))).isFalse();
    }

    /**
     * Spring forward, Berlin, Sunday 2025-03-30: 02:00 CET becomes 03:00 CEST. A 01:00-04:00 window is
     * wall time, so it covers 01:00-02:00 CET and 03:00-04:00 CEST: two real hours.
     */
    @Test
    void aWindowOnTheNightClocksGoForwardLastsTwoRealHours() {
        ShareRules r = windows("Sun 01:00-04:00");

        assertThat(admits(r, Instant.parse("2025-03-29T23:59:00Z"))).isFalse(); // 00:59 CET
        assertThat(admits(r, Instant.parse("2025-03-30T00:00:00Z"))).isTrue();  // 01:00 CET
        assertThat(admits(r, Instant.parse("2025-03-30T00:59:00Z"))).isTrue();  // 01:59 CET
        assertThat(admits(r, Instant.parse("2025-03-30T01:00:00Z"))).isTrue();  // 03:00 CEST, straight after 01:59:59 CET
        assertThat(admits(r, Instant.parse("2025-03-30T01:59:00Z"))).isTrue();  // 03:59 CEST
        assertThat(admits(r, Instant.parse("2025-03-30T02:00:00Z"))).isFalse(); // 04:00 CEST
        assertThat(realMinutesCovered(r, Instant.parse("2025-03-29T22:00:00Z"), Duration.ofHours(6))).isEqualTo(120);
    }

    /**
     * Fall back, Berlin, Sunday 2025-10-26: 03:00 CEST becomes 02:00 CET, so 02:00-03:00 happens twice. The
     * window covers both: four real hours.
     */
    @Test
    void aWindowOnTheNightClocksGoBackLastsFourRealHours() {
        ShareRules r = windows("Sun 01:00-04:00");

        assertThat(admits(r, Instant.parse("2025-10-25T22:59:00Z"))).isFalse(); // 00:59 CEST
        assertThat(admits(r, Instant.parse("2025-10-25T23:00:00Z"))).isTrue();  // 01:00 CEST
        assertThat(admits(r, Instant.parse("2025-10-26T00:30:00Z"))).isTrue();  // 02:30 CEST, the first time
        assertThat(admits(r, Instant.parse("2025-10-26T01:30:00Z"))).isTrue();  // 02:30 CET, the second time
        assertThat(admits(r, Instant.parse("2025-10-26T02:59:00Z"))).isTrue();  // 03:59 CET
        assertThat(admits(r, Instant.parse("2025-10-26T03:00:00Z"))).isFalse(); // 04:00 CET
        assertThat(realMinutesCovered(r, Instant.parse("2025-10-25T20:00:00Z"), Duration.ofHours(10))).isEqualTo(240);
    }

    @Test
    void aWindowAcrossMidnightOnTheNightClocksGoForwardEndsAtItsWallTime() {
        ShareRules r = windows("Sat 22:00-03:00"); // Sat 22:00 CET to Sun 03:00 CEST: 4 real hours, not 5

        assertThat(admits(r, Instant.parse("2025-03-29T21:00:00Z"))).isTrue();  // 22:00 CET Saturday
        assertThat(admits(r, Instant.parse("2025-03-30T00:59:00Z"))).isTrue();  // 01:59 CET Sunday
        assertThat(admits(r, Instant.parse("2025-03-30T01:00:00Z"))).isFalse(); // 03:00 CEST
        assertThat(realMinutesCovered(r, Instant.parse("2025-03-29T18:00:00Z"), Duration.ofHours(10))).isEqualTo(240);
    }

    @Test
    void theTimeZoneOfTheRulesDecidesNotTheInstantsOffset() {
        ShareRules tokyo = rules(new ShareRulesConfiguration().setTimeZone("Asia/Tokyo").setWindows(List.of("Sat 09:00-10:00")));

        assertThat(admits(tokyo, Instant.parse("2025-06-07T00:30:00Z"))).isTrue(); // 09:30 in Tokyo
        assertThat(admits(tokyo, berlin("2025-06-07T09:30"))).isFalse();
    }

    @Test
    void noWindowsMeansAlways() {
        ShareRules r = rules(new ShareRulesConfiguration().setCores(2));

        assertThat(r.allowance(berlin("2025-06-06T12:00"), AWAY)).isEqualTo(new Allowance(2, 100, MEMORY_MB / 2, true, "owner idle: 2 cores at 100% CPU, 8000 MiB"));
    }

    @Test
    void activeAndIdleLimits() {
        ShareRules r = rules(new ShareRulesConfiguration().setCores(6).setCpuPercent(90).setMemoryMb(4096)
                .setActiveCores(1).setActiveCpuPercent(25).setIdleCores(6).setIdleCpuPercent(80));
        Instant t = berlin("2025-06-06T12:00");

        Allowance active = r.allowance(t, ownerActive());
        Allowance idle = r.allowance(t, AWAY);

        assertThat(active).extracting(Allowance::cores, Allowance::cpuPercent, Allowance::memoryMb, Allowance::admitting).containsExactly(1, 25, 4096L, true);
        assertThat(active.reason()).startsWith("owner active");
        assertThat(idle).extracting(Allowance::cores, Allowance::cpuPercent, Allowance::memoryMb, Allowance::admitting).containsExactly(6, 80, 4096L, true);
        assertThat(idle.reason()).startsWith("owner idle");
    }

    @Test
    void unsetActiveAndIdleLimitsAreTheGeneralOnes() {
        ShareRules r = rules(new ShareRulesConfiguration().setCores(3).setCpuPercent(70));

        assertThat(r.activeCores()).isEqualTo(3);
        assertThat(r.idleCores()).isEqualTo(3);
        assertThat(r.activeCpuPercent()).isEqualTo(70);
        assertThat(r.idleCpuPercent()).isEqualTo(70);
    }

    @Test
    void everyLimitIsCappedByTheGeneralOne() {
        ShareRules r = rules(new ShareRulesConfiguration().setCores(2).setCpuPercent(50).setActiveCores(8).setActiveCpuPercent(100)
                .setIdleCores(4).setIdleCpuPercent(75));
        Instant t = berlin("2025-06-06T12:00");

        assertThat(r.allowance(t, ownerActive())).extracting(Allowance::cores, Allowance::cpuPercent).containsExactly(2, 50);
        assertThat(r.allowance(t, AWAY)).extracting(Allowance::cores, Allowance::cpuPercent).containsExactly(2, 50);
    }

    @Test
    void zeroActiveCoresSharesNothingWhileTheOwnerWorks() {
        ShareRules r = rules(new ShareRulesConfiguration().setActiveCores(0));

        Allowance a = r.allowance(berlin("2025-06-06T12:00"), ownerActive());

        assertThat(a).isEqualTo(new Allowance(0, 0, 0, false, "owner active: 0 cores shared"));
        assertThat(r.allowance(berlin("2025-06-06T12:00"), AWAY).cores()).isEqualTo(CORES / 2);
    }

    @ParameterizedTest(name = "idle {0} min with onlyAfterIdleMinutes=10: admitting {1}")
    @CsvSource({"0, false", "9, false", "10, true", "600, true"})
    void onlyAfterIdleMinutes(int idleMinutes, boolean admitting) {
        ShareRules r = rules(new ShareRulesConfiguration().setOnlyAfterIdleMinutes(10));

        Allowance a = r.allowance(berlin("2025-06-06T12:00"), ownerIdleFor(Duration.ofMinutes(idleMinutes)));

        assertThat(a.admitting()).isEqualTo(admitting);
        if (!admitting) {
            assertThat(a.cores()).isZero();
            assertThat(a.reason()).isEqualTo("idle for " + idleMinutes + " min; sharing starts after 10 (onlyAfterIdleMinutes)");
        }
    }

    @Test
    void anActiveOwnerIsNeverIdleLongEnough() {
        ShareRules r = rules(new ShareRulesConfiguration().setOnlyAfterIdleMinutes(1).setActiveCores(2));

        assertThat(r.allowance(berlin("2025-06-06T12:00"), new OwnerActivity(true, Duration.ofHours(5))).admitting()).isFalse();
    }

    /** Precedence: windows first, then the idle wait, then active/idle limits, then the caps. */
    @Test
    void precedence() {
        ShareRules r = rules(new ShareRulesConfiguration().setCores(4).setWindows(List.of("Sat-Sun")).setOnlyAfterIdleMinutes(5)
                .setActiveCores(1).setIdleCores(6));
        Instant weekday = berlin("2025-06-06T12:00");
        Instant weekend = berlin("2025-06-07T12:00");

        // Outside the windows even an idle machine gives nothing.
        assertThat(r.allowance(weekday, AWAY).reason()).isEqualTo("outside the share windows");
        assertThat(r.allowance(weekday, ownerActive()).reason()).isEqualTo("outside the share windows");
        // In a window, the idle wait comes before the limits.
        assertThat(r.allowance(weekend, ownerIdleFor(Duration.ofMinutes(4))).reason()).contains("onlyAfterIdleMinutes");
        assertThat(r.allowance(weekend, ownerActive()).reason()).contains("onlyAfterIdleMinutes");
        // Then the idle limits, capped by the general cores.
        assertThat(r.allowance(weekend, AWAY)).extracting(Allowance::cores, Allowance::admitting).containsExactly(4, true);
    }

    @Test
    void defaultsAreHalfTheMachineAllTheTimeForEveryone() {
        ShareRules r = rules(new ShareRulesConfiguration());

        assertThat(r.cores()).isEqualTo(CORES / 2);
        assertThat(r.memoryMb()).isEqualTo(MEMORY_MB / 2);
        assertThat(r.cpuPercent()).isEqualTo(100);
        assertThat(r.windows()).isEmpty();
        assertThat(r.onlyAfterIdle()).isZero();
        assertThat(r.maxFragment()).isZero();
        assertThat(r.accepts(null, Set.of(), "any-harbor")).isTrue();
        assertThat(ShareRules.from(new ShareRulesConfiguration(), 1, 100).cores()).isEqualTo(1);
        assertThat(ShareRules.from(new ShareRulesConfiguration(), 1, 100).zone()).isEqualTo(ZoneId.systemDefault());
    }

    @ParameterizedTest(name = "account {0}, groups {1}, harbor {2}: {3}")
    @CsvSource({
            "alice,   '',          home,    true",
            "bob,     '',          home,    false",
            "bob,     friends,     home,    true",
            "bob,     'x,friends', home,    true",
            ",        '',          home,    false",   // no account: only a group can let it in
            ",        family,      home,    true",
            "alice,   '',          away,    false",   // an accepted account through a harbor not accepted
            "alice,   '',          work,    true",
    })
    void acceptLists(String account, String groups, String harbor, boolean accepted) {
        ShareRules r = rules(new ShareRulesConfiguration().setAcceptAccounts(List.of("alice")).setAcceptGroups(List.of("friends", "family"))
                .setAcceptHarbors(List.of("home", "work")));
        Set<String> g = groups.isEmpty() ? Set.of() : Set.of(groups.split(","));

        assertThat(r.accepts(account, g, harbor)).isEqualTo(accepted);
    }

    @Test
    void onlyHarborsRestrictedMeansEveryAccountThroughThoseHarbors() {
        ShareRules r = rules(new ShareRulesConfiguration().setAcceptHarbors(List.of("home")));

        assertThat(r.accepts("anyone", Set.of(), "home")).isTrue();
        assertThat(r.accepts("anyone", Set.of(), "elsewhere")).isFalse();
    }

    /** Minutes in [from, from + span) in which the rules admit, stepping one real minute at a time. */
    private static int realMinutesCovered(ShareRules r, Instant from, Duration span) {
        int n = 0;
        for (Instant t = from; t.isBefore(from.plus(span)); t = t.plusSeconds(60)) {
            n += admits(r, t) ? 1 : 0;
        }
        return n;
    }
}
