package io.ptorrent.plugin.scheduler;

import java.io.Serializable;

/**
 * What a contributor sends back for one fragment: the result bytes or an error code and message.
 * Plain data on purpose: the harbor reads it from an untrusted node, so it carries no exception objects.
 */
public final class FragmentOutcome implements Serializable {
    private static final long serialVersionUID = 1L;

    private final byte[] value;
    private final String errorCode;
    private final String errorMessage;

    private FragmentOutcome(byte[] value, String errorCode, String errorMessage) {
        this.value = value;
        this.errorCode = errorCode;
        this.errorMessage = errorMessage;
    }

    public static FragmentOutcome ok(byte[] value) {
        return new FragmentOutcome(value, null, null);
    }

    public static FragmentOutcome failed(String code, String message) {
        return new FragmentOutcome(null, code, message);
    }

    public boolean isOk() {
        return errorCode == null;
    }

    public byte[] value() {
        return value;
    }

    public String errorCode() {
        return errorCode;
    }

    public String errorMessage() {
        return errorMessage;
    }
}
