package io.ptorrent.client.cli;

import io.ptorrent.client.Balance;
import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.PtorrentClientOptions;
import io.ptorrent.client.PtorrentException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ptorrent balance [--account ID]}: an account's credit, through the thin client's {@code balance()}. */
@Command(name = "balance", mixinStandardHelpOptions = true,
        description = "Show an account's performance credit: balance, held in escrow, earned, spent (in credits = PU-seconds).")
public final class BalanceCommand implements Callable<Integer> {
    /** The environment variable that names the account when {@code --account} is not given. */
    public static final String ACCOUNT_ENV = "PTORRENT_ACCOUNT";

    @Mixin
    Login login;

    @Mixin
    ClientTls tls;

    @Override
    public Integer call() {
        try (PtorrentClient client = PtorrentClient.connect(tls.apply(login.options()))) {
            Balance b = client.balance();
            System.out.println(String.format(Locale.ROOT, "%s: balance %.3f credits, held %.3f, earned %.3f, spent %.3f (tier %s)",
                    b.account(), Balance.credits(b.balance()), Balance.credits(b.held()), Balance.credits(b.earned()),
                    Balance.credits(b.spent()), b.tier()));
        }
        return 0;
    }
}
