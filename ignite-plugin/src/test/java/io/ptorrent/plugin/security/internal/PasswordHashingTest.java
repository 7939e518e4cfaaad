package io.ptorrent.plugin.security.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordHashingTest {
    @Test
    void aPasswordVerifiesAgainstItsSaltedArgon2idHashAndNothingElseDoes() {
        String h = PasswordHashing.hash("correct horse battery".toCharArray());

        assertThat(h).startsWith("$argon2id$v=19$m=" + PasswordHashing.MEMORY_KIB + ",t=" + PasswordHashing.ITERATIONS + ",p=" + PasswordHashing.PARALLELISM + "$");
        assertThat(PasswordHashing.verify("correct horse battery".toCharArray(), h)).isTrue();
        assertThat(PasswordHashing.verify("correct horse battery!".toCharArray(), h)).isFalse();
        // Salted: the same password hashes differently each time.
        assertThat(PasswordHashing.hash("correct horse battery".toCharArray())).isNotEqualTo(h);
    }

    @Test
    void aMalformedStoredHashNeverVerifies() {
        for (String bad : new String[] {null, "", "plain", "$argon2i$v=19$m=8,t=1,p=1$AAAA$AAAA", "$argon2id$v=19$m=x,t=1,p=1$AAAA$AAAA",
                "$argon2id$v=19$m=8,t=1,p=1$@@@$AAAA", "$argon2id$v=19$m=8,t=1,p=1$AAAA$"}) {
            assertThat(PasswordHashing.verify("pw".toCharArray(), bad)).as(String.valueOf(bad)).isFalse();
        }
    }
}
