package io.ptorrent.plugin.sandbox;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.bundle.Bundle;
import io.ptorrent.client.bundle.BundleBuilder;
import io.ptorrent.client.bundle.BundleVerifier;
import io.ptorrent.client.bundle.BundleVerifier.Violation;
import io.ptorrent.plugin.sandbox.HostilePayloads.Payload;
import io.ptorrent.plugin.sandbox.HostilePayloads.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The verifier's verdict on every hostile payload, and the docs' table kept in step with the payloads. */
class HostilePayloadVerifierTest {
    private static final Path SECURITY_DOC = Path.of("..", "docs", "SECURITY.md");
    private static final String TABLE_START = "<!-- payload-table:start (generated from HostilePayloads; see HostilePayloadVerifierTest) -->\n";
    private static final String TABLE_END = "<!-- payload-table:end -->";

    static List<Payload> payloads() {
        return HostilePayloads.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    void verifierGivesTheExpectedVerdict(Payload payload, @TempDir Path dir) {
        Bundle bundle = BundleBuilder.forClosure(payload.closure().apply(Target.in(dir, 1, 1)));

        if (payload.rule() == null) {
            assertThatCode(() -> BundleVerifier.verify(bundle)).doesNotThrowAnyException();
            return;
        }
        List<Violation> violations = BundleVerifier.violations(bundle.classes());
        assertThat(violations).as("violations of %s", payload).anySatisfy(v -> {
            assertThat(v.rule()).isEqualTo(payload.rule());
            assertThat(v.reference()).contains(payload.reference());
            assertThat(v.className()).startsWith(payload.home().getName());
        });
        assertThatThrownBy(() -> BundleVerifier.verify(bundle)).isInstanceOfSatisfying(PtorrentException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BUNDLE_REJECTED);
            assertThat(e.getMessage()).startsWith(payload.home().getName()).contains(" references ", ": rule '");
        });
    }

    @Test
    void theSuiteIsBigEnough() {
        assertThat(payloads()).hasSizeGreaterThanOrEqualTo(40);
        assertThat(payloads().stream().map(Payload::home).distinct()).hasSizeGreaterThanOrEqualTo(12);
        assertThat(payloads().stream().map(Payload::toString)).doesNotHaveDuplicates();
    }

    /** Regenerate with {@code -Dptorrent.writeDocs=true}. */
    @Test
    void securityDocHoldsTheCurrentTable() throws IOException {
        String doc = Files.readString(SECURITY_DOC);
        int start = doc.indexOf(TABLE_START);
        int end = doc.indexOf(TABLE_END);
        assertThat(start).as("table markers in %s", SECURITY_DOC).isNotNegative();
        assertThat(end).isGreaterThan(start);
        String expected = HostilePayloads.markdownTable();
        if (Boolean.getBoolean("ptorrent.writeDocs")) {
            Files.writeString(SECURITY_DOC, doc.substring(0, start + TABLE_START.length()) + expected + doc.substring(end));
            return;
        }
        assertThat(doc.substring(start + TABLE_START.length(), end)).as("run with -Dptorrent.writeDocs=true to regenerate").isEqualTo(expected);
    }
}
