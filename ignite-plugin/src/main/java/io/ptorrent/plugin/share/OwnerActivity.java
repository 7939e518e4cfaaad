package io.ptorrent.plugin.share;

import java.time.Duration;
import java.util.Objects;

/**
 * What the machine's owner is doing, as the node observes it: whether they are active now, and how long
 * the machine has been idle (zero while active). Given to {@link ShareRules#allowance}.
 *
 * @param active  the owner is using the machine
 * @param idleFor how long the machine has been idle, never negative
 */
public record OwnerActivity(boolean active, Duration idleFor) {
    public OwnerActivity {
        Objects.requireNonNull(idleFor, "idleFor");
        if (idleFor.isNegative()) {
            throw new IllegalArgumentException("idleFor must not be negative: " + idleFor);
        }
    }

    /** The owner is using the machine now. */
    public static OwnerActivity ownerActive() {
        return new OwnerActivity(true, Duration.ZERO);
    }

    /** The owner has left the machine alone for {@code idleFor}. */
    public static OwnerActivity ownerIdleFor(Duration idleFor) {
        return new OwnerActivity(false, idleFor);
    }
}
