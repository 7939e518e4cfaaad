package io.ptorrent.plugin.transport;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LinkDelayTest {
    @Test
    void unsetOrBlankIsOff() {
        assertThat(LinkDelay.parse(null)).isZero();
        assertThat(LinkDelay.parse(" ")).isZero();
        assertThat(LinkDelay.install(null, id -> null, true, 0)).isNull();
    }

    @Test
    void readsWholeMilliseconds() {
        assertThat(LinkDelay.parse("25")).isEqualTo(25);
        assertThat(LinkDelay.parse(" 10000 ")).isEqualTo(10_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "10001", "25ms", "2.5"})
    void refusesWhatIsNotADelay(String v) {
        assertThatThrownBy(() -> LinkDelay.parse(v)).isInstanceOf(PtorrentException.class)
                .satisfies(e -> assertThat(((PtorrentException) e).code()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessageContaining(LinkDelay.PROPERTY);
    }
}
