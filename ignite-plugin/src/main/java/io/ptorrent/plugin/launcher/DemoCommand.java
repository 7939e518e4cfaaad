package io.ptorrent.plugin.launcher;

import io.ptorrent.plugin.security.internal.SecretFiles;
import io.ptorrent.plugin.security.Identities;
import io.ptorrent.plugin.PtorrentPluginConfiguration;
import io.ptorrent.client.wire.IdentityResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ptorrent.client.Balance;
import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.PtorrentClientOptions;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.TlsTrust;
import io.ptorrent.client.cli.ExampleProgram;
import io.ptorrent.client.cli.SubmitCommand;
import io.ptorrent.plugin.transport.DevCertificates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code ptorrent demo}: a whole grid on this machine. One harbor (console, persistence under the work
 * directory) and contributor nodes, each in its own JVM; then an example task through the thin client.
 * Runs until Ctrl-C, then stops every process it started.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a local grid: a harbor with the console and contributor nodes, each in its own JVM, and submit an example.")
public final class DemoCommand implements Callable<Integer> {
    /** The demo's households; their names are also their accounts. */
    private static final List<String> HOUSEHOLDS = List.of("alice", "bob", "dave", "erin", "frank", "grace", "heidi", "ivan");
    /** The demo's submitter: she runs no contributor node. */
    private static final String SUBMITTER = "carol";
    private static final Duration START_LIMIT = Duration.ofSeconds(90);

    @Option(names = "--console-port", defaultValue = "8080", description = "Port of the web console (default: ${DEFAULT-VALUE}).")
    int consolePort;

    @Option(names = "--discovery-port", defaultValue = "47500", description = "Harbor discovery port (default: ${DEFAULT-VALUE}).")
    int discoveryPort;

    @Option(names = "--communication-port", defaultValue = "47100", description = "Harbor communication port (default: ${DEFAULT-VALUE}).")
    int communicationPort;

    @Option(names = "--thin-port", defaultValue = "10800", description = "Harbor thin-client port (default: ${DEFAULT-VALUE}).")
    int thinPort;

    @Option(names = "--contributors", defaultValue = "2", description = "Contributor nodes to start, 1-8 (default: ${DEFAULT-VALUE}).")
    int contributors;

    @Option(names = "--work-dir", defaultValue = "work", description = "Data and logs of the demo's nodes (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--config-dir", defaultValue = "config", description = "Where harbor.xml and household-node.xml are (default: ${DEFAULT-VALUE}).")
    Path configDir;

    @Option(names = "--example", defaultValue = "pi", description = "Example to submit once the grid is up; 'none' for none (default: ${DEFAULT-VALUE}).")
    String example;

    @Option(names = "--exit-after-example", description = "Stop the grid after the example instead of waiting for Ctrl-C.")
    boolean exitAfterExample;

    private final List<Child> children = new ArrayList<>();

    /**
     * A node the demo started, in its own work directory: it logs to {@code log/ptorrent.0.log} there, as any node of
     * {@code bin/ptorrent} does, and what it printed (its start-up line, warnings, a crash before logging began) goes to
     * {@code log/stdout.log} beside it.
     */
    private record Child(String who, Process process, Path logDir) {
        Path log() {
            return logDir.resolve("ptorrent.0.log");
        }

        Path stdout() {
            return logDir.resolve("stdout.log");
        }
    }
    /** The development CA that the demo's nodes and clients trust. */
    private Path ca;

