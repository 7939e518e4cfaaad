package io.ptorrent.plugin.admission;

import org.apache.ignite.compute.ComputeJob;
import org.apache.ignite.compute.ComputeJobContext;
import org.apache.ignite.compute.ComputeTaskSession;
import org.apache.ignite.spi.collision.CollisionContext;
import org.apache.ignite.spi.collision.CollisionJobContext;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order in which a contributor starts waiting fragments: by the entitlement of their account, arrival
 * order among equals. (How many run is shown on real nodes in AdmissionIT; here only the policy's order,
 * on the collision SPI's own context types.)
 */
class AdmissionOrderTest {
    @Test
    void waitingFragmentsStartByTheirAccountsShareThenByArrival() {
        AdmissionCollisionSpi spi = new AdmissionCollisionSpi(2);
        List<String> started = new ArrayList<>();
        Job freeRider = new Job(started, "free rider", 0.0, false);
        Job small = new Job(started, "1/7", 1.0 / 7, false);
        Job big = new Job(started, "4/7", 4.0 / 7, false);
        Job smallLater = new Job(started, "1/7 later", 1.0 / 7, false);

        spi.onCollision(new Context(List.of(), List.of(freeRider, small, big, smallLater)));

        assertThat(started).containsExactly("4/7", "1/7");
    }

    @Test
    void controlJobsStartEvenWhenNothingIsShared() {
        AdmissionCollisionSpi spi = new AdmissionCollisionSpi(0);
        List<String> started = new ArrayList<>();
        Job work = new Job(started, "work", 0.5, false);
        Job control = new Job(started, "rules", 0, true);

        spi.onCollision(new Context(List.of(), List.of(work, control)));

        assertThat(started).containsExactly("rules");
        assertThat(work.cancelled).isTrue();
    }

    /** A waiting job as Ignite's job processor shows it to the SPI: activating it records the order. */
    private static final class Job implements CollisionJobContext {
        final List<String> started;
        final String name;
        final ComputeJob job;
        boolean cancelled;

        Job(List<String> started, String name, double share, boolean exempt) {
            this.started = started;
            this.name = name;
            this.job = exempt ? new ControlJob() : new Fragment(share);
        }

        @Override
        public ComputeTaskSession getTaskSession() {
            return null;
        }

        @Override
        public ComputeJobContext getJobContext() {
            return null;
        }

        @Override
        public ComputeJob getJob() {
            return job;
        }

        @Override
        public boolean activate() {
            started.add(name);
            return true;
        }

        @Override
        public boolean cancel() {
            cancelled = true;
            return true;
        }
    }

    private record Fragment(double priority) implements ComputeJob, AdmissionPriority {
        @Override
        public void cancel() {
        }

        @Override
        public Object execute() {
            return null;
        }
    }

    private static final class ControlJob implements ComputeJob, AdmissionExempt {
        @Override
        public void cancel() {
        }

        @Override
        public Object execute() {
            return null;
        }
    }

    private record Context(Collection<CollisionJobContext> activeJobs, Collection<CollisionJobContext> waitingJobs) implements CollisionContext {
        @Override
        public Collection<CollisionJobContext> heldJobs() {
            return List.of();
        }
    }
}
