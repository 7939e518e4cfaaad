package io.ptorrent.client;

/**
 * Stable error codes of ptorrent. A code never changes meaning once released: scripts, other-language
 * clients and the REST API rely on the names. Each code carries the hint that tells a user what to do.
 */
public enum ErrorCode {
    /** The request could not be understood (bad JSON, missing field, out-of-range value). */
    BAD_REQUEST("fix the request and send it again"),
    /** No contributor node is in the grid, so nothing can run the task. */
    NO_CONTRIBUTORS("start a contributor node (bin/ptorrent node --config config/household-node.xml) or wait for one to join"),
    /** The submitted code bundle is malformed or its hash does not match its content. */
    BUNDLE_INVALID("rebuild the task's classes and submit again"),
    /** The submitted code bundle is larger than the grid accepts. */
    BUNDLE_TOO_LARGE("keep the closure's classes small; ship data as arguments, not as code"),
    /** The user's closure threw an exception on the contributor. */
    FRAGMENT_FAILED("read the cause in the message; the closure threw it"),
    /** A fragment did not finish within its wall-clock limit. */
    FRAGMENT_TIMEOUT("split the work into smaller fragments or raise the task timeout"),
    /** A fragment's result is larger than the cap. */
    RESULT_TOO_LARGE("return a smaller result (an aggregate, not the raw data)"),
    /** A fragment failed on every node it was tried on (nodes left or crashed). */
    RETRIES_EXHAUSTED("the contributors it ran on left the grid; submit again"),
    /** The task did not finish within the client's timeout. */
    TASK_TIMEOUT("raise the timeout (PtorrentClientOptions.timeout) or submit less work"),
    /** The task was cancelled by its submitter. */
    TASK_CANCELLED("nothing to do: the task was cancelled on request"),
    /** A contributor's share rules do not accept this work (whose it is, or through which harbor); another node takes it. */
    REFUSED_BY_RULES("nothing to do: the harbor sends the fragment to another contributor"),
    /** The client could not reach the harbor's thin-client port. */
    CONNECTION_FAILED("check the harbor address (--harbor host:port) and that the harbor is running"),
    /** A node configuration file is missing or invalid. */
    CONFIG_INVALID("fix the named file and field, then start again"),
    /** A port that a process needs is taken by another process. */
    PORT_IN_USE("stop the process that holds the port or choose another port with the named option"),
    /** The requested thing does not exist. */
    NOT_FOUND("check the id or path"),
    /** The closure's serialized form holds a class the grid does not accept (not in the bundle, not a JDK value type). */
    CLOSURE_REJECTED("capture only serializable values of your own classes or JDK value types (numbers, strings, collections, java.time)"),
    /** A fragment's result holds a class that the submitter's side does not accept. */
    RESULT_REJECTED("return only JDK value types (numbers, strings, collections, java.time) or classes of your own bundle"),
    /**
     * The bundle's bytecode references something user code may not use (files, network, processes,
     * reflection, threads, ...): the message names the class, the member and the rule.
     */
    BUNDLE_REJECTED("use only values, math, strings, collections, streams and java.time in the closure; see docs/SECURITY.md for the rules"),
    /** The jar given to {@code bin/ptorrent submit --jar} is missing or is not a readable jar file. */
    JAR_INVALID("give --jar the path of a jar file that holds your compiled classes"),
    /**
     * The class given to {@code bin/ptorrent submit --class} cannot run as a job: it is not in the jar, not
     * public, has no public no-argument constructor, implements neither {@code Callable} nor
     * {@code Function<String, ?>}, or {@code --arg} does not fit what it implements.
     */
    JOB_CLASS_INVALID("give --class a public class of the jar with a public no-argument constructor that implements"
            + " java.util.concurrent.Callable (no --arg) or java.util.function.Function<String, ?> (with --arg)"),
    /** The harbor is starting or stopping and cannot answer yet; nothing was changed. */
    NOT_READY("try again in a few seconds; if it lasts, check the harbor's log"),
    /** No credit account has the given id. */
    UNKNOWN_ACCOUNT("check the account id, or open the account first (every contributor node and thin client acts for one)"),
    /** The paying account (or the task's escrow hold) has less credit than the movement needs; nothing was moved. */
    INSUFFICIENT_CREDIT("earn credit by sharing your machine, ask the operator for a grant, or submit a smaller task"),
    /** A credit amount is zero where that is not allowed, negative, or above the cap; nothing was moved. */
    BAD_AMOUNT("give a positive whole number of milli-PU-seconds, no larger than the cap named in the message"),
    /** The task has no escrow hold. */
    HOLD_NOT_FOUND("hold escrow for the task before settling or refunding it; check the task id"),
    /** The task's escrow hold was already refunded and closed; nothing was moved. */
    HOLD_CLOSED("settle fragments before the task's hold is refunded; submit the task again to run more work"),
    /** The harbor holds no bundle with the given hash (never uploaded, or dropped to make room). */
    BUNDLE_NOT_FOUND("upload the bundle with ptorrent.bundle.upload, then start the task again (PtorrentClient does this itself)"),
    /**
     * A thin client, JDBC connection or console call without valid credentials: no account, a wrong password,
     * an unknown or revoked API key. Nothing was done.
     */
    AUTHENTICATION_FAILED("authenticate as your account: user = the account id, password = its password or an API key"
            + " (PtorrentClientOptions.apiKey, bin/ptorrent --key-file FILE or PTORRENT_API_KEY)"),
    /** The authenticated account (or node) may not do this; the message says what it may do. Nothing was changed. */
    NOT_AUTHORIZED("do it through the gateway tasks as the account it concerns, or ask the harbor's operator"),
    /**
     * A node was refused at join: no join credential, an unknown or revoked one, a harbor without the harbor
     * secret, or an account attribute that is not the credential's account.
     */
    JOIN_REFUSED("start the node with a join credential of your account (bin/ptorrent account join-token create,"
            + " then bin/ptorrent node --join-token-file FILE or PTORRENT_JOIN_TOKEN); a harbor needs the grid's harbor secret file"),
    /** A bug in ptorrent: the message says where. */
    INTERNAL("report it with the message; the grid keeps serving");

    private final String hint;

    ErrorCode(String hint) {
        this.hint = hint;
    }

    /** What a user should do about this error. */
    public String hint() {
        return hint;
    }
}
