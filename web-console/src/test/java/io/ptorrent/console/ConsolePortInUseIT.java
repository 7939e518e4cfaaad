package io.ptorrent.console;

import io.ptorrent.plugin.testing.TestGrid;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** A harbor whose console port is taken does not start, and says which port and which option. */
class ConsolePortInUseIT {
    private static final int BASE_PORT = 49530;
    private static final int CONSOLE_PORT = BASE_PORT + 300;

    @Test
    void aTakenPortFailsTheHarborsStart() throws IOException {
        try (ServerSocket taken = new ServerSocket(CONSOLE_PORT, 1, InetAddress.getByName("127.0.0.1"));
             TestGrid grid = new TestGrid(BASE_PORT)) {
            int port = taken.getLocalPort();
            Throwable failure = catchThrowable(() -> grid.startHarbor("h1", false, c -> c.setConsolePort(port)));

            assertThat(failure).isNotNull();
            // What Ignition.start throws is what a launcher prints: the code, the port and the option must be in it.
            assertThat(failure.getMessage())
                    .contains("PORT_IN_USE", "port " + port, "PtorrentPluginConfiguration.consolePort", "--console-port");
            assertThat(grid.node("h1")).isNull();
        }
    }
}
