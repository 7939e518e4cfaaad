package io.ptorrent.plugin.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input to the launcher: exit status 2 and a message that names the file, port or option. */
class LauncherConfigErrorsTest {
    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int launch(String... args) {
        return Launcher.run(new PrintWriter(new StringWriter()), new PrintWriter(err), args);
    }

    @Test
    void aConfigThatDoesNotExistExitsWith2AndNamesTheFile() {
        Path missing = dir.resolve("nope.xml");

        assertThat(launch("harbor", "--config", missing.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("CONFIG_INVALID").contains(missing.toString()).contains("does not exist");
    }

    @Test
    void aConfigThatDoesNotParseExitsWith2AndSaysWhatIsWrong() throws IOException {
        Path broken = Files.writeString(dir.resolve("broken.xml"), "<beans><bean class=\"org.apache.ignite.configuration.IgniteConfiguration\">\n<property name=");

        assertThat(launch("node", "--config", broken.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("CONFIG_INVALID").contains(broken.toString()).contains("not a valid Ignite Spring XML config");
    }

    @Test
    void aConfigWithAnUnknownPropertyExitsWith2AndNamesTheProperty() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad-property.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <beans xmlns="http://www.springframework.org/schema/beans"
                       xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                       xsi:schemaLocation="http://www.springframework.org/schema/beans http://www.springframework.org/schema/beans/spring-beans.xsd">
                  <bean class="org.apache.ignite.configuration.IgniteConfiguration">
                    <property name="clientMode" value="true"/>
                    <property name="sharedCoresTypo" value="3"/>
                  </bean>
                </beans>
                """);

        assertThat(launch("node", "--config", bad.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(bad.toString()).contains("sharedCoresTypo");
    }

    @Test
    void aHouseholdConfigGivenToHarborExitsWith2() {
        assertThat(launch("harbor", "--config", projectFile("config/household-node.xml").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("clientMode=true");
    }

    @Test
    void aPortInUseExitsWith2AndNamesThePortAndTheOption() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();

            int status = launch("harbor", "--config", projectFile("config/harbor.xml").toString(), "--work-dir", dir.toString(),
                    "--discovery-port", "48960", "--communication-port", "48961", "--thin-port", "48962", "--console-port", String.valueOf(port));

            assertThat(status).isEqualTo(2);
            assertThat(err.toString()).contains("PORT_IN_USE").contains("port " + port).contains("--console-port");
        }
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        assertThat(launch("harbor", "--no-such-option")).isEqualTo(2);
        assertThat(err.toString()).contains("--no-such-option");
    }

    /** A file of the repository, found from this module's directory. */
    private static Path projectFile(String relative) {
        Path p = Path.of("..").resolve(relative);
        assertThat(p).exists();
        return p;
    }
}
