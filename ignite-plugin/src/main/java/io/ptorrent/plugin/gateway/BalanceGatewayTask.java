package io.ptorrent.plugin.gateway;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.wire.BalanceRequest;
import io.ptorrent.client.wire.BalanceResult;
import io.ptorrent.client.wire.GatewayTasks;
import io.ptorrent.client.wire.WireError;
import io.ptorrent.client.wire.WireJson;
import io.ptorrent.credit.Account;
import io.ptorrent.plugin.PtorrentPlugin;
import io.ptorrent.plugin.security.Caller;
import org.apache.ignite.Ignite;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.compute.ComputeJob;
import org.apache.ignite.compute.ComputeJobAdapter;
import org.apache.ignite.compute.ComputeJobResult;
import org.apache.ignite.compute.ComputeTaskAdapter;
import org.apache.ignite.compute.ComputeTaskName;
import org.apache.ignite.resources.IgniteInstanceResource;

import java.util.List;
import java.util.Map;

/**
 * The thin-client entry {@value GatewayTasks#BALANCE}: takes a {@link BalanceRequest} (JSON) and answers a
 * {@link BalanceResult} (JSON) with the account's credit, or with an error ({@code UNKNOWN_ACCOUNT},
 * {@code BAD_REQUEST}, {@code NOT_FOUND} on a harbor without a ledger, {@code NOT_READY} while it starts).
 * One job on the harbor the client is connected to; a read, no transaction.
 */
@ComputeTaskName(GatewayTasks.BALANCE)
final class BalanceGatewayTask extends LocalGatewayTask {
    private static final long serialVersionUID = 1L;

    @Override
    ComputeJob job(String request) {
        return new BalanceJob(request);
    }

    @Override
    String internalError(WireError error) {
        return WireJson.write(BalanceResult.failed(null, error));
    }

    private static final class BalanceJob extends ComputeJobAdapter {
        private static final long serialVersionUID = 1L;

        private final String request;

        @IgniteInstanceResource
        private transient Ignite ignite;

        BalanceJob(String request) {
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
                account = WireJson.read(request, BalanceRequest.class).account();
                // A member reads its own account only (NOT_AUTHORIZED for another); an operator any.
                account = caller.readable(account);
                if (account == null) {
                    throw new PtorrentException(ErrorCode.BAD_REQUEST, "give the account: {\"account\":\"<id>\"}");
                }
                Account a = PtorrentPlugin.of(ignite).credit().account(account);
                return WireJson.write(new BalanceResult(a.id(), a.balance(), a.held(), a.earned(), a.spent(), a.tier().name(), null));
            } catch (PtorrentException e) {
                return WireJson.write(BalanceResult.failed(account, WireError.of(e)));
            } catch (IllegalStateException e) {
                return WireJson.write(BalanceResult.failed(account, WireError.of(new PtorrentException(ErrorCode.NOT_READY, e.getMessage()))));
            }
        }
    }
}
