package hostile;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.SerializableCallable;

/** ptorrent's own exception with a code that is not the closure's to give (the client API allows the type). */
public final class ForgedFailure {
    private ForgedFailure() {
    }

    public static SerializableCallable<Integer> forgedErrorCode() {
        return () -> {
            throw new PtorrentException(ErrorCode.NO_CONTRIBUTORS, "forged by the closure");
        };
    }
}
