package io.ptorrent.client.cli;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentClientOptions;
import io.ptorrent.client.PtorrentException;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * How {@code bin/ptorrent}'s thin-client commands reach a harbor and authenticate: the address, the account and its
 * API key, from a file ({@code --key-file}) or the environment ({@value #KEY_ENV}); never a secret on the command
 * line, where every user of the machine can read it in the process list. A picocli mixin.
 */
public final class Login {
    /** The environment variable that holds an API key when {@code --key-file} is not given. */
    public static final String KEY_ENV = "PTORRENT_API_KEY";

    @Option(names = "--harbor", paramLabel = "HOST:PORT", defaultValue = PtorrentClientOptions.DEFAULT_ADDRESS,
            description = "The harbor's thin-client address (default: ${DEFAULT-VALUE}).")
    String harbor;

    @Option(names = "--account", paramLabel = "ID", description = "The account to authenticate as (default: $" + BalanceCommand.ACCOUNT_ENV + ").")
    String account;

    @Option(names = "--key-file", paramLabel = "FILE", description = "A file with an API key of the account (default: $" + KEY_ENV + ").")
    Path keyFile;

    /** The account named, or null. */
    String account(Map<String, String> env) {
        String id = account != null ? account : env.get(BalanceCommand.ACCOUNT_ENV);
        return id == null || id.isBlank() ? null : id.strip();
    }

    /** Client options that authenticate as the account. */
    PtorrentClientOptions options() {
        return options(System.getenv());
    }

    PtorrentClientOptions options(Map<String, String> env) {
        String id = account(env);
        String key = key(env);
        if (id == null) {
            throw new PtorrentException(ErrorCode.BAD_REQUEST, "which account? give --account ID or set " + BalanceCommand.ACCOUNT_ENV
                    + " (and its API key: --key-file FILE or " + KEY_ENV + ")");
        }
        if (key == null) {
            throw new PtorrentException(ErrorCode.AUTHENTICATION_FAILED, "no API key for account '" + id + "': give --key-file FILE or set "
                    + KEY_ENV + " (bin/ptorrent account key create issues one)");
        }
        return new PtorrentClientOptions().addresses(harbor).apiKey(id, key);
    }

    private String key(Map<String, String> env) {
        if (keyFile != null) {
            try {
                String k = Files.readString(keyFile).strip();
                return k.isEmpty() ? null : k.lines().findFirst().orElse(null);
            } catch (IOException e) {
                throw new PtorrentException(ErrorCode.BAD_REQUEST, "cannot read the key file " + keyFile + ": " + e.getMessage());
            }
        }
        String k = env.get(KEY_ENV);
        return k == null || k.isBlank() ? null : k.strip();
    }
}
