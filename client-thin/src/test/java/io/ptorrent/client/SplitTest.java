package io.ptorrent.client;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** map and mapRange batch their input: at most the cap of parts, sizes within one of each other, nothing lost. */
class SplitTest {
    @ParameterizedTest
    @CsvSource({"1, 128", "7, 128", "128, 128", "129, 128", "1000, 128", "1000000001, 128", "5, 1", "9223372036854775807, 128"})
    void partsCoverEverythingAndDifferByAtMostOne(long size, int cap) {
        int parts = Split.parts(size, cap);
        assertThat(parts).isEqualTo((int) Math.min(size, cap));
        assertThat(Split.start(size, 0, parts)).isZero();
        assertThat(Split.start(size, parts, parts)).isEqualTo(size);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < parts; i++) {
            long n = Split.start(size, i + 1, parts) - Split.start(size, i, parts);
            min = Math.min(min, n);
            max = Math.max(max, n);
        }
        assertThat(min).isPositive();
        assertThat(max - min).isLessThanOrEqualTo(1);
    }
}
