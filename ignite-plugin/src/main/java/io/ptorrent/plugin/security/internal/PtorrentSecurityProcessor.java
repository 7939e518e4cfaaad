package io.ptorrent.plugin.security.internal;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.plugin.NodeAttributes;
import io.ptorrent.plugin.NodeRole;
import io.ptorrent.plugin.PtorrentPluginConfiguration;
import io.ptorrent.plugin.security.AccountRole;
import io.ptorrent.plugin.security.CredentialKind;
import io.ptorrent.plugin.security.internal.PtorrentSecurityContext.Principal;
import org.apache.ignite.IgniteCheckedException;
import org.apache.ignite.IgniteLogger;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.internal.GridKernalContext;
import org.apache.ignite.internal.IgniteNodeAttributes;
import org.apache.ignite.internal.processors.GridProcessorAdapter;
import org.apache.ignite.internal.processors.authentication.IgniteAccessControlException;
import org.apache.ignite.internal.processors.security.GridSecurityProcessor;
import org.apache.ignite.internal.processors.security.SecurityContext;
import org.apache.ignite.plugin.security.AuthenticationContext;
import org.apache.ignite.plugin.security.SecurityCredentials;
import org.apache.ignite.plugin.security.SecurityException;
import org.apache.ignite.plugin.security.SecurityPermission;
import org.apache.ignite.plugin.security.SecuritySubject;
import org.apache.ignite.plugin.security.SecuritySubjectType;
import org.apache.ignite.spi.IgniteNodeValidationResult;
import org.apache.ignite.spi.discovery.tcp.internal.TcpDiscoveryNode;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ptorrent's {@link GridSecurityProcessor}: who may join the grid, who may connect to a harbor's thin-client port,
 * and what each may do. Supplied by the plugin's {@code createComponent} on every ptorrent node (Ignite refuses a
 * node whose security processor class differs from the coordinator's, so harbors and contributors all run this one;
 * a plain Ignite node has none and is refused).
 *
 * <h2>Design note</h2>
 * <b>Node authentication</b> runs on the coordinator (always a harbor: contributors are client nodes), on the
 * discovery thread, once per join ({@link #isGlobalNodeAuthentication()} is false: the other nodes trust the verdict
 * the coordinator stores in the node's attributes). A harbor presents the harbor secret, a contributor a join
 * credential of its account ({@link Tokens}); the first harbor authenticates itself against its own secret. The
 * presented credentials travel in the join request's node attributes, which Ignite hides from
 * {@code ClusterNode.attributes()} but still sends on to every node: {@link #authenticateNode} removes them from the
 * joining node before the coordinator builds the message that announces it.
 *
 * <p><b>Before the cache.</b> A harbor that restarts is the coordinator before its identity cache is open, and the
 * contributors that were joined reconnect at once; a refused reconnect stops a contributor for good. Until the
 * cache is open, joins are judged by the copy of the join credentials the harbor keeps in its work directory
 * ({@link JoinCredentialSnapshot}); thin clients are asked to connect again.
 *
 * <p><b>A refused node</b> gets a {@link Principal#REFUSED} context instead of {@code null}: Ignite answers a
 * {@code null} with a bare "Authentication failed", while the refused context lets {@link #validateNode} (which
 * Ignite runs right after, on the same coordinator) refuse the join with a message that says why and what to do.
 * A refused context has no permission at all, save {@code JOIN_AS_SERVER}, which Ignite checks between the two
 * steps; the join is refused in the next one.
 *
 * <p><b>Thin clients and JDBC</b> authenticate on the harbor they connect to: user = account id, password = its
 * password (Argon2id) or an API key. Their operations run on that harbor under their context, so every check on
 * them is a harbor's own.
 *
 * <p><b>Where checks run.</b> Ignite calls {@link #authorize} on the node that starts an operation, under the
 * initiator's context: a thin client's operations on its harbor, a contributor's own cache and compute calls on the
 * contributor itself. A modified contributor can skip those; the harbor's handling of its messages does not ask
 * again (docs/SECURITY.md; a harbor-side message filter closes that).
 */
public final class PtorrentSecurityProcessor extends GridProcessorAdapter implements GridSecurityProcessor {
    /** The login a harbor presents with the harbor secret. */
    public static final String HARBOR_LOGIN = "ptorrent-harbor";

    private final PtorrentPluginConfiguration cfg;
    private final NodeRole role;
    private final Set<String> gatewayTasks;
    private final IgniteLogger log;
    private final Map<UUID, PtorrentSecurityContext> clients = new ConcurrentHashMap<>();
    /** Join refusals between authentication and validation, by node id. */
    private final Map<UUID, String> refusals = new ConcurrentHashMap<>();
    private volatile IdentityStore store;
    /** Harbors: the join credentials as this harbor last saw them, for joins before {@link #store} is open. */
    private volatile JoinCredentialSnapshot snapshot;
    private AutoCloseable snapshotListener;
    private java.util.concurrent.ExecutorService snapshotWriter;
    private final java.util.concurrent.atomic.AtomicBoolean snapshotDue = new java.util.concurrent.atomic.AtomicBoolean();
    /** SHA-256 (hex) of the harbor secret; harbors only. */
    private String harborSecretSha256;

    /**
     * @param gatewayTasks task names and task class names an account may execute (the gateway's; the jobs of the
     *                     operator's tasks among them refuse any other caller themselves)
     */
    public PtorrentSecurityProcessor(GridKernalContext ctx, PtorrentPluginConfiguration cfg, NodeRole role, Set<String> gatewayTasks) {
        super(ctx);
        this.cfg = cfg;
        this.role = role;
        this.gatewayTasks = Set.copyOf(gatewayTasks);
        this.log = ctx.log(PtorrentSecurityProcessor.class);
    }

    /** The join-credential copy in a harbor's work directory ({@link JoinCredentialSnapshot}). */
    public static final String JOIN_SNAPSHOT_FILE = "join-credentials.json";

    /**
     * The harbor's identities, once its caches are up (before that, accounts cannot authenticate, and joins are
     * judged by the snapshot). From now on the snapshot follows every credential change.
     */
    public void identities(IdentityStore store) {
        this.store = store;
        JoinCredentialSnapshot snap = snapshot;
        if (snap == null) {
            return;
        }
        snapshotWriter = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ptorrent-join-snapshot");
            t.setDaemon(true);
            return t;
        });
        snapshotListener = store.onCredentialChange(this::snapshotSoon);
        snapshotSoon();
    }

    /** Rewrites the snapshot on the writer thread; changes that come while one is due join it. */
    private void snapshotSoon() {
        if (snapshotDue.compareAndSet(false, true)) {
            snapshotWriter.execute(() -> {
                snapshotDue.set(false);
                removeRevokedContributors();
                try {
                    // A harbor that has just joined fills its copy by rebalance: a snapshot before that would miss
                    // credentials (and so refuse their nodes after a restart).
                    store.awaitLocalCopy();
                    snapshot.write(store.localJoinCredentials());
                } catch (RuntimeException e) {
                    log.warning("ptorrent: could not write the join-credential snapshot: " + e.getMessage());
                }
            });
        }
    }

    /**
     * A revoked join credential also ends the joins made with it: every contributor joined with one that is revoked
     * (or gone) is failed out of the topology; its reconnect is then refused.
     */
    private void removeRevokedContributors() {
        IdentityStore s = store;
        if (s == null) {
            return;
        }
        for (ClusterNode n : ctx.discovery().allNodes()) {
            if (!n.isClient() || n.isLocal()) {
                continue;
            }
            SecurityContext sc;
            try (org.apache.ignite.internal.processors.security.OperationSecurityContext ignored = ctx.security().withContext(n.id())) {
                sc = ctx.security().securityContext();
            } catch (RuntimeException e) {
                continue; // the node left meanwhile
            }
            if (sc instanceof PtorrentSecurityContext p && p.principal() == Principal.CONTRIBUTOR && p.credentialId() != null) {
                // A full read, not this node's copy: a harbor that has just joined has no copy yet, and would take
                // every contributor's credential for gone (CI saw a second harbor's start fail a contributor out).
                IdentityStore.CredentialRecord c;
                try {
                    c = s.credential(p.credentialId());
                } catch (RuntimeException e) {
                    log.warning("ptorrent: could not read join credential " + p.credentialId() + " of " + n.consistentId() + ": " + e.getMessage());
                    continue; // unsure is not revoked
                }
                if (c == null || c.revokedAtMs() != null) {
                    log.warning("ptorrent: removing contributor " + n.consistentId() + " of account '" + p.account() + "': its join credential "
                            + p.credentialId() + " was revoked");
                    ctx.discovery().failNode(n.id(), new PtorrentException(ErrorCode.JOIN_REFUSED, "the join credential " + p.credentialId()
                            + " of this node was revoked").describe());
                }
            }
        }
    }

    @Override
    public void stop(boolean cancel) throws IgniteCheckedException {
        if (snapshotListener != null) {
            try {
                snapshotListener.close();
            } catch (Exception ignored) {
                // the node is stopping: its continuous query goes with it
            }
        }
        if (snapshotWriter != null) {
            snapshotWriter.shutdown();
        }
        super.stop(cancel);
    }

    @Override
    public void start() throws IgniteCheckedException {
        super.start();
        if (role == NodeRole.HARBOR) {
            Path file = cfg.harborSecretPath(ctx.config().getWorkDirectory());
            String secret = SecretFiles.read(file);
            if (secret == null) {
                String fresh = "pth." + Tokens.newSecret();
                if (SecretFiles.create(file, fresh)) {
                    log.info("ptorrent: created the harbor secret " + file.toAbsolutePath() + " (mode 600); every harbor of this grid needs a copy");
                }
                secret = SecretFiles.read(file);
            }
            if (secret == null || secret.isEmpty()) {
                throw new IgniteCheckedException(new PtorrentException(ErrorCode.CONFIG_INVALID,
                        "PtorrentPluginConfiguration.harborSecretFile: " + file + " is empty; delete it to have a new one made, or copy the grid's").describe());
            }
            harborSecretSha256 = Tokens.sha256Hex(secret);
            snapshot = JoinCredentialSnapshot.load(Path.of(ctx.config().getWorkDirectory(), JOIN_SNAPSHOT_FILE));
            ctx.addNodeAttribute(IgniteNodeAttributes.ATTR_SECURITY_CREDENTIALS, new SecurityCredentials(HARBOR_LOGIN, secret));
        } else {
            String token;
            try {
                token = cfg.joinToken(System.getenv());
            } catch (PtorrentException e) {
                throw new IgniteCheckedException(e.describe(), e);
            }
            if (token == null) {
                log.warning("ptorrent: this contributor has no join credential (PtorrentPluginConfiguration.joinTokenFile or "
                        + PtorrentPluginConfiguration.JOIN_TOKEN_ENV + "); the harbor will refuse it");
            } else {
                ctx.addNodeAttribute(IgniteNodeAttributes.ATTR_SECURITY_CREDENTIALS, new SecurityCredentials(cfg.getAccount(), token));
            }
        }
    }

    // ---- nodes ----

    @Override
    public SecurityContext authenticateNode(ClusterNode node, SecurityCredentials cred) {
        PtorrentSecurityContext verdict = judgeNode(node, cred);
        forgetCredentials(node);
        if (verdict.principal() == Principal.REFUSED) {
            log.warning("ptorrent: refused the join of node " + node.consistentId() + " (" + node.id() + ", " + node.addresses() + "): " + verdict.refusal());
            refusals.put(node.id(), verdict.refusal());
        } else if (!node.isLocal()) {
            log.info("ptorrent: node " + node.consistentId() + " authenticated as " + verdict);
        }
        return verdict;
    }

    private PtorrentSecurityContext judgeNode(ClusterNode node, SecurityCredentials cred) {
        String password = cred == null || cred.getPassword() == null ? null : String.valueOf(cred.getPassword());
        String login = cred == null || cred.getLogin() == null ? null : String.valueOf(cred.getLogin());
        if (password == null) {
            return refused(node, "it presents no credential (a plain Ignite node, or a ptorrent contributor started without a join credential:"
                    + " give it one with bin/ptorrent node --join-token-file FILE or " + PtorrentPluginConfiguration.JOIN_TOKEN_ENV + ")");
        }
        if (HARBOR_LOGIN.equals(login)) {
            if (harborSecretSha256 == null || !Tokens.matches(harborSecretSha256, password)) {
                return refused(node, "it presents a harbor secret that is not this grid's (every harbor needs a copy of the first harbor's"
                        + " harbor-secret file: PtorrentPluginConfiguration.harborSecretFile)");
            }
            return new PtorrentSecurityContext(node.id(), SecuritySubjectType.REMOTE_NODE, HARBOR_LOGIN, address(node), Principal.HARBOR, null, null);
        }
        Tokens.Parsed t = Tokens.parse(password);
        if (t == null || t.kind() != CredentialKind.JOIN) {
            return refused(node, "its credential is not a join credential (a join token starts with '" + CredentialKind.JOIN.prefix()
                    + ".'; issue one with bin/ptorrent account join-token create)");
        }
        IdentityStore s = store;
        JoinCredentialSnapshot snap = snapshot;
        // Before the cache is open (a harbor that just restarted, its contributors reconnecting): the snapshot.
        IdentityStore.CredentialRecord c = s != null ? s.localCredential(t.id()) : snap == null ? null : snap.get(t.id());
        if (s == null && c == null) {
            return refused(node, "this harbor has not opened its identities yet; start the node again in a few seconds");
        }
        if (c == null || c.credentialKind() != CredentialKind.JOIN || !Tokens.matches(c.sha256(), t.secret())) {
            return refused(node, "its join credential " + t.id() + " is not one this grid issued; issue a new one with bin/ptorrent account join-token create");
        }
        if (c.revokedAtMs() != null) {
            return refused(node, "its join credential " + t.id() + " of account '" + c.account() + "' was revoked; issue a new one with bin/ptorrent account join-token create");
        }
        if (!node.isClient()) {
            return refused(node, "a join credential admits a contributor, which joins as an Ignite client node; a server node must present the harbor secret");
        }
        Object claimed = node.attribute(NodeAttributes.ACCOUNT);
        if (claimed != null && !c.account().equals(claimed)) {
            return refused(node, "it says it earns for account '" + claimed + "' but its join credential is of account '" + c.account()
                    + "'; set --account " + c.account() + " or use a join credential of '" + claimed + "'");
        }
        return new PtorrentSecurityContext(node.id(), SecuritySubjectType.REMOTE_NODE, c.account(), address(node), Principal.CONTRIBUTOR, c.account(), null,
                c.id());
    }

    private static PtorrentSecurityContext refused(ClusterNode node, String why) {
        return new PtorrentSecurityContext(node.id(), SecuritySubjectType.REMOTE_NODE, null, address(node), Principal.REFUSED, null, why);
    }

    /**
     * Removes the presented credentials from the joining node: Ignite hides them from {@code attributes()} but would
     * still send them, inside the node, to every other node of the grid (contributors included).
     */
    private static void forgetCredentials(ClusterNode node) {
        if (node instanceof TcpDiscoveryNode t && t.getAttributes().containsKey(IgniteNodeAttributes.ATTR_SECURITY_CREDENTIALS)) {
            Map<String, Object> attrs = new HashMap<>(t.getAttributes());
            attrs.remove(IgniteNodeAttributes.ATTR_SECURITY_CREDENTIALS);
            t.setAttributes(attrs);
        }
    }

    @Override
    public IgniteNodeValidationResult validateNode(ClusterNode node) {
        String why = refusals.remove(node.id());
        if (why == null) {
            return null;
        }
        String msg = new PtorrentException(ErrorCode.JOIN_REFUSED, "the harbor refused this node: " + why).describe();
        return new IgniteNodeValidationResult(node.id(), msg, msg);
    }

    @Override
    public boolean isGlobalNodeAuthentication() {
        return false;
    }

    // ---- thin clients and JDBC ----

    @Override
    public SecurityContext authenticate(AuthenticationContext actx) throws IgniteCheckedException {
        SecurityCredentials c = actx.credentials();
        String login = c == null || c.getLogin() == null ? null : String.valueOf(c.getLogin());
        String password = c == null || c.getPassword() == null ? null : String.valueOf(c.getPassword());
        if (login == null || login.isBlank()) {
            throw failed(actx, null, "no account given", "the connection names no account");
        }
        if (password == null || password.isEmpty()) {
            throw failed(actx, login, "no password", "account '" + login + "' gave no password or API key");
        }
        if (HARBOR_LOGIN.equals(login) && harborSecretSha256 != null) {
            if (!Tokens.matches(harborSecretSha256, password)) {
                throw failed(actx, login, "wrong harbor secret", "wrong password or API key for account '" + login + "'");
            }
            return remember(new PtorrentSecurityContext(actx.subjectId(), actx.subjectType(), login, actx.address(), Principal.HARBOR, null, null));
        }
        IdentityStore s = store;
        if (s == null) {
            throw failed(actx, login, "identities not open yet", "this harbor is still starting and cannot check accounts yet; connect again in a few seconds");
        }
        IdentityStore.AccountRecord a = s.accountToAuthenticate(login);
        Tokens.Parsed t = Tokens.parse(password);
        boolean ok;
        String why;
        if (t != null) {
            IdentityStore.CredentialRecord r = s.credentialToAuthenticate(t.id());
            ok = r != null && r.account().equals(login) && r.credentialKind() == CredentialKind.API_KEY && r.revokedAtMs() == null
                    && Tokens.matches(r.sha256(), t.secret());
            why = r == null ? "unknown key " + t.id() : r.revokedAtMs() != null ? "revoked key " + t.id()
                    : r.credentialKind() != CredentialKind.API_KEY ? "a join credential used as an API key" : "key " + t.id() + " does not match";
            if (ok && a == null) {
                ok = false;
                why = "no such account";
            }
            if (!ok && r != null && r.credentialKind() == CredentialKind.JOIN) {
                throw failed(actx, login, why, "a join credential admits a contributor node, not a thin client; use an API key of account '" + login + "'");
            }
        } else {
            ok = a != null && PasswordHashing.verify(password.toCharArray(), a.passwordHash());
            why = a == null ? "no such account" : a.passwordHash() == null ? "the account has no password" : "wrong password";
        }
        if (!ok) {
            // One answer for an unknown account and a wrong secret: the port must not tell which accounts exist.
            throw failed(actx, login, why, "wrong password or API key for account '" + login + "' (or no such account, or a revoked key)");
        }
        Principal p = a.accountRole() == AccountRole.OPERATOR ? Principal.OPERATOR : Principal.MEMBER;
        return remember(new PtorrentSecurityContext(actx.subjectId(), actx.subjectType(), login, actx.address(), p, login, null));
    }

    private PtorrentSecurityContext remember(PtorrentSecurityContext c) {
        clients.put(c.id(), c);
        return c;
    }

    private IgniteAccessControlException failed(AuthenticationContext actx, String login, String why, String message) {
        log.info("ptorrent: refused a connection from " + actx.address() + (login == null ? "" : " as '" + login + "'") + ": " + why);
        return new IgniteAccessControlException(new PtorrentException(ErrorCode.AUTHENTICATION_FAILED, message).describe());
    }

    @Override
    public Collection<SecuritySubject> authenticatedSubjects() {
        return new ArrayList<>(clients.values());
    }

    @Override
    public SecuritySubject authenticatedSubject(UUID subjId) {
        return clients.get(subjId);
    }

    /**
     * The context of a thin-client session (Ignite finds a node's context in the node's attributes itself).
     *
     * <p>A session of another harbor gets a context with no rights instead of {@code null}. Why: Ignite runs an
     * operation on the harbor a thin client is connected to, in the client's context, and the messages that
     * operation sends to the other harbors name the client's subject (Ignite's own ones too: the first run of a
     * task by name writes its name to the system cache, a transaction whose primary may be on another harbor).
     * A node that left the topology long ago gets the same (an Ignite node would throw, and drop the message).
     * That subject is known only where it authenticated; for a {@code null} Ignite logs "Failed to find security
     * context", drops the message, and the operation waits forever (TwoHarborsIT's tasks, before this). Ignite
     * authorizes an operation on the node that starts it, so the receiving harbor has nothing to check; and only a
     * harbor can name such a subject here: the firewall refuses a contributor's message that names any subject
     * but its own or this harbor's.
     */
    @Override
    public SecurityContext securityContext(UUID subjId) {
        PtorrentSecurityContext known = clients.get(subjId);
        if (known != null) {
            return known;
        }
        // Ignite asks here first, and for a null looks for a node of that id: nodes (this one too) must get null.
        if (subjId.equals(ctx.localNodeId()) || ctx.discovery().node(subjId) != null || ctx.discovery().historicalNode(subjId) != null) {
            return null;
        }
        return new PtorrentSecurityContext(subjId, SecuritySubjectType.REMOTE_CLIENT, null, null, Principal.OTHER_HARBORS_SESSION, null, null);
    }

    @Override
    public void onSessionExpired(UUID subjId) {
        clients.remove(subjId);
    }

    // ---- authorization ----

    @Override
    public void authorize(String name, SecurityPermission perm, SecurityContext securityCtx) throws SecurityException {
        if (!(securityCtx instanceof PtorrentSecurityContext c)) {
            throw denied(String.valueOf(securityCtx == null ? null : securityCtx.subject()), perm, name,
                    "only subjects that a ptorrent harbor authenticated may act on this grid");
        }
        switch (c.principal()) {
            case HARBOR -> {
                return;
            }
            case REFUSED -> {
                if (perm == SecurityPermission.JOIN_AS_SERVER) {
                    return; // see the design note: the join is refused by validateNode with the reason
                }
                throw denied(c.toString(), perm, name, "a refused node may do nothing");
            }
            case CONTRIBUTOR -> throw denied(c.toString(), perm, name,
                    "a contributor node runs the fragments its harbor sends it and has no cache, SQL or task rights of its own");
            case MEMBER -> {
                if (isTask(perm) && gatewayTasks.contains(name)) {
                    return;
                }
                throw denied(c.toString(), perm, name, "an account may execute only the gateway tasks (io.ptorrent.client.wire.GatewayTasks);"
                        + " it reads its own credit and tasks through them, and has no cache API and no SQL");
            }
            case OPERATOR -> {
                if (isTask(perm) && gatewayTasks.contains(name)) {
                    return;
                }
                if (perm == SecurityPermission.CACHE_READ) {
                    return; // read-only SQL for audit
                }
                throw denied(c.toString(), perm, name, "an operator executes the gateway and operator tasks and reads with SQL;"
                        + " credit moves only through the ledger's gateway tasks, never by writing a cache");
            }
            case OTHER_HARBORS_SESSION -> throw denied(c.toString(), perm, name,
                    "a session of another harbor acts on the harbor it is connected to, which checks its rights there");
            default -> throw denied(c.toString(), perm, name, "unknown principal");
        }
    }

    private static boolean isTask(SecurityPermission perm) {
        return perm == SecurityPermission.TASK_EXECUTE || perm == SecurityPermission.TASK_CANCEL;
    }

    private static SecurityException denied(String who, SecurityPermission perm, String name, String allowed) {
        return new SecurityException(new PtorrentException(ErrorCode.NOT_AUTHORIZED, who + " may not " + perm
                + (name == null ? "" : " on '" + name + "'") + ": " + allowed + "; nothing was changed").describe());
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public boolean sandboxEnabled() {
        // Ignite's sandbox needs the SecurityManager (FACTS.md); ptorrent's sandbox is a separate process.
        return false;
    }

    private static InetSocketAddress address(ClusterNode node) {
        String host = node.addresses().isEmpty() ? "0.0.0.0" : node.addresses().iterator().next();
        return InetSocketAddress.createUnresolved(host, 0);
    }
}
