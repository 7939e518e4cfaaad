package io.ptorrent.plugin.gateway;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.wire.GatewayTasks;
import io.ptorrent.client.wire.IdentityRequest;
import io.ptorrent.client.wire.IdentityResult;
import io.ptorrent.client.wire.WireError;
import io.ptorrent.client.wire.WireJson;
import io.ptorrent.credit.SlaTier;
import io.ptorrent.plugin.PtorrentPlugin;
import io.ptorrent.plugin.security.AccountRole;
import io.ptorrent.plugin.security.Caller;
import io.ptorrent.plugin.security.CredentialInfo;
import io.ptorrent.plugin.security.CredentialKind;
import io.ptorrent.plugin.security.Identities;
import io.ptorrent.plugin.security.IssuedCredential;
import org.apache.ignite.Ignite;
import org.apache.ignite.compute.ComputeJob;
import org.apache.ignite.compute.ComputeJobAdapter;
import org.apache.ignite.compute.ComputeTaskName;
import org.apache.ignite.resources.IgniteInstanceResource;

import java.util.List;

/**
 * The identity gateway: {@value GatewayTasks#ACCOUNT_CREATE} (operators), {@value GatewayTasks#CREDENTIAL_CREATE},
 * {@value GatewayTasks#CREDENTIAL_REVOKE} and {@value GatewayTasks#CREDENTIAL_LIST} (an account for itself; an
 * operator for any account). A secret is answered once, when it is issued; a listing shows ids and dates only.
 */
final class IdentityGatewayTasks {
    private IdentityGatewayTasks() {
    }

    private enum Kind { CREATE_ACCOUNT, ISSUE, REVOKE, LIST }

    @ComputeTaskName(GatewayTasks.ACCOUNT_CREATE)
    static final class CreateAccount extends Base {
        private static final long serialVersionUID = 1L;

        CreateAccount() {
            super(Kind.CREATE_ACCOUNT);
        }
    }

    @ComputeTaskName(GatewayTasks.CREDENTIAL_CREATE)
    static final class Issue extends Base {
        private static final long serialVersionUID = 1L;

        Issue() {
            super(Kind.ISSUE);
        }
    }

    @ComputeTaskName(GatewayTasks.CREDENTIAL_REVOKE)
    static final class Revoke extends Base {
        private static final long serialVersionUID = 1L;

        Revoke() {
            super(Kind.REVOKE);
        }
    }

    @ComputeTaskName(GatewayTasks.CREDENTIAL_LIST)
    static final class ListCredentials extends Base {
        private static final long serialVersionUID = 1L;

        ListCredentials() {
            super(Kind.LIST);
        }
    }

    private abstract static class Base extends LocalGatewayTask {
        private static final long serialVersionUID = 1L;
        private final Kind kind;

        Base(Kind kind) {
            this.kind = kind;
        }

        @Override
        final ComputeJob job(String request) {
            return new Job(request, kind);
        }

        @Override
        final String internalError(WireError error) {
            return WireJson.write(IdentityResult.failed(null, error));
        }
    }

    private static final class Job extends ComputeJobAdapter {
        private static final long serialVersionUID = 1L;

        private final String request;
        private final Kind kind;

        @IgniteInstanceResource
        private transient Ignite ignite;

        Job(String request, Kind kind) {
            this.request = request;
            this.kind = kind;
        }

        @Override
        public String execute() {
            Caller caller = Caller.current(ignite);
            return Caller.asHarbor(ignite, () -> answer(caller));
        }

