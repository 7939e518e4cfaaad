package io.ptorrent.plugin.gateway;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.wire.BalanceResult;
import io.ptorrent.client.wire.GatewayTasks;
import io.ptorrent.client.wire.GrantRequest;
import io.ptorrent.client.wire.WireError;
import io.ptorrent.client.wire.WireJson;
import io.ptorrent.credit.Account;
import io.ptorrent.credit.CreditSpi;
import io.ptorrent.plugin.PtorrentPlugin;
import io.ptorrent.plugin.security.Caller;
import org.apache.ignite.Ignite;
import org.apache.ignite.compute.ComputeJob;
import org.apache.ignite.compute.ComputeJobAdapter;
import org.apache.ignite.compute.ComputeTaskName;
import org.apache.ignite.resources.IgniteInstanceResource;

/**
 * {@value GatewayTasks#CREDIT_GRANT}: an operator grants credit through the ledger ({@link CreditSpi#grant}, a
 * transfer from the grid account, idempotent by key). The only way an operator moves credit: the ledger's caches
 * and tables are closed to writes from outside.
 */
@ComputeTaskName(GatewayTasks.CREDIT_GRANT)
final class GrantGatewayTask extends LocalGatewayTask {
    private static final long serialVersionUID = 1L;

    @Override
    ComputeJob job(String request) {
        return new GrantJob(request);
    }

    @Override
    String internalError(WireError error) {
        return WireJson.write(BalanceResult.failed(null, error));
    }

    private static final class GrantJob extends ComputeJobAdapter {
        private static final long serialVersionUID = 1L;

        private final String request;

        @IgniteInstanceResource
        private transient Ignite ignite;

        GrantJob(String request) {
            this.request = request;
        }

        @Override
        public String execute() {
            Caller caller = Caller.current(ignite);
            return Caller.asHarbor(ignite, () -> answer(caller));
        }

        private String answer(Caller caller) {
            String account = null;
            try {
                // Who asks before what: a member learns nothing of the request's form.
                if (!caller.trusted() && caller.kind() != Caller.Kind.OPERATOR) {
                    throw new PtorrentException(ErrorCode.NOT_AUTHORIZED, "only an operator grants credit; nothing was moved");
                }
                GrantRequest req = WireJson.read(request, GrantRequest.class);
                account = req.account();
                if (account == null || req.key() == null || req.key().isBlank()) {
                    throw new PtorrentException(ErrorCode.BAD_REQUEST, "give the account and an idempotency key: {\"account\":\"<id>\",\"amount\":N,\"key\":\"<unique>\"}");
                }
                CreditSpi ledger = PtorrentPlugin.of(ignite).credit();
                ledger.grant(account, req.amount(), "grant:" + req.key());
                Account a = ledger.account(account);
                return WireJson.write(new BalanceResult(a.id(), a.balance(), a.held(), a.earned(), a.spent(), a.tier().name(), null));
            } catch (PtorrentException e) {
                return WireJson.write(BalanceResult.failed(account, WireError.of(e)));
            } catch (IllegalStateException e) {
                return WireJson.write(BalanceResult.failed(account, WireError.of(new PtorrentException(ErrorCode.NOT_READY, e.getMessage()))));
            }
        }
    }
}
