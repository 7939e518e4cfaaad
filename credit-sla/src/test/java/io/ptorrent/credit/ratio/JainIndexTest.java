package io.ptorrent.credit.ratio;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class JainIndexTest {
    @Test
    void oneWhenEqualOneOverNWhenOneTakesAll() {
        assertThat(JainIndex.of(2, 2, 2)).isCloseTo(1.0, within(1e-12));
        assertThat(JainIndex.of(5, 0, 0, 0)).isCloseTo(0.25, within(1e-12));
        assertThat(JainIndex.of(1, 2)).isCloseTo(0.9, within(1e-12));
        assertThat(JainIndex.of()).isNaN();
        assertThatThrownBy(() -> JainIndex.of(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
