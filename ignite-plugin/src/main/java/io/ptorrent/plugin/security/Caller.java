package io.ptorrent.plugin.security;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.plugin.security.internal.PtorrentSecurityContext;
import org.apache.ignite.Ignite;
import org.apache.ignite.internal.IgniteEx;
import org.apache.ignite.internal.processors.security.IgniteSecurity;
import org.apache.ignite.internal.processors.security.OperationSecurityContext;
import org.apache.ignite.internal.processors.security.SecurityContext;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Who is calling, as the harbor authenticated them: what a gateway job asks before it reads or charges an
 * account. The account a task is charged to is {@link #chargeable}: the authenticated one, never a field the caller
 * fills in.
 *
 * @param kind    the kind of caller
 * @param account the authenticated account; null for the harbor itself
 */
public record Caller(Kind kind, String account) {
    /** Kinds of caller. */
    public enum Kind {
        /** The harbor's own work, a harbor server node, or a tool holding the harbor secret: trusted. */
        HARBOR,
        /** An operator account. */
        OPERATOR,
        /** A member account (a person). */
        MEMBER,
        /** A contributor node. */
        CONTRIBUTOR
    }

    public Caller {
        Objects.requireNonNull(kind, "kind");
        if (kind != Kind.HARBOR) {
            Objects.requireNonNull(account, "account");
        }
    }

    /** The caller of the current thread on {@code ignite} (a gateway job runs under its thin client's context). */
    public static Caller current(Ignite ignite) {
        IgniteSecurity sec = ((IgniteEx) ignite).context().security();
        if (!sec.enabled()) {
            return new Caller(Kind.HARBOR, null);
        }
        SecurityContext ctx = sec.securityContext();
        if (ctx instanceof PtorrentSecurityContext p) {
            return switch (p.principal()) {
                case HARBOR -> new Caller(Kind.HARBOR, null);
                case OPERATOR -> new Caller(Kind.OPERATOR, p.account());
                case MEMBER -> new Caller(Kind.MEMBER, p.account());
                case CONTRIBUTOR -> new Caller(Kind.CONTRIBUTOR, p.account());
                case REFUSED -> throw new PtorrentException(ErrorCode.NOT_AUTHORIZED, "a refused node may do nothing");
                case OTHER_HARBORS_SESSION -> throw new PtorrentException(ErrorCode.NOT_AUTHORIZED,
                        "a thin-client session of another harbor may act only on the harbor it is connected to");
            };
        }
        throw new PtorrentException(ErrorCode.NOT_AUTHORIZED, "the caller was not authenticated by a ptorrent harbor");
    }

    /**
     * Runs {@code work} under the harbor node's own security context. A thin client's gateway job runs under the
     * client's context, which may touch no cache: the ledger, the scheduler and the bundle store work for it under
     * the harbor's, after the job has decided whom the work is for.
     */
    public static <T> T asHarbor(Ignite ignite, Supplier<T> work) {
        return asThisNode(ignite, work);
    }

    /**
     * Runs {@code work} under this node's own security context, whatever context the thread carries (a discovery
     * event runs in the event node's, a job in its sender's). On a contributor: what it sends a harbor then names the
     * contributor itself, as a harbor's firewall requires (it fails a contributor whose message names another node,
     * such as the second harbor whose join the contributor was reacting to).
     */
    public static <T> T asThisNode(Ignite ignite, Supplier<T> work) {
        IgniteSecurity sec = ((IgniteEx) ignite).context().security();
        if (!sec.enabled() || sec.isDefaultContext()) {
            return work.get();
        }
        try (OperationSecurityContext ignored = sec.withContext(ignite.cluster().localNode().id())) {
            return work.get();
        }
    }

    public boolean trusted() {
        return kind == Kind.HARBOR;
    }

    /**
     * The account to charge for a request that names {@code requested} (may be null): the caller's own. The harbor
     * itself charges whom it names.
     *
     * @throws PtorrentException NOT_AUTHORIZED if the request names another account; BAD_REQUEST if the harbor names none
     */
    public String chargeable(String requested) {
        if (kind == Kind.HARBOR) {
            return requested;
        }
        if (requested != null && !requested.equals(account)) {
            throw new PtorrentException(ErrorCode.NOT_AUTHORIZED, "you are authenticated as account '" + account + "' and cannot act for account '"
                    + requested + "'; leave the account out (it is the one you authenticated as) or authenticate as '" + requested + "'");
        }
        return account;
    }

    /**
     * The account whose data a request for {@code requested} (may be null: the caller's own) may read: its own, or
     * any for an operator and the harbor.
     *
     * @throws PtorrentException NOT_AUTHORIZED if a member asks for another account's data
     */
    public String readable(String requested) {
        if (kind == Kind.HARBOR || kind == Kind.OPERATOR) {
            return requested != null ? requested : account;
        }
        return chargeable(requested);
    }

    /** Whether the caller may see or stop something that belongs to {@code owner}. */
    public boolean mayAccess(String owner) {
        return kind == Kind.HARBOR || kind == Kind.OPERATOR || Objects.equals(owner, account);
    }
}
