package io.ptorrent.client.wire;

/**
 * The argument of {@value GatewayTasks#ESTIMATE}.
 *
 * @param workPu the task's work, PU-seconds (one second of one reference core = 1 PU-second)
 */
public record EstimateRequest(double workPu) {
}
