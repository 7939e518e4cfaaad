/**
 * Performance credit: the {@code CreditSpi} contract, the ledger (accounts, double-entry transfers,
 * escrow), SLA tiers and the entitlement/ratio engine. Empty until the credit issue lands: the module
 * exists now so that the build's layout shows the architecture (DESIGN.md), and nothing here claims to work.
 */
package io.ptorrent.credit;
