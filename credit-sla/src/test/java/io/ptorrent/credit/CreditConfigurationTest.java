package io.ptorrent.credit;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CreditConfigurationTest {
    @Test
    void defaultsAreSane() {
        CreditConfiguration c = new CreditConfiguration();
        assertThat(c.starterGrant()).isEqualTo(3_600_000);
        assertThat(c.maxAmount()).isGreaterThan(c.starterGrant());
        assertThat(c.dataRegion()).isNull();
        assertThat(c.sqlSchema()).isEqualTo("PTORRENT");
    }

    @Test
    void badOptionsNameTheField() {
        assertThatThrownBy(() -> new CreditConfiguration().setStarterGrant(-1)).isInstanceOfSatisfying(PtorrentException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID)).hasMessageContaining("starterGrant");
        assertThatThrownBy(() -> new CreditConfiguration().setMaxAmount(0)).hasMessageContaining("maxAmount");
        assertThatThrownBy(() -> new CreditConfiguration().setMaxBatch(0)).hasMessageContaining("maxBatch");
        assertThatThrownBy(() -> new CreditConfiguration().setTxTimeout(Duration.ZERO)).hasMessageContaining("txTimeout");
        assertThatThrownBy(() -> new CreditConfiguration().setLedgerCache("bad name")).hasMessageContaining("ledgerCache");
        assertThatThrownBy(() -> new CreditConfiguration().setSqlSchema("NO-DASH")).hasMessageContaining("sqlSchema");
    }

    @Test
    void valuesCheckTheirInvariants() {
        Instant t = Instant.EPOCH;
        assertThatThrownBy(() -> new Hold("t", "a", 10, 11, true, t)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Hold("t", "a", 0, 0, true, t)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Account("a", "A", SlaTier.FREE, t, 0, -1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Transfer(1, t, Transfer.Kind.GRANT, "grid", "a", -1, "k")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Transfer.escrowOf("task-1")).isEqualTo("escrow:task-1");
    }
}
