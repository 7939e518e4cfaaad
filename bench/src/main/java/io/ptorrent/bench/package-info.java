/**
 * Benchmarks, kept out of the test run. Each runs its baseline in the same run and writes its figures,
 * with the command that produced them, to docs/BENCHMARKS.md.
 */
package io.ptorrent.bench;
