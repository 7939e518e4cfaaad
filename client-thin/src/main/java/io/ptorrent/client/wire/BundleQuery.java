package io.ptorrent.client.wire;

/**
 * The argument of {@value GatewayTasks#BUNDLE_HAS}.
 *
 * @param sha256 the bundle's hash, lower-case hex, as {@code io.ptorrent.client.bundle.Bundle} computes it
 */
public record BundleQuery(String sha256) {
}