    @Override
    public Integer call() throws Exception {
        if (contributors < 1 || contributors > HOUSEHOLDS.size()) {
            throw new PtorrentException(ErrorCode.BAD_REQUEST, "--contributors must be 1-" + HOUSEHOLDS.size() + ", was " + contributors);
        }
        for (int p : new int[] {consolePort, discoveryPort, communicationPort, thinPort}) {
            Ports.requireValid(p, "a port option");
        }
        Ports.requireFree(discoveryPort, "harbor discovery", "--discovery-port");
        Ports.requireFree(communicationPort, "harbor communication", "--communication-port");
        Ports.requireFree(thinPort, "thin clients", "--thin-port");
        Ports.requireFree(consolePort, "the console", "--console-port");
        // Made here, before any node starts: the harbor serves them and everyone else trusts their CA.
        Path tlsDir = workDir.resolve("tls");
        ca = Path.of(DevCertificates.ensure(tlsDir.toAbsolutePath()).getTrustedCertificates());

        CountDownLatch done = new CountDownLatch(1);
        Thread stopper = new Thread(() -> {
            stopChildren();
            done.countDown();
        }, "ptorrent-demo-stop");
        Runtime.getRuntime().addShutdownHook(stopper);

        String console = "https://localhost:" + consolePort + "/";
        System.out.println("Starting a harbor (console " + console + ") and " + contributors + " contributor node(s); each logs in its own folder under "
                + workDir + " ...");
        start("harbor", "harbor", "--config", configDir.resolve("harbor.xml").toString(), "--name", "harbor",
                "--work-dir", workDir.resolve("harbor").toString(),
                "--discovery-port", String.valueOf(discoveryPort), "--communication-port", String.valueOf(communicationPort),
                "--thin-port", String.valueOf(thinPort), "--console-port", String.valueOf(consolePort), "--tls-dir", tlsDir.toString(),
                // carol submits and runs no node: the operator opens her account.
                "--open-account", SUBMITTER);
        waitForGrid(0);
        Path credentials = workDir.resolve("credentials");
        issueCredentials(credentials);
        for (int i = 0; i < contributors; i++) {
            String who = HOUSEHOLDS.get(i);
            start(who, "node", "--config", configDir.resolve("household-node.xml").toString(), "--name", who, "--account", who,
                    "--join-token-file", joinTokenFile(credentials, who).toString(),
                    "--work-dir", workDir.resolve(who).toString(), "--harbor-address", "127.0.0.1:" + discoveryPort, "--tls-trust", ca.toString(),
                    // All nodes share one machine here: each would take the others' work for its owner's.
                    "--no-automatic");
            // One at a time: each node measures its PU score as it starts, and two at once would share the cores.
            waitForGrid(i + 1);
        }
        System.out.println("The grid is up: 1 harbor, " + contributors + " contributor node(s).");
        printLogs();

        if (!"none".equals(example)) {
            runExample(credentials);
        }
        System.out.println();
        System.out.println("Console:  " + console);
        // The client commands trust work/tls/ca.pem by themselves; another work directory's CA is named.
        String trustOption = ca.toAbsolutePath().normalize().equals(TlsTrust.DEV_CA.toAbsolutePath().normalize()) ? "" : " --tls-trust " + ca;
        String harborOption = (thinPort != 10800 ? " --harbor 127.0.0.1:" + thinPort : "") + trustOption;
        System.out.println("Submit:   bin/ptorrent submit --example pi --account " + SUBMITTER + " --key-file " + apiKeyFile(credentials, SUBMITTER) + harborOption);
        System.out.println("Credit:   bin/ptorrent balance --account " + SUBMITTER + " --key-file " + apiKeyFile(credentials, SUBMITTER) + harborOption
                + "   (alice and bob earn for their nodes)");
        System.out.println("How they authenticate (credentials generated for this demo, files of mode 600 in " + credentials + "):");
        System.out.println("  " + label(SUBMITTER) + "runs no node; submits and reads her credit with her API key " + apiKeyFile(credentials, SUBMITTER));
        for (String who : HOUSEHOLDS.subList(0, contributors)) {
            System.out.println("  " + label(who) + "runs a node that joined with the join credential "
                    + joinTokenFile(credentials, who) + "; reads the credit it earns with --account " + who + " --key-file " + apiKeyFile(credentials, who));
        }
        System.out.println("  " + label("operator") + "--account " + Identities.OPERATOR_ACCOUNT + " --key-file "
                + workDir.resolve("harbor").resolve(PtorrentPluginConfiguration.OPERATOR_KEY_FILE) + " (bin/ptorrent account ... creates accounts and credentials)");
        System.out.println("Grid:     bin/ptorrent grid" + (consolePort != 8080 ? " --console " + console : "") + trustOption);
        System.out.println("TLS:      every port; the development CA is " + ca + " (import it into a browser to open the console without a warning)");
        if (exitAfterExample) {
            return 0; // the shutdown hook stops the nodes
        }
        System.out.println("Press Ctrl-C to stop the grid.");
        System.out.flush();
        done.await();
        return 0;
    }

    /**
     * Creates the demo's accounts through the harbor's identity gateway, as its operator (the harbor wrote the
     * operator's key at its first start), and writes each person's fresh API key (and each household's join
     * credential) to a file of mode 600. Nothing is a fixed string in the code: a rerun issues new ones.
     */
    private void issueCredentials(Path credentials) {
        Path operatorKey = workDir.resolve("harbor").resolve(PtorrentPluginConfiguration.OPERATOR_KEY_FILE);
        String key = SecretFiles.read(operatorKey);
        if (key == null) {
            throw new PtorrentException(ErrorCode.INTERNAL, "the harbor wrote no operator key at " + operatorKey + "; see its log");
        }
        try (PtorrentClient operator = PtorrentClient.connect(new PtorrentClientOptions().addresses("127.0.0.1:" + thinPort)
                .apiKey(Identities.OPERATOR_ACCOUNT, key).tlsTrust(ca))) {
            List<String> people = new ArrayList<>(List.of(SUBMITTER));
            people.addAll(HOUSEHOLDS.subList(0, contributors));
            for (String who : people) {
                IdentityResult.Credential apiKey;
                try {
                    apiKey = operator.createAccount(who, "member", null, true).issued();
                } catch (PtorrentException e) {
                    if (e.code() != ErrorCode.BAD_REQUEST) {
                        throw e;
                    }
                    apiKey = operator.issueCredential(who, "api-key").issued(); // the account is left from an earlier run
                }
                SecretFiles.replace(apiKeyFile(credentials, who), apiKey.token());
                if (!SUBMITTER.equals(who)) {
                    SecretFiles.replace(joinTokenFile(credentials, who), operator.issueCredential(who, "join").issued().token());
                }
            }
        }
    }

