package io.ptorrent.client;

import java.util.Objects;

/** A failure with a stable {@link ErrorCode} and a message that says what went wrong. */
public class PtorrentException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public PtorrentException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public PtorrentException(ErrorCode code, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }

    /** "CODE: message (what to do)", the form every ptorrent tool prints. */
    public String describe() {
        return code + ": " + getMessage() + " (" + code.hint() + ")";
    }
}
