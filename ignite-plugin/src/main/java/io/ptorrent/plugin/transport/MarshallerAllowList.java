package io.ptorrent.plugin.transport;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import org.apache.ignite.IgniteSystemProperties;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.internal.util.typedef.internal.U;
import org.apache.ignite.lang.IgnitePredicate;

/**
 * The classes a ptorrent node's Ignite marshaller may deserialize: Ignite's own lists (its internal messages,
 * {@code META-INF/classnames.properties}, and the JDK classes of {@code classnames-jdk.properties}) plus
 * ptorrent's file {@value #RESOURCE}, which names every ptorrent class that crosses between nodes.
 * Anything else a contributor sends (a gadget class of some library on the harbor's class path) is refused
 * before it is instantiated: Ignite throws "Deserialization of class ... is disallowed".
 *
 * <p>When Ignite reads it (2.17): {@code IgniteKernal.start} builds the node's class filter from the system
 * properties {@code IGNITE_MARSHALLER_WHITELIST} / {@code IGNITE_MARSHALLER_BLACKLIST} once, right after it
 * has instantiated the plugin providers and before any plugin method runs (and it installs the same filter as
 * the JVM-wide {@code ObjectInputFilter}). A plugin's {@code initExtensions} or {@code start} is too late to
 * set the property; the provider's class initialiser is not: {@link #installDefault} runs there. A harbor
 * then checks that the filter is in force ({@link #requireInForce}) and refuses to start otherwise, so an
 * operator cannot forget it. The property is JVM-wide: every node of the JVM gets the same list.
 */
public final class MarshallerAllowList {
    /** The list, a resource of this jar (Ignite looks the property's value up on the class path first, then as a file). */
    public static final String RESOURCE = "io/ptorrent/plugin/transport/marshaller-allow-list.txt";
    /** A class that no list names: the filter in force must refuse it. */
    private static final String PROBE = MarshallerAllowList.class.getName() + "$Unlisted";
    /** One class that crosses on every fragment: the filter in force must accept it. */
    private static final String LISTED = "io.ptorrent.plugin.scheduler.FragmentOutcome";

    private MarshallerAllowList() {
    }

    /** Sets {@code IGNITE_MARSHALLER_WHITELIST} to ptorrent's list unless the JVM was given one. */
    public static void installDefault() {
        if (IgniteSystemProperties.getString(IgniteSystemProperties.IGNITE_MARSHALLER_WHITELIST) == null) {
            System.setProperty(IgniteSystemProperties.IGNITE_MARSHALLER_WHITELIST, RESOURCE);
        }
    }

    /**
     * Makes a harbor refuse unlisted classes on every path that reads another node's bytes: checks the node's
     * class filter ({@link #requireInForce}) and puts it in front of the node's class loader
     * ({@link AllowListClassLoader}, which also covers the path that Ignite's filter misses).
     *
     * @param filter the node's marshaller class filter ({@code MarshallerContext.classNameFilter()})
     * @throws PtorrentException CONFIG_INVALID saying what to set
     */
    public static void enforce(IgniteConfiguration cfg, IgnitePredicate<String> filter) {
        requireInForce(filter);
        ClassLoader parent = cfg.getClassLoader() != null ? cfg.getClassLoader() : U.gridClassLoader();
        if (!(parent instanceof AllowListClassLoader)) {
            cfg.setClassLoader(new AllowListClassLoader(parent, filter));
        }
    }

    /**
     * Checks the class filter of a node's marshaller: it must refuse unlisted classes and accept ptorrent's.
     *
     * @throws PtorrentException CONFIG_INVALID saying what to set
     */
    static void requireInForce(IgnitePredicate<String> filter) {
        String set = IgniteSystemProperties.getString(IgniteSystemProperties.IGNITE_MARSHALLER_WHITELIST);
        if (filter == null || filter.apply(PROBE)) {
            throw new PtorrentException(ErrorCode.CONFIG_INVALID, "a harbor must deserialize only allow-listed classes, but its marshaller accepts"
                    + " any class (IGNITE_MARSHALLER_WHITELIST=" + set + "): start it with -DIGNITE_MARSHALLER_WHITELIST=" + RESOURCE
                    + " or leave the property unset (ptorrent then sets it), and start no other Ignite node in this JVM before it");
        }
        if (!filter.apply(LISTED)) {
            throw new PtorrentException(ErrorCode.CONFIG_INVALID, "the marshaller allow-list " + set + " does not name ptorrent's classes (" + LISTED
                    + "); use " + RESOURCE + " or a copy of it with your additions");
        }
    }
}
