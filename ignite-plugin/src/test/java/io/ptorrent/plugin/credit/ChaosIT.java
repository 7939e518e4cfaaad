package io.ptorrent.plugin.credit;

import io.ptorrent.plugin.testing.ChaosRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A short chaos run (the full ones are {@code bench/run chaos}): two harbors in separate JVMs, two contributors,
 * contributors killed with SIGKILL mid-task, one harbor killed and started again while the other serves, one
 * submitter that disconnects mid-task; the ledger is checked all the while and at the end ({@link ChaosRun}
 * says what each figure means). Ports 52800–52821.
 */
class ChaosIT {
    @TempDir
    Path work;

    @Test
    void contributorAndHarborKillsLoseNoFragmentAndMoveNoCredit() {
        // Small on purpose (2 contributors, 3 kills): seven JVMs on two cores; bench/run chaos runs the long ones.
        ChaosRun.Report r = ChaosRun.run(new ChaosRun.Plan(52800, work, 2, 1, 3, 3, 300, 3, 1, 1, 9L));

        assertThat(r.violations()).as(r.toString()).isEmpty();
        assertThat(r.fragmentsLost()).as("fragments lost").isZero();
        assertThat(r.paidTwice()).as("fragments paid twice").isZero();
        assertThat(r.sumDrift()).as("drift of Σ balances + held beyond grants").isZero();
        assertThat(r.negativeBalances()).as("accounts below zero").isZero();
        assertThat(r.ledgerMismatches()).isZero();
        assertThat(r.stuckTasks()).isZero();
        assertThat(r.orphanWorkers()).isZero();
        // The faults happened, mid-task, and the ledger was read while they did.
        assertThat(r.kills()).isEqualTo(3);
        assertThat(r.restarts()).isEqualTo(1);
        assertThat(r.disconnects()).isEqualTo(1);
        assertThat(r.checks()).isPositive();
        assertThat(r.accepted()).isPositive();
    }
}