    private static Path apiKeyFile(Path credentials, String who) {
        return credentials.resolve(who + ".api-key");
    }

    private static Path joinTokenFile(Path credentials, String who) {
        return credentials.resolve(who + ".join-token");
    }

    private void runExample(Path credentials) {
        ExampleProgram program = SubmitCommand.examples().stream().filter(p -> p.name().equals(example)).findFirst()
                .orElseThrow(() -> new PtorrentException(ErrorCode.BAD_REQUEST, "there is no example '" + example + "'"));
        System.out.println("Submitting the '" + program.name() + "' example (" + program.description() + ") as " + SUBMITTER + " ...");
        String address = "127.0.0.1:" + thinPort;
        try (PtorrentClient client = PtorrentClient.connect(new PtorrentClientOptions().addresses(address)
                .apiKey(SUBMITTER, SecretFiles.read(apiKeyFile(credentials, SUBMITTER))).tlsTrust(ca))) {
            Object result = program.run(client, System.out);
            System.out.println(program.name() + " = " + result);
        }
        List<String> people = new ArrayList<>(List.of(SUBMITTER));
        people.addAll(HOUSEHOLDS.subList(0, contributors));
        for (String who : people) {
            // Each person reads their own credit, authenticated with their own key.
            try (PtorrentClient client = PtorrentClient.connect(new PtorrentClientOptions().addresses(address)
                    .apiKey(who, SecretFiles.read(apiKeyFile(credentials, who))).tlsTrust(ca))) {
                Balance b = client.balance();
                System.out.printf(java.util.Locale.ROOT, "  %-6s balance %10.3f credits, earned %8.3f, spent %8.3f%n",
                        b.account(), Balance.credits(b.balance()), Balance.credits(b.earned()), Balance.credits(b.spent()));
            }
        }
    }

    private void start(String who, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-Xmx") && !a.startsWith("-Xms") && !a.startsWith("-agentlib")) {
                cmd.add(a);
            }
        }
        // Contributors are small on purpose: a household notices a fat background process.
        cmd.add("harbor".equals(who) ? "-Xmx512m" : "-Xmx192m");
        cmd.add("-cp");
        String classPath = System.getProperty("java.class.path");
        cmd.add("harbor".equals(who) ? classPath : HarborOnlyJars.contributorClassPath(classPath));
        cmd.add(Launcher.class.getName());
        cmd.addAll(List.of(args));
        // Ignite writes the node's log under its work directory (config/java.util.logging.properties, which this JVM's flags name).
        Path logDir = workDir.resolve(who).resolve("log");
        Files.createDirectories(logDir);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logDir.resolve("stdout.log").toFile())).start();
        synchronized (children) {
            children.add(new Child(who, p, logDir));
        }
    }

    /** Polls the console until it lists the harbor and {@code contributorsWanted} contributors. */
    private void waitForGrid(int contributorsWanted) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).sslContext(TlsTrust.clientContext(ca)).build();
        URI uri = URI.create("https://127.0.0.1:" + consolePort + "/api/grid");
        ObjectMapper json = new ObjectMapper();
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (children) {
                for (Child c : children) {
                    if (!c.process().isAlive()) {
                        throw new PtorrentException(ErrorCode.INTERNAL, "the demo's " + c.who() + " exited with status " + c.process().exitValue()
                                + "; see " + c.stdout() + " and " + c.log());
                    }
                }
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    JsonNode g = json.readTree(r.body());
                    if (g.path("harbors").asInt() >= 1 && g.path("contributors").asInt() >= contributorsWanted) {
                        return;
                    }
                }
            } catch (IOException e) {
                // not up yet
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        throw new PtorrentException(ErrorCode.INTERNAL, "the grid did not come up within " + START_LIMIT.toSeconds() + " s; see the logs: "
                + String.join(", ", logFiles()));
    }

    /** Where each node logs, one line each. */
    private void printLogs() {
        System.out.println("Logs (each node's log file; what it printed, stdout.log, is beside it):");
        synchronized (children) {
            for (Child c : children) {
                System.out.println("  " + label(c.who()) + c.log());
            }
        }
    }

    private List<String> logFiles() {
        synchronized (children) {
            return children.stream().map(c -> c.log().toString()).toList();
        }
    }

    /** Stops contributors first, then the harbor: each gets a clean shutdown before a forced one. */
    private void stopChildren() {
        List<Process> all;
        synchronized (children) {
            all = children.stream().map(Child::process).toList();
        }
        if (all.isEmpty()) {
            return;
        }
        System.out.println("Stopping the demo grid ...");
        for (int i = all.size() - 1; i >= 0; i--) {
            Process p = all.get(i);
            p.destroy();
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        System.out.println("Stopped " + all.size() + " process(es).");
        System.out.flush();
    }

    /** "who:" padded so that the lines of the authentication list align. */
    private static String label(String who) {
        return String.format(java.util.Locale.ROOT, "%-10s", who + ":");
    }
}
