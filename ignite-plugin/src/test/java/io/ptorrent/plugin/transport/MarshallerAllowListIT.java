package io.ptorrent.plugin.transport;

import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.PtorrentClientOptions;
import io.ptorrent.plugin.testing.TestGrid;
import marshaltest.Gadget;
import marshaltest.SendGadget;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteSystemProperties;
import org.apache.ignite.internal.IgniteEx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import marshaltest.Sums;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The harbor's marshaller allow-list on real nodes: a contributor that sends the harbor an object of a class
 * on no list (a job here) gets it refused, and the harbor never deserializes it; fragments still flow.
 * {@link marshaltest.Gadget} counts its deserializations and runs in this (the harbor's) JVM.
 */
class MarshallerAllowListIT {
    private static final int BASE_PORT = 52500;
    private static final int SPAN = 30;
    private static TestGrid grid;
    private static Ignite harbor;

    @BeforeAll
    static void startGrid() {
        grid = new TestGrid(BASE_PORT, SPAN);
        harbor = grid.startHarbor("harbor");
        grid.startContributor("alice", 1);
    }

    @AfterAll
    static void stopGrid() {
        if (grid != null) {
            grid.close();
        }
    }

    @Test
    void thePluginPutItsListInForceBeforeTheHarborBuiltItsFilter() {
        assertThat(System.getProperty(IgniteSystemProperties.IGNITE_MARSHALLER_WHITELIST)).isEqualTo(MarshallerAllowList.RESOURCE);
        assertThat(((IgniteEx) harbor).context().marshallerContext().classNameFilter().apply(Gadget.class.getName())).isFalse();
    }

    @Test
    void anObjectOfAnUnlistedClassFromAContributorIsRefusedAndNeverDeserializedOnTheHarbor() throws Exception {
        // The sender runs in a JVM of its own: see SendGadget.
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("--add-opens") || a.startsWith("-D")).toList());
        cmd.addAll(List.of("-Xmx256m", "-cp", System.getProperty("java.class.path"), SendGadget.class.getName(), String.valueOf(BASE_PORT),
                grid.joinTokenFile("gadget-sender", "mallory").toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();

        // Two layers refuse it, and the first to see it wins: the harbor's firewall drops a job request from a client node
        // (and fails the node) before Ignite reads its payload; the allow-list refuses the class in a message the firewall passes.
        assertThat(out).contains("REFUSED:").doesNotContain("RAN:")
                .containsAnyOf("Deserialization of class " + Gadget.class.getName() + " is disallowed", "ptorrent firewall");
        assertThat(Gadget.READS).hasValue(0);
        assertThat(Gadget.CALLS).hasValue(0);
    }

    @Test
    void theFragmentPathStillWorks() {
        try (PtorrentClient client = PtorrentClient.connect(grid.clientOptions("tester"))) {
            assertThat(client.submit(Sums.sum(2, 3)).get()).isEqualTo(5);
        }
    }
}