        private String answer(Caller caller) {
            String account = null;
            try {
                IdentityRequest req = WireJson.read(request, IdentityRequest.class);
                Identities ids = identities(ignite);
                switch (kind) {
                    case CREATE_ACCOUNT -> {
                        account = req.account();
                        if (!caller.trusted() && caller.kind() != Caller.Kind.OPERATOR) {
                            throw new PtorrentException(ErrorCode.NOT_AUTHORIZED, "only an operator creates accounts; ask the harbor's operator");
                        }
                        if (account == null) {
                            throw new PtorrentException(ErrorCode.BAD_REQUEST, "give the new account's id: {\"account\":\"<id>\"}");
                        }
                        AccountRole role = req.role() == null ? AccountRole.MEMBER : AccountRole.fromId(req.role());
                        if (role == null) {
                            throw new PtorrentException(ErrorCode.BAD_REQUEST, "role '" + req.role() + "' is not 'member' or 'operator'");
                        }
                        CredentialKind first = req.kind() == null ? null : kindOf(req.kind());
                        if (req.password() == null && first == null) {
                            throw new PtorrentException(ErrorCode.BAD_REQUEST, "give the new account a password or ask for an API key"
                                    + " ({\"kind\":\"api-key\"}); an account with neither could never authenticate");
                        }
                        if (!ids.createAccount(account, role, req.password() == null ? null : req.password().toCharArray(), "operator")) {
                            throw new PtorrentException(ErrorCode.BAD_REQUEST, "account '" + account + "' exists already; nothing was changed");
                        }
                        openLedgerAccount(ignite, account, role);
                        IssuedCredential issued = first == null ? null : ids.issue(account, first);
                        return WireJson.write(new IdentityResult(account, role.id(), issued == null ? null : wire(issued), List.of(), null));
                    }
                    case ISSUE -> {
                        account = target(caller, req.account());
                        IssuedCredential issued = ids.issue(account, kindOf(req.kind()));
                        return WireJson.write(new IdentityResult(account, null, wire(issued), List.of(), null));
                    }
                    case REVOKE -> {
                        account = target(caller, req.account());
                        CredentialInfo revoked = ids.revoke(account, req.id());
                        return WireJson.write(new IdentityResult(account, null, null, List.of(wire(revoked)), null));
                    }
                    case LIST -> {
                        account = target(caller, req.account());
                        if (!ids.exists(account)) {
                            throw new PtorrentException(ErrorCode.UNKNOWN_ACCOUNT, "the harbor knows no account '" + account + "'");
                        }
                        List<IdentityResult.Credential> list = ids.list(account).stream().map(Job::wire).toList();
                        return WireJson.write(new IdentityResult(account, ids.role(account).map(AccountRole::id).orElse(null), null, list, null));
                    }
                    default -> throw new IllegalStateException(kind.name());
                }
            } catch (PtorrentException e) {
                return WireJson.write(IdentityResult.failed(account, WireError.of(e)));
            }
        }

        /**
         * Opens the member's credit account at once, with the starter grant: an operator created it, which is what
         * the starter-grant policy asks (docs/CREDIT.md). A harbor without a ledger has nothing to open.
         */
        private static void openLedgerAccount(Ignite ignite, String account, AccountRole role) {
            PtorrentPlugin plugin = PtorrentPlugin.of(ignite);
            if (role != AccountRole.MEMBER || plugin.configuration().getCredit() == null) {
                return;
            }
            plugin.credit().openAccount(account, account, SlaTier.CONTRIBUTOR, plugin.configuration().getCredit().starterGrant());
        }

        /** Whose credentials: the caller's own; an operator (or the harbor) may name any account. */
        private static String target(Caller caller, String requested) {
            String a = caller.readable(requested);
            if (a == null) {
                throw new PtorrentException(ErrorCode.BAD_REQUEST, "give the account: {\"account\":\"<id>\"}");
            }
            return a;
        }

        private static CredentialKind kindOf(String id) {
            CredentialKind k = CredentialKind.fromId(id);
            if (k == null) {
                throw new PtorrentException(ErrorCode.BAD_REQUEST, "kind '" + id + "' is not 'api-key' or 'join'");
            }
            return k;
        }

        private static Identities identities(Ignite ignite) {
            try {
                return PtorrentPlugin.of(ignite).identities();
            } catch (IllegalStateException e) {
                throw new PtorrentException(ErrorCode.NOT_READY, e.getMessage());
            }
        }

        private static IdentityResult.Credential wire(IssuedCredential c) {
            return new IdentityResult.Credential(c.id(), c.account(), c.kind().id(), null, null, c.token());
        }

        private static IdentityResult.Credential wire(CredentialInfo c) {
            return new IdentityResult.Credential(c.id(), c.account(), c.kind().id(), c.createdAt().toString(),
                    c.revokedAt() == null ? null : c.revokedAt().toString(), null);
        }
    }
}
