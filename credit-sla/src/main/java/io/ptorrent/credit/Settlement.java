package io.ptorrent.credit;

import java.util.Objects;

/** One accepted fragment to pay, for {@link CreditSpi#settleAll}. Amount in milli-PU-seconds. */
public record Settlement(String taskId, int fragment, String contributor, long amount) {
    public Settlement {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(contributor, "contributor");
    }
}
