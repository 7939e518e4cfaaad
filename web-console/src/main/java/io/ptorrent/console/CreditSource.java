package io.ptorrent.console;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.credit.CreditSpi;
import io.ptorrent.credit.ratio.Forecast;
import io.ptorrent.plugin.scheduler.FragmentScheduler;

/**
 * Where the console reads accounts and ledgers: the harbor's ledger inside a node. Its calls block (cache
 * reads, SQL), so the routes call it off the event loop.
 */
@FunctionalInterface
interface CreditSource {
    /**
     * The ledger.
     *
     * @throws PtorrentException     NOT_FOUND when this harbor keeps no ledger
     * @throws IllegalStateException while the harbor is starting or stopping (answered with 503)
     */
    CreditSpi credit();

    /** The account's standing in the harbor's queue (entitlement, weight, price); null where there is no scheduler. */
    default FragmentScheduler.Standing standing(String account) {
        return null;
    }

    /** The ratio engine's forecast of supply and demand, the price set from it and the forecasts' measured error; null where there is none. */
    default Forecast market() {
        return null;
    }

    /** A console of a harbor without a ledger. */
    CreditSource NONE = () -> {
        throw new PtorrentException(ErrorCode.NOT_FOUND, "this harbor keeps no credit ledger: its tasks are free");
    };
}
