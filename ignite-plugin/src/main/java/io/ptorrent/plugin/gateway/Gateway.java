package io.ptorrent.plugin.gateway;

import org.apache.ignite.Ignite;
import org.apache.ignite.compute.ComputeTask;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The harbor's thin-client gateway: every task named in {@code io.ptorrent.client.wire.GatewayTasks}. */
public final class Gateway {
    private Gateway() {
    }

    @SuppressWarnings("rawtypes")
    private static final List<Class<? extends ComputeTask>> MEMBER_TASKS = List.of(SubmitGatewayTask.class, BalanceGatewayTask.class,
            BundleGatewayTasks.Has.class, BundleGatewayTasks.Upload.class,
            TaskGatewayTasks.Start.class, TaskGatewayTasks.Status.class, TaskGatewayTasks.Await.class, TaskGatewayTasks.Watch.class,
            TaskGatewayTasks.Cancel.class,
            GridGatewayTasks.Availability.class, GridGatewayTasks.EstimateTask.class,
            IdentityGatewayTasks.Issue.class, IdentityGatewayTasks.Revoke.class, IdentityGatewayTasks.ListCredentials.class);
    @SuppressWarnings("rawtypes")
    private static final List<Class<? extends ComputeTask>> OPERATOR_TASKS = List.of(IdentityGatewayTasks.CreateAccount.class, GrantGatewayTask.class);

    /** Deploys the gateway tasks on a harbor, so that thin clients can call them by name. */
    @SuppressWarnings("rawtypes") // Ignite's localDeployTask takes a raw ComputeTask class
    public static void deploy(Ignite ignite) {
        for (List<Class<? extends ComputeTask>> group : List.of(MEMBER_TASKS, OPERATOR_TASKS)) {
            for (Class<? extends ComputeTask> task : group) {
                ignite.compute().localDeployTask(task, task.getClassLoader());
            }
        }
    }

    /**
     * What an account may execute: the gateway tasks' names and their class names (Ignite authorizes a task that it
     * resolved to a class by the class's name, one it did not by the name it was called by).
     */
    @SuppressWarnings("rawtypes")
    public static Set<String> taskNames() {
        // The operator's tasks too: their jobs refuse any caller but an operator with NOT_AUTHORIZED and a message
        // that says what to do. Refused by Ignite instead, a thin client would get Ignite's words, not ptorrent's,
        // and through compute not even a ClientAuthorizationException (AuthorizationIT: a member's grant).
        List<Class<? extends ComputeTask>> all = new java.util.ArrayList<>(MEMBER_TASKS);
        all.addAll(OPERATOR_TASKS);
        return names(all);
    }

    @SuppressWarnings("rawtypes")
    private static Set<String> names(List<Class<? extends ComputeTask>> tasks) {
        Set<String> names = new HashSet<>();
        for (Class<? extends ComputeTask> t : tasks) {
            names.add(t.getName());
            org.apache.ignite.compute.ComputeTaskName n = t.getAnnotation(org.apache.ignite.compute.ComputeTaskName.class);
            if (n != null) {
                names.add(n.value());
            }
        }
        return Set.copyOf(names);
    }
}
