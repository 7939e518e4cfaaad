package io.ptorrent.plugin.transport;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.PtorrentClientOptions;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.plugin.PtorrentPluginConfiguration;
import io.ptorrent.plugin.testing.TestGrid;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import marshaltest.Sums;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A harbor with TLS on loopback: a contributor that trusts the grid's CA joins and runs a fragment that a thin
 * client over TLS submitted; a node without TLS, or one that trusts another CA, cannot join; a thin client over
 * plain TCP, or one that trusts another CA, cannot connect.
 */
class TlsGridIT {
    private static final int BASE_PORT = 52400;
    private static final int SPAN = 30;

    @TempDir
    static Path dir;
    private static TestGrid grid;
    private static Ignite harbor;
    private static Path ca;
    private static Path otherCa;

    @BeforeAll
    static void startGrid() {
        TlsConfiguration tls = DevCertificates.ensure(dir.resolve("grid"));
        ca = Path.of(tls.getTrustedCertificates());
        otherCa = Path.of(DevCertificates.ensure(dir.resolve("other")).getTrustedCertificates());
        grid = new TestGrid(BASE_PORT, SPAN);
        harbor = grid.startHarbor("harbor", false, c -> c.setConsolePort(0).setTls(tls));
        grid.startContributor("alice", c -> c.setSharedCores(1).setTls(new TlsConfiguration().setTrustedCertificates(ca.toString())));
    }

    @AfterAll
    static void stopGrid() {
        if (grid != null) {
            grid.close();
        }
    }

    @Test
    void aContributorThatTrustsTheCaJoinsAndRunsAFragmentSubmittedOverTls() {
        assertThat(harbor.cluster().forClients().nodes()).hasSize(1);
        try (PtorrentClient client = PtorrentClient.connect(grid.clientOptions("tester").tlsTrust(ca))) {
            assertThat(client.submit(Sums.sum(6, 7)).get()).isEqualTo(13);
        }
    }

    @Test
    void theDevelopmentKeysAreTheOwnersOnlyAndAreMadeOnce() throws Exception {
        Path d = dir.resolve("grid");
        assertThat(Files.getPosixFilePermissions(d.resolve(DevCertificates.HARBOR_KEY))).extracting(Enum::name).containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
        assertThat(Files.getPosixFilePermissions(d.resolve(DevCertificates.CA_KEY))).extracting(Enum::name).containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
        String before = Files.readString(d.resolve(DevCertificates.CA));
        DevCertificates.ensure(d);
        assertThat(Files.readString(d.resolve(DevCertificates.CA))).isEqualTo(before);
    }

    @Test
    void aNodeWithoutTlsCannotJoin() {
        assertThatThrownBy(() -> Ignition.start(contributor("plain", null)))
                .hasStackTraceContaining("Unable to establish secure connection");
        assertThat(harbor.cluster().forClients().nodes()).hasSize(1);
    }

    @Test
    void aNodeThatTrustsAnotherCaCannotJoin() {
        assertThatThrownBy(() -> Ignition.start(contributor("stranger", new TlsConfiguration().setTrustedCertificates(otherCa.toString()))))
                .hasStackTraceContaining("Unable to establish secure connection");
        assertThat(harbor.cluster().forClients().nodes()).hasSize(1);
    }

    @Test
    void aThinClientOverPlainTcpIsRefused() {
        assertThatThrownBy(() -> PtorrentClient.connect(new PtorrentClientOptions().addresses(grid.thinClientAddress())).close())
                .isInstanceOfSatisfying(PtorrentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_FAILED));
    }

    @Test
    void aThinClientThatTrustsAnotherCaIsRefused() {
        assertThatThrownBy(() -> PtorrentClient.connect(new PtorrentClientOptions().addresses(grid.thinClientAddress()).tlsTrust(otherCa)).close())
                .isInstanceOfSatisfying(PtorrentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_FAILED));
    }

    /** A contributor of this grid's ports that gives up joining after a few seconds (TestGrid's would wait for ever). */
    private static IgniteConfiguration contributor(String name, TlsConfiguration tls) {
        TcpDiscoverySpi disco = new TcpDiscoverySpi().setLocalAddress("127.0.0.1").setJoinTimeout(5_000)
                .setIpFinder(new TcpDiscoveryVmIpFinder().setAddresses(List.of("127.0.0.1:" + BASE_PORT + ".." + (BASE_PORT + 9))));
        return new IgniteConfiguration().setIgniteInstanceName(name).setClientMode(true).setMetricsLogFrequency(0)
                .setWorkDirectory(dir.resolve(name).toString())
                .setDiscoverySpi(disco).setCommunicationSpi(new TcpCommunicationSpi().setLocalAddress("127.0.0.1"))
                .setPluginConfigurations(new PtorrentPluginConfiguration().setRole("contributor").setSharedCores(1).setTls(tls));
    }
}
