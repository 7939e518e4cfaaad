package io.ptorrent.plugin.share;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Every field's bad values: CONFIG_INVALID, the field's name, the bad value and what is allowed. */
class ShareRulesValidationTest {
    private static final int CORES = 4;
    private static final long MEMORY_MB = 8192;

    static Stream<Arguments> badRules() {
        return Stream.of(
                bad("cores above the machine's", c -> c.setCores(5), "shareRules.cores: 5 is not between 0 and the machine's 4 cores (-1 shares half)"),
                bad("cores below -1", c -> c.setCores(-2), "shareRules.cores: -2 is not between 0 and the machine's 4 cores (-1 shares half)"),
                bad("memory above the machine's", c -> c.setMemoryMb(9000), "shareRules.memoryMb: 9000 MiB is not between 16 and the machine's 8192 MiB (-1 shares half)"),
                bad("memory too small", c -> c.setMemoryMb(8), "shareRules.memoryMb: 8 MiB is not between 16 and the machine's 8192 MiB (-1 shares half)"),
                bad("cpuPercent 0", c -> c.setCpuPercent(0), "shareRules.cpuPercent: 0 is not a percentage between 1 and 100"),
                bad("cpuPercent 101", c -> c.setCpuPercent(101), "shareRules.cpuPercent: 101 is not a percentage between 1 and 100"),
                bad("a misspelt day", c -> c.setWindows(List.of("Sat-Sun", "Mon-Fry 22:00-07:00")),
                        "shareRules.windows[1]: 'Mon-Fry 22:00-07:00': 'Fry' is not a day (Mon, Tue, Wed, Thu, Fri, Sat, Sun)"),
                bad("times before days", c -> c.setWindows(List.of("22:00-07:00 Mon")),
                        "shareRules.windows[0]: '22:00-07:00 Mon' is not a window; write days then an optional time range, e.g. 'Mon-Fri 22:00-07:00' or 'Sat-Sun'"),
                bad("only times", c -> c.setWindows(List.of("22:00-07:00")),
                        "shareRules.windows[0]: '22:00-07:00': '22:00' is not a day (Mon, Tue, Wed, Thu, Fri, Sat, Sun); put the days first, then the times"),
                bad("hour 25", c -> c.setWindows(List.of("Mon 22:00-25:00")), "shareRules.windows[0]: 'Mon 22:00-25:00': '25:00' is not a time (HH:mm, 00:00-24:00)"),
                bad("24:30", c -> c.setWindows(List.of("Mon 22:00-24:30")), "shareRules.windows[0]: 'Mon 22:00-24:30': '24:30' is not a time (HH:mm, 00:00-24:00)"),
                bad("no minutes", c -> c.setWindows(List.of("Mon 9-17")), "shareRules.windows[0]: 'Mon 9-17': '9' is not a time (HH:mm, 00:00-24:00)"),
                bad("a start without an end", c -> c.setWindows(List.of("Mon 22:00")),
                        "shareRules.windows[0]: 'Mon 22:00' is not a window; write days then an optional time range, e.g. 'Mon-Fri 22:00-07:00' or 'Sat-Sun'"),
                bad("an empty window", c -> c.setWindows(List.of("Mon 10:00-10:00")),
                        "shareRules.windows[0]: 'Mon 10:00-10:00': starts and ends at 10:00; leave out the times for whole days"),
                bad("starting at 24:00", c -> c.setWindows(List.of("Mon 24:00-02:00")),
                        "shareRules.windows[0]: 'Mon 24:00-02:00': a window cannot start at 24:00; start at 00:00 of the next day"),
                bad("a blank window", c -> c.setWindows(List.of(" ")), "shareRules.windows[0]: is empty; write e.g. 'Mon-Fri 22:00-07:00' or 'Sat-Sun' (whole days)"),
                bad("a null window", c -> c.setWindows(Arrays.asList("Sat", null)), "shareRules.windows[1]: is empty; write e.g. 'Mon-Fri 22:00-07:00' or 'Sat-Sun' (whole days)"),
                bad("a three-day range", c -> c.setWindows(List.of("Mon-Wed-Fri")), "shareRules.windows[0]: 'Mon-Wed-Fri': 'Mon-Wed-Fri' is not a day or a range of days (e.g. 'Mon-Fri')"),
                bad("an unknown time zone", c -> c.setTimeZone("Europe/Berln"),
                        "shareRules.timeZone: 'Europe/Berln' is not a time zone; use an IANA id such as 'Europe/Berlin' (leave it out for the machine's)"),
                bad("activeCores above the machine's", c -> c.setActiveCores(5), "shareRules.activeCores: 5 is not between 0 and the machine's 4 cores"),
                bad("activeCores negative", c -> c.setActiveCores(-1), "shareRules.activeCores: -1 is not between 0 and the machine's 4 cores"),
                bad("activeCpuPercent 0", c -> c.setActiveCpuPercent(0), "shareRules.activeCpuPercent: 0 is not a percentage between 1 and 100"),
                bad("idleCores above the machine's", c -> c.setIdleCores(9), "shareRules.idleCores: 9 is not between 0 and the machine's 4 cores"),
                bad("idleCpuPercent 200", c -> c.setIdleCpuPercent(200), "shareRules.idleCpuPercent: 200 is not a percentage between 1 and 100"),
                bad("onlyAfterIdleMinutes negative", c -> c.setOnlyAfterIdleMinutes(-1), "shareRules.onlyAfterIdleMinutes: -1 is not between 0 (share at once) and 10080 (a week)"),
                bad("onlyAfterIdleMinutes over a week", c -> c.setOnlyAfterIdleMinutes(10081), "shareRules.onlyAfterIdleMinutes: 10081 is not between 0 (share at once) and 10080 (a week)"),
                bad("maxFragmentSeconds negative", c -> c.setMaxFragmentSeconds(-5), "shareRules.maxFragmentSeconds: -5 is not between 0 (no limit of its own) and 604800 (a week)"),
                bad("an account with a space", c -> c.setAcceptAccounts(List.of("alice", "bob smith")),
                        "shareRules.acceptAccounts[1]: 'bob smith'; names are 1-64 letters, digits, '.', '_' or '-'"),
                bad("an empty group", c -> c.setAcceptGroups(List.of("")), "shareRules.acceptGroups[0]: ''; names are 1-64 letters, digits, '.', '_' or '-'"),
                bad("a null harbor", c -> c.setAcceptHarbors(Arrays.asList((String) null)), "shareRules.acceptHarbors[0]: is missing; names are 1-64 letters, digits, '.', '_' or '-'"));
    }

    private static Arguments bad(String what, UnaryOperator<ShareRulesConfiguration> change, String message) {
        return arguments(what, change, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRules")
    void aBadFieldIsNamedWithItsValue(String what, UnaryOperator<ShareRulesConfiguration> change, String message) {
        ShareRulesConfiguration cfg = change.apply(new ShareRulesConfiguration().setTimeZone("UTC"));

        assertThatThrownBy(() -> ShareRules.from(cfg, CORES, MEMORY_MB))
                .isInstanceOfSatisfying(PtorrentException.class, e -> org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessage(message);
    }
}
