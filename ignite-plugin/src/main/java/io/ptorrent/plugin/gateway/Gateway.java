package io.ptorrent.plugin.gateway;

import org.apache.ignite.Ignite;
import org.apache.ignite.compute.ComputeTask;

import java.util.List;

/** The harbor's thin-client gateway: every task named in {@code io.ptorrent.client.wire.GatewayTasks}. */
public final class Gateway {
    private Gateway() {
    }

    /** Deploys the gateway tasks on a harbor, so that thin clients can call them by name. */
    @SuppressWarnings("rawtypes") // Ignite's localDeployTask takes a raw ComputeTask class
    public static void deploy(Ignite ignite) {
        for (Class<? extends ComputeTask> task : List.of(SubmitGatewayTask.class, BalanceGatewayTask.class, BundleGatewayTasks.Has.class, BundleGatewayTasks.Upload.class,
                TaskGatewayTasks.Start.class, TaskGatewayTasks.Status.class, TaskGatewayTasks.Await.class, TaskGatewayTasks.Cancel.class,
                GridGatewayTasks.Availability.class, GridGatewayTasks.EstimateTask.class)) {
            ignite.compute().localDeployTask(task, task.getClassLoader());
        }
    }
}
