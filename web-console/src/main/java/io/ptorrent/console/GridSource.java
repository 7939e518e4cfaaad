package io.ptorrent.console;

import io.ptorrent.plugin.GridSnapshot;

/**
 * Where the console reads the grid from: the harbor's ptorrent plugin inside a node, a fixed snapshot in
 * tests. Called on a Vert.x event loop for every API request, so it must not block.
 */
@FunctionalInterface
interface GridSource {
    /**
     * The grid now.
     *
     * @throws IllegalStateException while the harbor is starting or stopping (answered with 503)
     */
    GridSnapshot snapshot();
}
