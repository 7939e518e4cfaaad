package io.ptorrent.client.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;

/** JSON for the gateway's messages. Byte arrays are Base64 strings. */
public final class WireJson {
    // Unknown fields are ignored so that an older peer can read a newer message.
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private WireJson() {
    }

    public static String write(Object message) {
        try {
            return MAPPER.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new PtorrentException(ErrorCode.INTERNAL, "cannot write " + message.getClass().getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /** Reads a message; malformed input is a {@link ErrorCode#BAD_REQUEST}. */
    public static <T> T read(String json, Class<T> type) {
        if (json == null) {
            throw new PtorrentException(ErrorCode.BAD_REQUEST, "expected a JSON " + type.getSimpleName() + ", got nothing");
        }
        try {
            T value = MAPPER.readValue(json, type);
            if (value == null) {
                throw new PtorrentException(ErrorCode.BAD_REQUEST, "expected a JSON " + type.getSimpleName() + ", got null");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new PtorrentException(ErrorCode.BAD_REQUEST, "not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        } catch (RuntimeException e) {
            if (e instanceof PtorrentException p) {
                throw p;
            }
            // Record constructors reject missing fields with NullPointerException.
            throw new PtorrentException(ErrorCode.BAD_REQUEST, "not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
