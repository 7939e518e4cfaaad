package hostile;

import io.ptorrent.client.SerializableCallable;
import io.ptorrent.plugin.PtorrentPlugin;
import org.apache.ignite.Ignition;

/** The Ignite API, the ledger, ptorrent's internals. */
public final class GridInternals {
    private GridInternals() {
    }

    public static SerializableCallable<Integer> igniteAllGrids() {
        return () -> Ignition.allGrids().size();
    }

    /** Credits itself a million in the ledger cache. */
    public static SerializableCallable<Integer> ledger() {
        return () -> {
            Ignition.ignite().cache("ptorrent-ledger").put("mallory", 1_000_000L);
            return 1;
        };
    }

    public static SerializableCallable<String> ptorrentPlugin() {
        return () -> String.valueOf(PtorrentPlugin.of(null));
    }
}
