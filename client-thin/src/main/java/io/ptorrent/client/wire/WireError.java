package io.ptorrent.client.wire;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;

/** An error as every ptorrent interface sends it: {@code {"code": "...", "message": "..."}}. */
public record WireError(String code, String message) {
    public static WireError of(PtorrentException e) {
        return new WireError(e.code().name(), e.getMessage());
    }

    /** The error as an exception; an unknown code (from a newer harbor) maps to INTERNAL. */
    public PtorrentException toException() {
        ErrorCode known;
        try {
            known = ErrorCode.valueOf(code);
        } catch (IllegalArgumentException | NullPointerException e) {
            known = ErrorCode.INTERNAL;
        }
        return new PtorrentException(known, message);
    }
}
