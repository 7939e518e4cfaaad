package io.ptorrent.credit;

/** The service level an account is entitled to under contention; the ratio engine reads it. */
public enum SlaTier {
    /** No contribution expected; runs on capacity nobody else wants, at the lowest priority. */
    FREE,
    /** Shares a machine; entitlement follows recent contribution and balance. */
    CONTRIBUTOR,
    /** An operator-assigned minimum share of the grid. */
    GUARANTEED
}
