package io.ptorrent.plugin.share;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A contributor's manual share rules, validated: what the machine gives, when, and to whom. Built once
 * from a {@link ShareRulesConfiguration} (Spring XML) or from JSON (REST, the saved file) by
 * {@link #from} / {@link #fromJson}; immutable and thread-safe, so the admission path can read the current
 * rules from a volatile field without locks.
 *
 * <p><b>Evaluation</b> ({@link #allowance}), in this order of precedence:
 * <ol>
 *   <li>outside every window (when there are windows) → nothing, "outside the share windows";</li>
 *   <li>idle for less than {@code onlyAfterIdle} (an active owner counts as not idle) → nothing;</li>
 *   <li>owner active → the active limits, else the idle limits;</li>
 *   <li>every limit capped by the general {@code cores} and {@code cpuPercent}; memory is
 *       {@code memoryMb} throughout;</li>
 *   <li>0 cores after that → nothing.</li>
 * </ol>
 * Windows are in the rules' time zone, in local wall time (see {@link WeeklyWindow}).
 * <b>Who</b> ({@link #accepts}) is checked per fragment, apart from the moment's allowance.
 *
 * @param cores            most cores ever shared, 0 to the machine's
 * @param cpuPercent       most CPU share of a shared core, 1-100
 * @param memoryMb         memory fragments may use, MiB, at least 16
 * @param windows          when to share; empty = always
 * @param zone             the windows' time zone
 * @param activeCores      cores while the owner is active (capped by {@code cores})
 * @param activeCpuPercent CPU % while the owner is active (capped by {@code cpuPercent})
 * @param idleCores        cores while the owner is away (capped by {@code cores})
 * @param idleCpuPercent   CPU % while the owner is away (capped by {@code cpuPercent})
 * @param onlyAfterIdle    how long the machine must have been idle before sharing; zero = no wait
 * @param maxFragment      longest fragment accepted; zero = no limit of the rules' own
 * @param acceptAccounts   accounts whose fragments run here; with {@code acceptGroups} also empty: everyone's
 * @param acceptGroups     groups whose members' fragments run here
 * @param acceptHarbors    harbors whose fragments run here; empty = any
 */
public record ShareRules(int cores, int cpuPercent, long memoryMb, List<WeeklyWindow> windows, ZoneId zone,
                         int activeCores, int activeCpuPercent, int idleCores, int idleCpuPercent,
                         Duration onlyAfterIdle, Duration maxFragment,
                         Set<String> acceptAccounts, Set<String> acceptGroups, Set<String> acceptHarbors) {
    static final int MIN_MEMORY_MB = 16;
    static final int MAX_IDLE_MINUTES = 7 * 24 * 60;
    static final long MAX_FRAGMENT_SECONDS = 7 * 24 * 3600L;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    // Strict: a typo in a field name must not silently drop a rule; nor may a null become 0.
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** Checks what holds on any machine; {@link #from} checks the rest against the machine first. */
    public ShareRules {
        Objects.requireNonNull(zone, "zone");
        windows = List.copyOf(windows);
        acceptAccounts = Set.copyOf(acceptAccounts);
        acceptGroups = Set.copyOf(acceptGroups);
        acceptHarbors = Set.copyOf(acceptHarbors);
        checkAtLeast("cores", cores, 0);
        checkPercent("cpuPercent", cpuPercent);
        if (memoryMb < MIN_MEMORY_MB) {
            throw invalid("memoryMb", memoryMb + " MiB is too little; share at least " + MIN_MEMORY_MB);
        }
        checkAtLeast("activeCores", activeCores, 0);
        checkPercent("activeCpuPercent", activeCpuPercent);
        checkAtLeast("idleCores", idleCores, 0);
        checkPercent("idleCpuPercent", idleCpuPercent);
        if (onlyAfterIdle.isNegative()) {
            throw invalid("onlyAfterIdleMinutes", onlyAfterIdle + " is negative");
        }
        if (maxFragment.isNegative()) {
            throw invalid("maxFragmentSeconds", maxFragment + " is negative");
        }
        checkNames("acceptAccounts", acceptAccounts);
        checkNames("acceptGroups", acceptGroups);
        checkNames("acceptHarbors", acceptHarbors);
    }

    /**
     * Validates {@code cfg} for this machine and resolves its defaults (half the cores and memory, the
     * machine's time zone, the general limits for unset active/idle ones).
     *
     * @param machineCores    the machine's cores, at least 1
     * @param machineMemoryMb the machine's memory, MiB, positive
     * @throws PtorrentException {@link ErrorCode#CONFIG_INVALID}, "shareRules.&lt;field&gt;: &lt;why&gt;" for the
     *                           first bad field
     */
    public static ShareRules from(ShareRulesConfiguration cfg, int machineCores, long machineMemoryMb) {
        Objects.requireNonNull(cfg, "cfg");
        if (machineCores < 1 || machineMemoryMb < 1) {
            throw new IllegalArgumentException("not a machine: " + machineCores + " cores, " + machineMemoryMb + " MiB");
        }
        int cores = cfg.getCores() == -1 ? Math.max(1, machineCores / 2) : checkCores("cores", cfg.getCores(), machineCores, true);
        long memoryMb = cfg.getMemoryMb() == -1 ? Math.max(MIN_MEMORY_MB, machineMemoryMb / 2) : cfg.getMemoryMb();
        if (memoryMb > machineMemoryMb || memoryMb < MIN_MEMORY_MB) {
            throw invalid("memoryMb", memoryMb + " MiB is not between " + MIN_MEMORY_MB + " and the machine's " + machineMemoryMb + " MiB (-1 shares half)");
        }
        checkPercent("cpuPercent", cfg.getCpuPercent());
        List<WeeklyWindow> windows = new ArrayList<>();
        List<String> texts = orEmpty(cfg.getWindows());
        for (int i = 0; i < texts.size(); i++) {
            try {
                windows.add(WeeklyWindow.parse(texts.get(i)));
            } catch (IllegalArgumentException e) {
                throw invalid("windows[" + i + "]", e.getMessage());
            }
        }
        ZoneId zone = zone(cfg.getTimeZone());
        int activeCores = cfg.getActiveCores() == null ? cores : checkCores("activeCores", cfg.getActiveCores(), machineCores, false);
        int idleCores = cfg.getIdleCores() == null ? cores : checkCores("idleCores", cfg.getIdleCores(), machineCores, false);
        if (cfg.getOnlyAfterIdleMinutes() < 0 || cfg.getOnlyAfterIdleMinutes() > MAX_IDLE_MINUTES) {
            throw invalid("onlyAfterIdleMinutes", cfg.getOnlyAfterIdleMinutes() + " is not between 0 (share at once) and " + MAX_IDLE_MINUTES + " (a week)");
        }
        if (cfg.getMaxFragmentSeconds() < 0 || cfg.getMaxFragmentSeconds() > MAX_FRAGMENT_SECONDS) {
            throw invalid("maxFragmentSeconds", cfg.getMaxFragmentSeconds() + " is not between 0 (no limit of its own) and " + MAX_FRAGMENT_SECONDS + " (a week)");
        }
        return new ShareRules(cores, cfg.getCpuPercent(), memoryMb, windows, zone,
                activeCores, orElse(cfg.getActiveCpuPercent(), cfg.getCpuPercent()),
                idleCores, orElse(cfg.getIdleCpuPercent(), cfg.getCpuPercent()),
                Duration.ofMinutes(cfg.getOnlyAfterIdleMinutes()), Duration.ofSeconds(cfg.getMaxFragmentSeconds()),
                names("acceptAccounts", cfg.getAcceptAccounts()), names("acceptGroups", cfg.getAcceptGroups()),
                names("acceptHarbors", cfg.getAcceptHarbors()));
    }

    /**
     * Rules from their JSON form (the fields of {@link ShareRulesConfiguration}), validated as by
     * {@link #from}.
     *
     * @throws PtorrentException {@link ErrorCode#CONFIG_INVALID} naming the field (an unknown one, a wrong
     *                           type, a bad value) or saying where the JSON does not parse
     */
    public static ShareRules fromJson(String json, int machineCores, long machineMemoryMb) {
        ShareRulesConfiguration cfg;
        try {
            cfg = JSON.readValue(Objects.requireNonNull(json, "json"), ShareRulesConfiguration.class);
        } catch (UnrecognizedPropertyException e) {
            throw invalid(e.getPropertyName(), "is not a share rule; known: " + String.join(", ", new TreeSet<>(e.getKnownPropertyIds().stream().map(String::valueOf).toList())));
        } catch (InvalidFormatException e) {
            throw invalid(path(e), "'" + e.getValue() + "' is not a " + typeName(e.getTargetType()));
        } catch (JsonMappingException e) {
            throw invalid(path(e), e.getPath().isEmpty() ? "must be a JSON object of share rules" : "has the wrong type or is null: " + e.getOriginalMessage().split("\n")[0]);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new PtorrentException(ErrorCode.CONFIG_INVALID, "shareRules: not valid JSON" + (loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr())
                    + ": " + e.getOriginalMessage().split("\n")[0], e);
        }
        if (cfg == null) {
            throw new PtorrentException(ErrorCode.CONFIG_INVALID, "shareRules: is null; send a JSON object of share rules");
        }
        return from(cfg, machineCores, machineMemoryMb);
    }

    /** These rules as JSON, with every default resolved; {@link #fromJson} reads it back to equal rules. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(toConfiguration());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("share rules did not serialize", e);
        }
    }

    /** A bean holding these rules, every default resolved (for JSON and for editing). */
    public ShareRulesConfiguration toConfiguration() {
        return new ShareRulesConfiguration().setCores(cores).setCpuPercent(cpuPercent).setMemoryMb(memoryMb)
                .setWindows(windows.stream().map(WeeklyWindow::toString).toList()).setTimeZone(zone.getId())
                .setActiveCores(activeCores).setActiveCpuPercent(activeCpuPercent).setIdleCores(idleCores).setIdleCpuPercent(idleCpuPercent)
                .setOnlyAfterIdleMinutes((int) onlyAfterIdle.toMinutes()).setMaxFragmentSeconds(maxFragment.toSeconds())
                .setAcceptAccounts(List.copyOf(new TreeSet<>(acceptAccounts))).setAcceptGroups(List.copyOf(new TreeSet<>(acceptGroups)))
                .setAcceptHarbors(List.copyOf(new TreeSet<>(acceptHarbors)));
    }

    /**
     * What the machine may give at {@code now} with its owner doing {@code activity}; precedence in the
     * type's doc. Pure: the caller passes the time (from its injected clock).
     */
    public Allowance allowance(Instant now, OwnerActivity activity) {
        Objects.requireNonNull(activity, "activity");
        LocalDateTime local = LocalDateTime.ofInstant(Objects.requireNonNull(now, "now"), zone);
        if (!windows.isEmpty() && windows.stream().noneMatch(w -> w.covers(local))) {
            return Allowance.none("outside the share windows");
        }
        Duration idle = activity.active() ? Duration.ZERO : activity.idleFor();
        if (idle.compareTo(onlyAfterIdle) < 0) {
            return Allowance.none("idle for " + idle.toMinutes() + " min; sharing starts after " + onlyAfterIdle.toMinutes() + " (onlyAfterIdleMinutes)");
        }
        String who = activity.active() ? "owner active" : "owner idle";
        int c = Math.min(cores, activity.active() ? activeCores : idleCores);
        int cpu = Math.min(cpuPercent, activity.active() ? activeCpuPercent : idleCpuPercent);
        if (c == 0) {
            return Allowance.none(who + ": 0 cores shared");
        }
        return new Allowance(c, cpu, memoryMb, true, who + ": " + c + " cores at " + cpu + "% CPU, " + memoryMb + " MiB");
    }

    /**
     * Whether a fragment submitted by {@code account} (may be {@code null}: unknown) with {@code groups},
     * through {@code harbor}, may run here: the harbor must be accepted, and the account or one of its
     * groups (when either list is set).
     */
    public boolean accepts(String account, Set<String> groups, String harbor) {
        Objects.requireNonNull(groups, "groups");
        Objects.requireNonNull(harbor, "harbor");
        if (!acceptHarbors.isEmpty() && !acceptHarbors.contains(harbor)) {
            return false;
        }
        if (acceptAccounts.isEmpty() && acceptGroups.isEmpty()) {
            return true;
        }
        return account != null && acceptAccounts.contains(account) || groups.stream().anyMatch(acceptGroups::contains);
    }

    private static int checkCores(String field, int value, int machineCores, boolean halfAllowed) {
        if (value < 0 || value > machineCores) {
            throw invalid(field, value + " is not between 0 and the machine's " + machineCores + " cores" + (halfAllowed ? " (-1 shares half)" : ""));
        }
        return value;
    }

    private static void checkAtLeast(String field, int value, int min) {
        if (value < min) {
            throw invalid(field, value + " is less than " + min);
        }
    }

    private static void checkPercent(String field, int value) {
        if (value < 1 || value > 100) {
            throw invalid(field, value + " is not a percentage between 1 and 100");
        }
    }

    private static void checkNames(String field, Set<String> names) {
        for (String n : names) {
            if (!NAME.matcher(n).matches()) {
                throw invalid(field, "'" + n + "' must be 1-64 letters, digits, '.', '_' or '-'");
            }
        }
    }

    private static Set<String> names(String field, List<String> given) {
        List<String> list = orEmpty(given);
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String n = list.get(i);
            if (n == null || !NAME.matcher(n).matches()) {
                throw invalid(field + "[" + i + "]", (n == null ? "is missing" : "'" + n + "'") + "; names are 1-64 letters, digits, '.', '_' or '-'");
            }
            out.add(n);
        }
        return out;
    }

    private static ZoneId zone(String id) {
        if (id == null) {
            return ZoneId.systemDefault();
        }
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            throw invalid("timeZone", "'" + id + "' is not a time zone; use an IANA id such as 'Europe/Berlin' (leave it out for the machine's)");
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                b.append(b.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static String typeName(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "whole number";
        }
        return type.getSimpleName().toLowerCase(Locale.ROOT);
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static int orElse(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    static PtorrentException invalid(String field, String why) {
        return new PtorrentException(ErrorCode.CONFIG_INVALID, "shareRules" + (field.isEmpty() ? "" : "." + field) + ": " + why);
    }
}
