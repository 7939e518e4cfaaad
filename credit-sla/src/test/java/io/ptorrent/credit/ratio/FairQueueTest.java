package io.ptorrent.credit.ratio;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FairQueueTest {
    /** Fixed weights, normalised over the accounts with demand; weight 0 is share 0 (unless nobody has more). */
    private static final class Weights implements FairQueue.EntitlementSource {
        final Map<String, Double> weights = new HashMap<>();
        int calls;

        Weights with(String account, double weight) {
            weights.put(account, weight);
            return this;
        }

        @Override
        public Entitlements entitlements(Collection<String> withDemand) {
            calls++;
            double sum = withDemand.stream().mapToDouble(a -> weights.getOrDefault(a, 0.0)).sum();
            Map<String, Double> shares = new HashMap<>();
            for (String a : withDemand) {
                shares.put(a, sum > 0 ? weights.getOrDefault(a, 0.0) / sum : 1.0 / withDemand.size());
            }
            return new Entitlements(Instant.EPOCH, shares, 1);
        }
    }

    private record Job(String account, int n) {
    }

    @Test
    void servesAccountsInProportionToTheirShares() {
        FairQueue<Job> q = new FairQueue<>(new Weights().with("a", 1).with("b", 3));
        fill(q, "a", 1_000);
        fill(q, "b", 1_000);
        Map<String, Integer> served = new HashMap<>();
        for (int i = 0; i < 400; i++) {
            Job j = q.poll(x -> true);
            served.merge(j.account(), 1, Integer::sum);
            q.onCompleted(j.account(), 1.0);
        }
        assertThat(served.get("a")).isEqualTo(100);
        assertThat(served.get("b")).isEqualTo(300);
    }

    @Test
    void chargesMeasuredCostNotFragmentCount() {
        // Equal shares, but b's fragments cost four times as much: b gets a quarter as many fragments.
        FairQueue<Job> q = new FairQueue<>(new Weights().with("a", 1).with("b", 1));
        fill(q, "a", 1_000);
        fill(q, "b", 1_000);
        Map<String, Double> received = new HashMap<>();
        for (int i = 0; i < 500; i++) {
            Job j = q.poll(x -> true);
            double cost = j.account().equals("b") ? 4 : 1;
            received.merge(j.account(), cost, Double::sum);
            q.onCompleted(j.account(), cost);
        }
        assertThat(received.get("a") / received.get("b")).isBetween(0.95, 1.05);
    }

    @Test
    void aBurstOfPollsBeforeAnyCompletionIsSpreadByShare() {
        FairQueue<Job> q = new FairQueue<>(new Weights().with("a", 1).with("b", 1));
        fill(q, "a", 10);
        fill(q, "b", 10);
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            order.add(q.poll(x -> true).account());
        }
        assertThat(order).containsExactly("a", "b", "a", "b", "a", "b");
    }

    @Test
    void freeRiderRunsOnlyOnCapacityNobodyEntitledWants() {
        FairQueue<Job> q = new FairQueue<>(new Weights().with("giver", 1));
        fill(q, "rider", 3);
        // Alone, the free rider gets the grid (work-conserving).
        assertThat(q.poll(x -> true).account()).isEqualTo("rider");
        fill(q, "giver", 2);
        assertThat(q.entitlements().share("rider")).isZero();
        assertThat(q.poll(x -> true).account()).isEqualTo("giver");
        assertThat(q.poll(x -> true).account()).isEqualTo("giver");
        assertThat(q.poll(x -> true).account()).isEqualTo("rider");
        // No node accepts the giver's work: the rider's runs rather than leaving the node idle.
        fill(q, "giver", 1);
        assertThat(q.poll(j -> !j.account().equals("giver")).account()).isEqualTo("rider");
        assertThat(q.poll(j -> !j.account().equals("giver"))).isNull();
        assertThat(q.size()).isEqualTo(1);
        assertThat(q.size("giver")).isEqualTo(1);
    }

    @Test
    void anItemThatCannotRunDoesNotBlockTheOthers() {
        FairQueue<Job> q = new FairQueue<>(new Weights().with("a", 1).with("b", 1));
        q.add("a", new Job("a", 0));
        q.add("a", new Job("a", 1));
        q.add("b", new Job("b", 0));
        List<Integer> asked = new ArrayList<>();
        // a is served first (name breaks the tie); its head cannot run, its second item can.
        Job j = q.poll(x -> {
            asked.add(x.n());
            return !(x.account().equals("a") && x.n() == 0);
        });
        assertThat(j).isEqualTo(new Job("a", 1));
        assertThat(asked).containsExactly(0, 1);
        // Then b; a's first item kept its place.
        assertThat(q.poll(x -> true)).isEqualTo(new Job("b", 0));
        assertThat(q.poll(x -> true)).isEqualTo(new Job("a", 0));
        assertThat(q.poll(x -> true)).isNull();
    }

    @Test
    void anAccountBanksNoCreditWhileIdle() {
        FairQueue<Job> q = new FairQueue<>(new Weights().with("a", 1).with("b", 1));
        fill(q, "a", 1_000);
        for (int i = 0; i < 500; i++) {
            Job j = q.poll(x -> true);
            q.onCompleted(j.account(), 1);
        }
        // b arrives after a ran alone for 500 fragments: it gets its half from now on, not the next 500.
        fill(q, "b", 1_000);
        Map<String, Integer> served = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            Job j = q.poll(x -> true);
            served.merge(j.account(), 1, Integer::sum);
            q.onCompleted(j.account(), 1);
        }
        assertThat(served.get("a")).isBetween(49, 51);
    }

    @Test
    void removeSizeAndCompletionBookkeeping() {
        Weights w = new Weights().with("a", 1);
        FairQueue<Job> q = new FairQueue<>(w);
        assertThat(q.poll(x -> true)).isNull();
        q.add("a", new Job("a", 0));
        q.add("a", new Job("a", 1));
        assertThat(w.calls).isEqualTo(1);
        assertThat(q.accounts()).containsExactly("a");
        assertThat(q.remove("a", new Job("a", 0))).isTrue();
        assertThat(q.remove("a", new Job("a", 0))).isFalse();
        assertThat(q.remove("zz", new Job("a", 0))).isFalse();
        Job j = q.poll(x -> true);
        assertThat(q.size()).isZero();
        assertThat(q.accounts()).containsExactly("a");
        q.onCompleted("a", 0);
        assertThat(q.accounts()).isEmpty();
        q.onCompleted("a", 5);
        q.onCompleted("unknown", 5);
        assertThat(j.n()).isEqualTo(1);
        q.refresh();
        assertThat(q.entitlements()).isEqualTo(Entitlements.NONE);
        assertThatThrownBy(() -> q.onCompleted("a", -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> q.add("a", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void noItemIsLostOrHandedOutTwiceUnderRandomOperations() {
        Weights w = new Weights();
        for (int a = 0; a < 20; a++) {
            w.with("acc" + a, a % 4);
        }
        FairQueue<Job> q = new FairQueue<>(w);
        java.util.Random random = new java.util.Random(11);
        java.util.Set<Job> queued = new java.util.HashSet<>();
        List<Job> running = new ArrayList<>();
        int n = 0;
        for (int step = 0; step < 20_000; step++) {
            int op = random.nextInt(10);
            if (op < 4) {
                String a = "acc" + random.nextInt(20);
                Job j = new Job(a, n++);
                q.add(a, j);
                queued.add(j);
            } else if (op < 7) {
                int mod = 1 + random.nextInt(3);
                Job j = q.poll(x -> x.n() % mod == 0);
                if (j != null) {
                    assertThat(queued.remove(j)).isTrue();
                    running.add(j);
                } else {
                    assertThat(queued).noneMatch(x -> x.n() % mod == 0);
                }
            } else if (op < 9 && !running.isEmpty()) {
                Job j = running.remove(random.nextInt(running.size()));
                q.onCompleted(j.account(), random.nextDouble() * 3);
            } else if (op == 9 && !queued.isEmpty()) {
                Job j = queued.iterator().next();
                assertThat(q.remove(j.account(), j)).isTrue();
                queued.remove(j);
            } else {
                q.refresh();
            }
            assertThat(q.size()).isEqualTo(queued.size());
        }
        Job j;
        while ((j = q.poll(x -> true)) != null) {
            assertThat(queued.remove(j)).isTrue();
        }
        assertThat(queued).isEmpty();
    }

    private static void fill(FairQueue<Job> q, String account, int n) {
        for (int i = 0; i < n; i++) {
            q.add(account, new Job(account, i));
        }
    }
}
