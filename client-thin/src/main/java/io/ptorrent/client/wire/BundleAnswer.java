package io.ptorrent.client.wire;

/**
 * What {@value GatewayTasks#BUNDLE_HAS} and {@value GatewayTasks#BUNDLE_UPLOAD} answer.
 *
 * @param sha256  the bundle's hash
 * @param present whether the harbor holds the bundle now (after an upload: true unless {@code error})
 * @param error   null on success; an upload of a bundle that fails verification answers BUNDLE_INVALID,
 *                BUNDLE_TOO_LARGE or BUNDLE_REJECTED
 */
public record BundleAnswer(String sha256, boolean present, WireError error) {
}
