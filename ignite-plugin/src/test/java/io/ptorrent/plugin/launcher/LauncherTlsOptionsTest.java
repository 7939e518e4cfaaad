package io.ptorrent.plugin.launcher;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command of {@code bin/ptorrent} that talks to a harbor's thin-client port ({@code --harbor}) speaks TLS the
 * same way ({@code --tls-trust}, {@code --no-tls}). Regression: {@code bin/ptorrent account ...} had no TLS and could
 * not reach a default harbor, whose every port speaks TLS ("Channel is closed").
 */
class LauncherTlsOptionsTest {
    @Test
    void everyCommandWithAHarborAddressHasTheTlsOptions() {
        List<String> checked = new ArrayList<>();
        walk(new CommandLine(new Launcher()), checked);
        assertThat(checked).as("commands with --harbor").contains("ptorrent account key create", "ptorrent balance", "ptorrent submit");
    }

    private static void walk(CommandLine cmd, List<String> checked) {
        CommandLine.Model.CommandSpec spec = cmd.getCommandSpec();
        if (spec.findOption("--harbor") != null) {
            checked.add(spec.qualifiedName());
            assertThat(spec.findOption("--tls-trust")).as(spec.qualifiedName() + " --tls-trust").isNotNull();
            assertThat(spec.findOption("--no-tls")).as(spec.qualifiedName() + " --no-tls").isNotNull();
        }
        cmd.getSubcommands().values().forEach(sub -> walk(sub, checked));
    }
}
