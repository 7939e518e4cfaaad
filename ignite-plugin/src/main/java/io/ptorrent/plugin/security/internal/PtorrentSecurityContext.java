package io.ptorrent.plugin.security.internal;

import org.apache.ignite.internal.processors.security.SecurityContext;
import org.apache.ignite.plugin.security.SecuritySubject;
import org.apache.ignite.plugin.security.SecuritySubjectType;

import java.io.Serial;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.UUID;

/**
 * Who a node or a thin-client connection is, as a harbor authenticated it. Ignite stores a node's context in the
 * node's attributes (JDK-serialized, visible to every node): so it holds no secret, only the verdict.
 */
public final class PtorrentSecurityContext implements SecurityContext, SecuritySubject, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The kinds of caller that the authorization tells apart. */
    public enum Principal {
        /** A harbor server node (it presented the harbor secret), and the harbor's own work. */
        HARBOR,
        /** A contributor node, joined with a join credential of {@link #account()}. */
        CONTRIBUTOR,
        /** A thin client or JDBC connection of a member account. */
        MEMBER,
        /** A thin client or JDBC connection of an operator account. */
        OPERATOR,
        /** A node whose join the harbor refuses (it never enters the topology; see {@link #refusal()}). */
        REFUSED,
        /**
         * A session this harbor did not authenticate, named by a message from another harbor: a thin client of
         * that harbor (see {@code PtorrentSecurityProcessor#securityContext}). It may do nothing here.
         */
        OTHER_HARBORS_SESSION
    }

    private final UUID id;
    private final SecuritySubjectType type;
    private final String login;
    private final InetSocketAddress address;
    private final Principal principal;
    private final String account;
    private final String refusal;
    private final String credentialId;

    public PtorrentSecurityContext(UUID id, SecuritySubjectType type, String login, InetSocketAddress address, Principal principal,
                                   String account, String refusal) {
        this(id, type, login, address, principal, account, refusal, null);
    }

    /** @param credentialId the id (not the secret) of the credential it authenticated with, where one was used */
    public PtorrentSecurityContext(UUID id, SecuritySubjectType type, String login, InetSocketAddress address, Principal principal,
                                   String account, String refusal, String credentialId) {
        this.credentialId = credentialId;
        this.id = Objects.requireNonNull(id, "id");
        this.type = Objects.requireNonNull(type, "type");
        this.login = login;
        this.address = address;
        this.principal = Objects.requireNonNull(principal, "principal");
        this.account = account;
        this.refusal = refusal;
    }

    public Principal principal() {
        return principal;
    }

    /** The authenticated account (contributors, members, operators); null for harbors and refused nodes. */
    public String account() {
        return account;
    }

    /** The id of the join credential a contributor joined with (null for others): revoking it removes the node. */
    public String credentialId() {
        return credentialId;
    }

    /** Why a node is refused (null unless {@link Principal#REFUSED}). */
    public String refusal() {
        return refusal;
    }

    @Override
    public SecuritySubject subject() {
        return this;
    }

    @Override
    public UUID id() {
        return id;
    }

    @Override
    public SecuritySubjectType type() {
        return type;
    }

    @Override
    public Object login() {
        return login;
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public String toString() {
        return principal.name().toLowerCase(java.util.Locale.ROOT) + (account == null ? "" : " '" + account + "'") + " (" + type + " " + id + ")";
    }
}
