package io.ptorrent.client.wire;

/**
 * Names of the harbor's gateway tasks, the whole thin-client contract. Any Ignite thin client (Java,
 * .NET, C++, Python, Node.js) calls them with {@code compute().execute(name, jsonString)} and gets a
 * JSON string back; docs/THIN-CLIENT.md gives the formats.
 */
public final class GatewayTasks {
    /** Runs a task and waits for it in one call: argument {@link SubmitRequest}, result {@link SubmitResult}. */
    public static final String SUBMIT = "ptorrent.submit";
    /** An account's credit: argument {@link BalanceRequest} as JSON, result {@link BalanceResult} as JSON. */
    public static final String BALANCE = "ptorrent.balance";
    /** Whether the harbor holds a bundle: argument {@link BundleQuery}, result {@link BundleAnswer}. */
    public static final String BUNDLE_HAS = "ptorrent.bundle.has";
    /** Stores a bundle on the harbor (verified, never loaded there): argument {@link WireBundle}, result {@link BundleAnswer}. */
    public static final String BUNDLE_UPLOAD = "ptorrent.bundle.upload";
    /** Accepts a task and answers its id at once: argument {@link TaskStartRequest}, result {@link TaskStatusResult}. */
    public static final String TASK_START = "ptorrent.task.start";
    /** A task's state and progress now: argument {@link TaskQuery}, result {@link TaskStatusResult}. */
    public static final String TASK_STATUS = "ptorrent.task.status";
    /**
     * Waits (bounded by {@link TaskQuery#waitMs}) until the task finishes or its progress moves past
     * {@link TaskQuery#knownDone}: argument {@link TaskQuery}, result {@link TaskStatusResult} (with the
     * fragments' results once it has succeeded). No harbor thread is held while it waits.
     */
    public static final String TASK_AWAIT = "ptorrent.task.await";
    /**
     * {@link #TASK_AWAIT} for many tasks in one call: answers as soon as any of them finishes or moves past what the
     * caller knew (bounded by {@link TaskWatch#waitMs}), with every task that did: argument {@link TaskWatch}, result
     * {@link TaskWatchResult}. A client that follows many tasks keeps one call open instead of one per task (a
     * connection runs a bounded number of calls at once). No harbor thread is held while it waits.
     */
    public static final String TASK_WATCH = "ptorrent.task.watch";
    /** Cancels a task: argument {@link TaskQuery}, result {@link TaskStatusResult}. */
    public static final String TASK_CANCEL = "ptorrent.task.cancel";

    /** The capacity of the harbor's contributors now: argument {@code {}}, result {@link AvailabilityResult}. */
    public static final String AVAILABILITY = "ptorrent.availability";
    /** Wait, run time and cost of some work now: argument {@link EstimateRequest}, result {@link EstimateResult}. */
    public static final String ESTIMATE = "ptorrent.estimate";

    /**
     * Creates an account (operators only): argument {@link IdentityRequest} ({@code account}, {@code role},
     * optional {@code password}, {@code kind: "api-key"} to issue a first key), result {@link IdentityResult}.
     */
    public static final String ACCOUNT_CREATE = "ptorrent.account.create";
    /**
     * Issues a credential ({@code kind}: {@code api-key} or {@code join}) to the caller's account (an operator: to
     * any account): argument {@link IdentityRequest}, result {@link IdentityResult} with the secret, shown once.
     */
    public static final String CREDENTIAL_CREATE = "ptorrent.credential.create";
    /** Revokes a credential of the caller's account by {@code id}: argument {@link IdentityRequest}, result {@link IdentityResult}. */
    public static final String CREDENTIAL_REVOKE = "ptorrent.credential.revoke";
    /** The caller's credentials (ids and dates, never secrets): argument {@link IdentityRequest}, result {@link IdentityResult}. */
    public static final String CREDENTIAL_LIST = "ptorrent.credential.list";

    /**
     * Grants credit to an account from the grid account (operators only): argument {@link GrantRequest}, result
     * {@link BalanceResult} (the account after the grant). Idempotent by the request's key.
     */
    public static final String CREDIT_GRANT = "ptorrent.credit.grant";

    private GatewayTasks() {
    }
}
