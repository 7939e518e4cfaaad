package io.ptorrent.client.wire;

/**
 * Names of the harbor's gateway tasks, the whole thin-client contract. Any Ignite thin client (Java,
 * .NET, C++, Python, Node.js) calls them with {@code compute().execute(name, jsonString)} and gets a
 * JSON string back; docs/THIN-CLIENT.md gives the formats.
 */
public final class GatewayTasks {
    /** Runs a task: argument {@link SubmitRequest} as JSON, result {@link SubmitResult} as JSON. */
    public static final String SUBMIT = "ptorrent.submit";
    /** An account's credit: argument {@link BalanceRequest} as JSON, result {@link BalanceResult} as JSON. */
    public static final String BALANCE = "ptorrent.balance";

    private GatewayTasks() {
    }
}
