package io.ptorrent.plugin.sandbox;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The "no process left" check of the sandbox tests, with a warm pool: this JVM's only descendants are the
 * runners' own processes (idle workers, the throttle's shell), each a direct child, so that nothing a
 * closure started lives on. Shared through the test-jar (the grid ITs use it too).
 */
public final class PoolProcesses {
    private PoolProcesses() {
    }

    /** Waits briefly (a spare may be starting, a killed worker ending) until only the runners' processes are left. */
    public static void assertOnlyThePool(SandboxRunner... runners) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<ProcessHandle> descendants = ProcessHandle.current().descendants().toList();
            Set<Long> own = new HashSet<>();
            for (SandboxRunner r : runners) {
                own.addAll(r.workerPids());
            }
            long me = ProcessHandle.current().pid();
            assertThat(descendants).as("processes under this JVM, beside the sandbox's own %s", own)
                    .allMatch(p -> own.contains(p.pid()) && p.parent().map(ProcessHandle::pid).orElse(-1L) == me);
        });
    }
}
