package io.ptorrent.plugin.admission;

/**
 * Marks a compute job that {@link AdmissionCollisionSpi} always lets run: the grid's own small control jobs
 * (changing a node's rules), which must reach a node even when it shares nothing. Never user work.
 */
public interface AdmissionExempt {
}
