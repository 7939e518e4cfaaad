package io.ptorrent.client.cli;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.wire.IdentityResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;

/**
 * {@code ptorrent account ...}: accounts and their credentials, through the identity gateway tasks. Every command
 * authenticates (the {@link Login} options); an operator may act for another account with {@code --for ID}.
 * A secret is printed or written once, when it is issued: {@code --out FILE} writes it to a new file of mode 600.
 */
@Command(name = "account", mixinStandardHelpOptions = true,
        description = "Accounts and their credentials: API keys for submitting, join credentials for contributor nodes.",
        subcommands = {AccountCommand.Create.class, AccountCommand.Key.class, AccountCommand.JoinToken.class, AccountCommand.ListCredentials.class,
                AccountCommand.Grant.class})
public final class AccountCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create an account (operators only) with an API key, a password, or both.")
    static final class Create implements Callable<Integer> {
        @Mixin
        Login login;

        @Mixin
        ClientTls tls;

        @Parameters(index = "0", paramLabel = "ID", description = "The new account's id.")
        String id;

        @Option(names = "--role", defaultValue = "member", description = "member or operator (default: ${DEFAULT-VALUE}).")
        String role;

        @Option(names = "--password-file", paramLabel = "FILE", description = "A file with the account's password (at least 12 characters).")
        Path passwordFile;

        @Option(names = "--out", paramLabel = "FILE", description = "Write the account's first API key to this new file (mode 600) instead of printing it.")
        Path out;

        @Option(names = "--no-key", description = "Issue no API key (the account authenticates with its password).")
        boolean noKey;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            String password = passwordFile == null ? null : readFirstLine(passwordFile, "password file");
            try (PtorrentClient client = PtorrentClient.connect(tls.apply(login.options()))) {
                IdentityResult r = client.createAccount(id, role, password, !noKey);
                PrintWriter w = spec.commandLine().getOut();
                w.println("created account " + r.account() + " (" + r.role() + ")");
                if (r.issued() != null) {
                    emit(w, r.issued(), out);
                }
                w.flush();
            }
            return 0;
        }
    }

    @Command(name = "key", mixinStandardHelpOptions = true, description = "API keys: create one, or revoke one by id.",
            subcommands = {Key.CreateKey.class, Key.RevokeKey.class})
    static final class Key implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().usage(spec.commandLine().getOut());
            return 0;
        }

        @Command(name = "create", mixinStandardHelpOptions = true, description = "Issue a new API key.")
        static final class CreateKey extends Issue {
            CreateKey() {
                super("api-key");
            }
        }

        @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke an API key by its id.")
        static final class RevokeKey extends Revoke {
        }
    }

    @Command(name = "join-token", mixinStandardHelpOptions = true,
            description = "Join credentials for contributor nodes: create one, or revoke one by id.",
            subcommands = {JoinToken.CreateJoin.class, JoinToken.RevokeJoin.class})
    static final class JoinToken implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().usage(spec.commandLine().getOut());
            return 0;
        }

        @Command(name = "create", mixinStandardHelpOptions = true,
                description = "Issue a join credential: start a contributor with bin/ptorrent node --join-token-file FILE.")
        static final class CreateJoin extends Issue {
            CreateJoin() {
                super("join");
            }
        }

        @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a join credential by its id (a node using it cannot join again).")
        static final class RevokeJoin extends Revoke {
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List an account's credentials: ids, kinds, dates; never secrets.")
    static final class ListCredentials implements Callable<Integer> {
        @Mixin
        Login login;

        @Mixin
        ClientTls tls;

        @Option(names = "--for", paramLabel = "ID", description = "Another account's (operators only).")
        String forAccount;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (PtorrentClient client = PtorrentClient.connect(tls.apply(login.options()))) {
                IdentityResult r = client.credentials(forAccount);
                PrintWriter w = spec.commandLine().getOut();
                w.println("account " + r.account() + (r.role() == null ? "" : " (" + r.role() + ")") + ": " + r.credentials().size() + " credential(s)");
                for (IdentityResult.Credential c : r.credentials()) {
                    w.println("  " + c.id() + "  " + c.kind() + "  created " + c.createdAt() + (c.revokedAt() == null ? "" : "  revoked " + c.revokedAt()));
                }
                w.flush();
            }
            return 0;
        }
    }

    @Command(name = "grant", mixinStandardHelpOptions = true,
            description = "Grant credit to an account from the grid account (operators only), through the ledger; idempotent by --key.")
    static final class Grant implements Callable<Integer> {
        @Mixin
        Login login;

        @Mixin
        ClientTls tls;

        @Parameters(index = "0", paramLabel = "ID", description = "The account that gets the credit.")
        String id;

        @Option(names = "--credits", required = true, paramLabel = "N", description = "Credits to grant (PU-seconds; decimals allowed, to 0.001).")
        java.math.BigDecimal credits;

        @Option(names = "--key", required = true, paramLabel = "KEY", description = "A key of this grant: sent again (a retry), it moves nothing more.")
        String key;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            long amount;
            try {
                amount = credits.movePointRight(3).longValueExact();
            } catch (ArithmeticException e) {
                throw new PtorrentException(ErrorCode.BAD_AMOUNT, "--credits " + credits + " has more than 3 decimals or is too large");
            }
            try (PtorrentClient client = PtorrentClient.connect(tls.apply(login.options()))) {
                io.ptorrent.client.Balance b = client.grant(id, amount, key);
                PrintWriter w = spec.commandLine().getOut();
                w.println(String.format(java.util.Locale.ROOT, "granted; %s: balance %.3f credits", b.account(), io.ptorrent.client.Balance.credits(b.balance())));
                w.flush();
            }
            return 0;
        }
    }

    abstract static class Issue implements Callable<Integer> {
        private final String kind;

        @Mixin
        Login login;

        @Mixin
        ClientTls tls;

        @Option(names = "--for", paramLabel = "ID", description = "For another account (operators only).")
        String forAccount;

        @Option(names = "--out", paramLabel = "FILE", description = "Write the secret to this new file (mode 600) instead of printing it.")
        Path out;

        @Spec
        CommandSpec spec;

        Issue(String kind) {
            this.kind = kind;
        }

        @Override
        public Integer call() {
            try (PtorrentClient client = PtorrentClient.connect(tls.apply(login.options()))) {
                IdentityResult r = client.issueCredential(forAccount, kind);
                PrintWriter w = spec.commandLine().getOut();
                emit(w, r.issued(), out);
                w.flush();
            }
            return 0;
        }
    }

    abstract static class Revoke implements Callable<Integer> {
        @Mixin
        Login login;

        @Mixin
        ClientTls tls;

        @Parameters(index = "0", paramLabel = "CREDENTIAL-ID", description = "The credential's id (bin/ptorrent account list shows them).")
        String id;

        @Option(names = "--for", paramLabel = "ID", description = "Another account's (operators only).")
        String forAccount;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (PtorrentClient client = PtorrentClient.connect(tls.apply(login.options()))) {
                IdentityResult r = client.revokeCredential(forAccount, id);
                PrintWriter w = spec.commandLine().getOut();
                w.println("revoked " + id + " of account " + r.account());
                w.flush();
            }
            return 0;
        }
    }

    /** Prints the credential's id, and its secret once: to a new mode-600 file, or to the output. */
    static void emit(PrintWriter w, IdentityResult.Credential c, Path out) {
        if (out != null) {
            writeSecret(out, c.token());
            w.println(c.kind() + " " + c.id() + " of account " + c.account() + " written to " + out + " (mode 600); it is not shown again");
        } else {
            w.println(c.kind() + " " + c.id() + " of account " + c.account() + " (shown once; keep it in a file of mode 600):");
            w.println(c.token());
        }
    }

    /** Writes a secret to a new file that only its owner may read. */
    static void writeSecret(Path file, String secret) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new PtorrentException(ErrorCode.BAD_REQUEST, out(file) + " exists already; choose a new file (a secret is never written over another)");
        } catch (IOException e) {
            throw new PtorrentException(ErrorCode.BAD_REQUEST, "cannot write " + file + ": " + e.getMessage());
        }
    }

    private static String out(Path file) {
        return String.valueOf(file);
    }

    static String readFirstLine(Path file, String what) {
        try {
            String s = Files.readString(file).strip();
            return s.lines().findFirst().orElse("");
        } catch (IOException e) {
            throw new PtorrentException(ErrorCode.BAD_REQUEST, "cannot read the " + what + " " + file + ": " + e.getMessage());
        }
    }
}
