/**
 * Closures for the verifier's reachability tests: a submitter's main class that uses threads and files beside
 * clean closures, and closures that reach a forbidden call through a helper (one scenario per top-level class,
 * so that each bundle holds exactly what its test names).
 */
package reachtest;
