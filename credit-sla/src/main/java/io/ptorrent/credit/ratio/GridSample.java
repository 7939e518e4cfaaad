package io.ptorrent.credit.ratio;

import java.time.Instant;
import java.util.Objects;

/**
 * What the grid had and what it was asked for over one interval, as the harbor's scheduler observed it.
 *
 * @param end      when the interval ended
 * @param supplyPu PU the grid offered on average over the interval (sum of shared PU of the contributors up)
 * @param demandPu PU the queued and arriving work asked for on average over the interval (PU-seconds of work
 *                 queued or submitted during the interval, divided by its length in seconds)
 */
public record GridSample(Instant end, double supplyPu, double demandPu) {
    public GridSample {
        Objects.requireNonNull(end, "end");
        if (!(supplyPu >= 0 && demandPu >= 0) || Double.isInfinite(supplyPu) || Double.isInfinite(demandPu)) {
            throw new IllegalArgumentException("supply and demand are finite and never negative: " + supplyPu + ", " + demandPu);
        }
    }
}
