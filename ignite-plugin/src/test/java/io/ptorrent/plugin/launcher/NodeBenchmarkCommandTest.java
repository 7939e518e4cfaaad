package io.ptorrent.plugin.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bin/ptorrent node --benchmark}: one JSON line on stdout, exit 0, no node started, no config read. */
class NodeBenchmarkCommandTest {
    @Test
    void printsOneJsonLineWithTheScoresAndExitsZero() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        // A config that does not exist: --benchmark must not read it.
        int status = Launcher.run(new PrintWriter(out), new PrintWriter(err), "node", "--benchmark", "--config", "no-such-file.xml");

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString().lines()).hasSize(1);
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("puScore").asDouble()).isPositive();
        assertThat(json.get("puPerCore").asDouble()).isPositive();
        assertThat(json.get("cores").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(json.get("kernels").get("integer").asDouble()).isPositive();
        assertThat(json.get("kernels").get("floatingPoint").asDouble()).isPositive();
        assertThat(json.get("kernels").get("memory").asDouble()).isPositive();
        assertThat(json.get("millis").isIntegralNumber()).isTrue();
        assertThat(err.toString()).isEmpty();
    }
}
