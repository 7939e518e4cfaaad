/**
 * Performance credit: the {@link io.ptorrent.credit.CreditSpi} contract and its ledger on Ignite
 * ({@link io.ptorrent.credit.IgniteLedger}): accounts, double-entry transfers with idempotency keys, and
 * escrow (hold, settle per fragment exactly once, refund). SLA tiers shape entitlements, which the ratio engine
 * in {@link io.ptorrent.credit.ratio} computes.
 *
 * <p><b>Unit.</b> Every amount is a {@code long} of <em>milli-PU-seconds</em>: 1,000 units are one
 * credit, one second of one reference core's work ({@link io.ptorrent.credit.CreditSpi#UNITS_PER_CREDIT}).
 * Integers, so that sums are exact and the conservation invariant can be checked to the unit.
 */
package io.ptorrent.credit;
