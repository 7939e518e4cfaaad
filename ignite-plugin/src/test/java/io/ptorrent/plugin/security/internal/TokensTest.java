package io.ptorrent.plugin.security.internal;

import io.ptorrent.plugin.security.CredentialKind;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TokensTest {
    @Test
    void aTokenNamesItsKindAndIdAndItsSecretHashesToWhatIsStored() {
        String id = Tokens.newId();
        String secret = Tokens.newSecret();
        String token = Tokens.format(CredentialKind.JOIN, id, secret);

        Tokens.Parsed p = Tokens.parse(token);
        assertThat(p).isEqualTo(new Tokens.Parsed(CredentialKind.JOIN, id, secret));
        assertThat(token).startsWith("ptj.");
        assertThat(Tokens.matches(Tokens.sha256Hex(secret), p.secret())).isTrue();
        assertThat(Tokens.matches(Tokens.sha256Hex(secret), secret.substring(1) + "A")).isFalse();
        assertThat(Tokens.matches("not hex", secret)).isFalse();
    }

    @Test
    void anythingThatIsNotATokenParsesToNull() {
        for (String s : new String[] {null, "", "a password", "ptk.0123456789abcdef", "ptx.0123456789abcdef." + "A".repeat(43),
                "ptk.0123456789ABCDEF." + "A".repeat(43), "ptk.0123456789abcdef." + "A".repeat(42)}) {
            assertThat(Tokens.parse(s)).as(String.valueOf(s)).isNull();
        }
    }

    @Test
    void secretsAre256RandomBits() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String s = Tokens.newSecret();
            assertThat(java.util.Base64.getUrlDecoder().decode(s)).hasSize(32);
            assertThat(seen.add(s)).isTrue();
        }
    }
}
