package io.ptorrent.plugin.share;

import java.util.ArrayList;
import java.util.List;

/**
 * A contributor's manual share rules as written in its node's Spring XML (or sent as JSON): a mutable
 * bean whose setters return {@code this}, checked only when {@link ShareRules#from} turns it into rules.
 * Not thread-safe; build it, then hand it over.
 *
 * <pre>{@code
 * <property name="shareRules">
 *   <bean class="io.ptorrent.plugin.share.ShareRulesConfiguration">
 *     <property name="cores" value="4"/>
 *     <property name="windows"><list><value>Mon-Fri 22:00-07:00</value><value>Sat-Sun</value></list></property>
 *     <property name="activeCores" value="1"/>
 *     <property name="activeCpuPercent" value="50"/>
 *     <property name="onlyAfterIdleMinutes" value="5"/>
 *   </bean>
 * </property>
 * }</pre>
 *
 * <p>The active/idle limits are {@code null} unless set: then the general {@code cores} and
 * {@code cpuPercent} apply. Every list left empty means "no restriction".
 */
public final class ShareRulesConfiguration {
    private int cores = -1;
    private long memoryMb = -1;
    private int cpuPercent = 100;
    private List<String> windows = new ArrayList<>();
    private String timeZone;
    private Integer activeCores;
    private Integer activeCpuPercent;
    private Integer idleCores;
    private Integer idleCpuPercent;
    private int onlyAfterIdleMinutes;
    private long maxFragmentSeconds;
    private List<String> acceptAccounts = new ArrayList<>();
    private List<String> acceptGroups = new ArrayList<>();
    private List<String> acceptHarbors = new ArrayList<>();

    public int getCores() {
        return cores;
    }

    /** Most cores ever shared; {@code -1} (the default): half the machine's, at least one. */
    public ShareRulesConfiguration setCores(int cores) {
        this.cores = cores;
        return this;
    }

    public long getMemoryMb() {
        return memoryMb;
    }

    /** Most memory fragments may use, MiB (at least 16); {@code -1} (the default): half the machine's. */
    public ShareRulesConfiguration setMemoryMb(long memoryMb) {
        this.memoryMb = memoryMb;
        return this;
    }

    public int getCpuPercent() {
        return cpuPercent;
    }

    /** Most CPU share of each shared core, 1-100 (default 100): fragments are throttled to it. */
    public ShareRulesConfiguration setCpuPercent(int cpuPercent) {
        this.cpuPercent = cpuPercent;
        return this;
    }

    public List<String> getWindows() {
        return windows;
    }

    /** Weekly windows in which to share ({@link WeeklyWindow} form); empty (the default): always. */
    public ShareRulesConfiguration setWindows(List<String> windows) {
        this.windows = windows;
        return this;
    }

    public String getTimeZone() {
        return timeZone;
    }

    /** IANA time zone of the windows, e.g. {@code Europe/Berlin}; unset: the machine's. */
    public ShareRulesConfiguration setTimeZone(String timeZone) {
        this.timeZone = timeZone;
        return this;
    }

    public Integer getActiveCores() {
        return activeCores;
    }

    /** Cores shared while the owner uses the machine (0 = none); unset: {@code cores}. */
    public ShareRulesConfiguration setActiveCores(Integer activeCores) {
        this.activeCores = activeCores;
        return this;
    }

    public Integer getActiveCpuPercent() {
        return activeCpuPercent;
    }

    /** CPU % while the owner uses the machine, 1-100; unset: {@code cpuPercent}. */
    public ShareRulesConfiguration setActiveCpuPercent(Integer activeCpuPercent) {
        this.activeCpuPercent = activeCpuPercent;
        return this;
    }

    public Integer getIdleCores() {
        return idleCores;
    }

    /** Cores shared while the owner is away; unset: {@code cores}. */
    public ShareRulesConfiguration setIdleCores(Integer idleCores) {
        this.idleCores = idleCores;
        return this;
    }

    public Integer getIdleCpuPercent() {
        return idleCpuPercent;
    }

    /** CPU % while the owner is away, 1-100; unset: {@code cpuPercent}. */
    public ShareRulesConfiguration setIdleCpuPercent(Integer idleCpuPercent) {
        this.idleCpuPercent = idleCpuPercent;
        return this;
    }

    public int getOnlyAfterIdleMinutes() {
        return onlyAfterIdleMinutes;
    }

    /** Share only once the machine has been idle this long; 0 (the default): no wait. */
    public ShareRulesConfiguration setOnlyAfterIdleMinutes(int onlyAfterIdleMinutes) {
        this.onlyAfterIdleMinutes = onlyAfterIdleMinutes;
        return this;
    }

    public long getMaxFragmentSeconds() {
        return maxFragmentSeconds;
    }

    /** Longest fragment this machine accepts, seconds; 0 (the default): the node's fragment timeout. */
    public ShareRulesConfiguration setMaxFragmentSeconds(long maxFragmentSeconds) {
        this.maxFragmentSeconds = maxFragmentSeconds;
        return this;
    }

    public List<String> getAcceptAccounts() {
        return acceptAccounts;
    }

    /** Accounts whose fragments this machine runs; with {@code acceptGroups} empty too: everyone's. */
    public ShareRulesConfiguration setAcceptAccounts(List<String> acceptAccounts) {
        this.acceptAccounts = acceptAccounts;
        return this;
    }

    public List<String> getAcceptGroups() {
        return acceptGroups;
    }

    /** Groups whose members' fragments this machine runs (in addition to {@code acceptAccounts}). */
    public ShareRulesConfiguration setAcceptGroups(List<String> acceptGroups) {
        this.acceptGroups = acceptGroups;
        return this;
    }

    public List<String> getAcceptHarbors() {
        return acceptHarbors;
    }

    /** Harbors whose fragments this machine runs; empty (the default): any. */
    public ShareRulesConfiguration setAcceptHarbors(List<String> acceptHarbors) {
        this.acceptHarbors = acceptHarbors;
        return this;
    }
}
