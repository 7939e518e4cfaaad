package io.ptorrent.plugin.share;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Share rules as JSON (the REST body, the saved file) and the store that keeps the last good rules. */
class ShareRulesJsonTest {
    private static final int CORES = 4;
    private static final long MEMORY_MB = 8192;

    @TempDir
    Path dir;

    private final ShareRulesStore store = new ShareRulesStore(CORES, MEMORY_MB);

    private static ShareRules sample() {
        return ShareRules.from(new ShareRulesConfiguration().setCores(3).setCpuPercent(80).setMemoryMb(2048).setTimeZone("Europe/Berlin")
                .setWindows(List.of("Mon-Fri 22:00-07:00", "Sat-Sun", "Wed 12:00-13:30")).setActiveCores(1).setActiveCpuPercent(30)
                .setOnlyAfterIdleMinutes(5).setMaxFragmentSeconds(600).setAcceptAccounts(List.of("alice")).setAcceptGroups(List.of("friends"))
                .setAcceptHarbors(List.of("home")), CORES, MEMORY_MB);
    }

    @Test
    void rulesSurviveARoundTripThroughJson() {
        ShareRules rules = sample();

        ShareRules back = ShareRules.fromJson(rules.toJson(), CORES, MEMORY_MB);

        assertThat(back).isEqualTo(rules);
        assertThat(rules.toJson()).contains("\"windows\":[\"Mon,Tue,Wed,Thu,Fri 22:00-07:00\",\"Sat,Sun\",\"Wed 12:00-13:30\"]")
                .contains("\"timeZone\":\"Europe/Berlin\"");
    }

    @Test
    void aPartialJsonTakesTheDefaultsForTheRest() {
        ShareRules r = ShareRules.fromJson("{\"cores\":1,\"windows\":[\"Sat-Sun\"],\"timeZone\":\"UTC\"}", CORES, MEMORY_MB);

        assertThat(r.cores()).isEqualTo(1);
        assertThat(r.memoryMb()).isEqualTo(MEMORY_MB / 2);
        assertThat(r.windows()).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"corez\":2}                      | shareRules.corez: is not a share rule; known: acceptAccounts, acceptGroups, acceptHarbors, activeCores",
            "{\"cores\":\"two\"}                | shareRules.cores: 'two' is not a whole number",
            "{\"cores\":null}                   | shareRules.cores: has the wrong type or is null",
            "{\"windows\":[\"Sat\",\"Sonday\"]} | shareRules.windows[1]: 'Sonday': 'Sonday' is not a day",
            "{\"cpuPercent\":0}                 | shareRules.cpuPercent: 0 is not a percentage between 1 and 100",
            "{\"cores\":2,                      | shareRules: not valid JSON at line 1, column",
            "[1,2]                              | shareRules: must be a JSON object of share rules",
            "null                               | shareRules: is null; send a JSON object of share rules",
    })
    void badJsonNamesTheField(String json, String message) {
        assertThatThrownBy(() -> ShareRules.fromJson(json, CORES, MEMORY_MB))
                .isInstanceOfSatisfying(PtorrentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessageStartingWith(message);
    }

    @Test
    void theStoreSavesAndLoadsTheRules() {
        Path file = dir.resolve("node/share-rules.json");
        ShareRules rules = sample();

        store.save(file, rules);

        assertThat(store.load(file)).contains(rules);
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file); // no temp file left behind
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void savingAgainReplacesTheRules() {
        Path file = dir.resolve("share-rules.json");
        store.save(file, sample());
        ShareRules fewer = ShareRules.from(new ShareRulesConfiguration().setCores(1).setTimeZone("UTC"), CORES, MEMORY_MB);

        store.save(file, fewer);

        assertThat(store.load(file)).contains(fewer);
    }

    @Test
    void noFileMeansNoSavedRules() {
        assertThat(store.load(dir.resolve("absent.json"))).isEmpty();
    }

    @Test
    void aBadFileNamesTheFileAndTheFieldAndIsLeftForItsOwner() throws IOException {
        Path file = Files.writeString(dir.resolve("share-rules.json"), "{\"cores\":2,\"windows\":[\"Mon-Fry 22:00-07:00\"]}");
        ShareRules lastGood = sample();
        ShareRules current = lastGood;

        try {
            current = store.load(file).orElse(current);
        } catch (PtorrentException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
            assertThat(e.getMessage()).isEqualTo("share rules file '" + file + "': shareRules.windows[0]: 'Mon-Fry 22:00-07:00': 'Fry' is not a day (Mon, Tue, Wed, Thu, Fri, Sat, Sun)");
        }

        assertThat(current).isSameAs(lastGood);
        assertThat(Files.readString(file)).contains("Mon-Fry");
    }
}
