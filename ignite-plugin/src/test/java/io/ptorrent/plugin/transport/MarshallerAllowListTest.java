package io.ptorrent.plugin.transport;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MarshallerAllowListTest {
    @Test
    void aFilterThatAcceptsAnyClassStopsAHarbor() {
        assertThatThrownBy(() -> MarshallerAllowList.requireInForce(name -> true))
                .isInstanceOfSatisfying(PtorrentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessageContaining("IGNITE_MARSHALLER_WHITELIST");
        assertThatThrownBy(() -> MarshallerAllowList.requireInForce(null)).isInstanceOf(PtorrentException.class);
    }

    @Test
    void aListWithoutPtorrentsClassesStopsAHarbor() {
        assertThatThrownBy(() -> MarshallerAllowList.requireInForce(name -> name.startsWith("java.")))
                .isInstanceOfSatisfying(PtorrentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID));
    }

    @Test
    void everyClassOnTheListExists() throws Exception {
        try (InputStream in = MarshallerAllowList.class.getClassLoader().getResourceAsStream(MarshallerAllowList.RESOURCE)) {
            assertThat(in).isNotNull();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String name = line.trim();
                if (!name.isEmpty() && !name.startsWith("#")) {
                    assertThat(name).doesNotEndWith("*");
                    // A renamed class would silently drop off the list and be refused between nodes.
                    Class.forName(name, false, MarshallerAllowList.class.getClassLoader());
                }
            }
        }
    }
}
