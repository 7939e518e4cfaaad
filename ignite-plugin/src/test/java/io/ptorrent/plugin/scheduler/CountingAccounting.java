package io.ptorrent.plugin.scheduler;

import org.apache.ignite.cluster.ClusterNode;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** A {@link TaskAccounting} that counts what the scheduler told it, and what each node was paid for (harbor millis). */
final class CountingAccounting implements TaskAccounting {
    int reserved;
    int released;
    int accepted;
    int ended;
    /** Reservations allowed beyond which {@link #reserveFragment} says no (a small escrow). */
    int room = Integer.MAX_VALUE;
    final Map<UUID, Long> paidMillis = new HashMap<>();
    final Map<String, Integer> acceptedByFragment = new HashMap<>();

    @Override
    public void onAccepted(String taskId, String account, int fragments, long fragmentLimitMs) {
    }

    @Override
    public boolean reserveFragment(String taskId) {
        if (reserved - released - accepted >= room) {
            return false;
        }
        reserved++;
        return true;
    }

    @Override
    public void onFragmentReleased(String taskId) {
        released++;
    }

    @Override
    public void onFragmentAccepted(String taskId, int fragment, ClusterNode node, long harborMillis) {
        throw new AssertionError("the core reports acceptance through its Acceptance port");
    }

    void paid(String taskId, int fragment, UUID node, long harborMillis) {
        accepted++;
        acceptedByFragment.merge(taskId + "/" + fragment, 1, Integer::sum);
        paidMillis.merge(node, harborMillis, Long::sum);
    }

    /** Reservations still open: neither accepted nor released. */
    int open() {
        return reserved - released - accepted;
    }

    @Override
    public CompletableFuture<Long> onTaskEnded(String taskId) {
        ended++;
        return CompletableFuture.completedFuture(0L);
    }
}
