package io.ptorrent.plugin.admission;

/**
 * A job that says how soon it should run when it waits on a contributor: its account's share of the grid
 * as the harbor that sent it saw it (the ratio engine's entitlement, 0 for an account with none).
 * {@link AdmissionCollisionSpi} starts waiting jobs in descending priority, arrival order among equals.
 */
public interface AdmissionPriority {
    /** The account's share, 0..1. */
    double priority();
}
