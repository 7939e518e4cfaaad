package io.ptorrent.plugin.transport;

import org.apache.ignite.internal.util.ClassCache;
import org.apache.ignite.internal.util.typedef.internal.U;
import org.apache.ignite.lang.IgnitePredicate;

/**
 * A harbor's {@code IgniteConfiguration.classLoader}: Ignite resolves every class it deserializes through
 * {@code U.forName(name, loader, ...)}, which asks a loader that is a {@link ClassCache} before anything else;
 * this one refuses names that the node's class filter ({@link MarshallerAllowList}) does not accept.
 *
 * <p>Why Ignite's own filter is not enough (2.17, found the hard way): the binary marshaller resolves a type
 * that the sender wrote by class name (an unregistered type, which is what a node writes for a type the
 * cluster has no mapping for yet) with {@code BinaryUtils.resolveClass → U.forName(name, loader, null)}:
 * no filter at all. A contributor could make a harbor instantiate any class on its class path that way, as a
 * job or as a job's result. Job and result bytes are read with the deployment's loader, which for classes of
 * the harbor's own class path {@code U.resolveClassLoader} replaces by the configured loader: this one.
 *
 * <p>{@link #loadClass} stays unfiltered: the JVM and libraries (Calcite's generated code) load through it,
 * and they read no bytes from other nodes.
 */
final class AllowListClassLoader extends ClassLoader implements ClassCache {
    static {
        registerAsParallelCapable();
    }

    private final ClassLoader parent;
    private final IgnitePredicate<String> allowed;

    AllowListClassLoader(ClassLoader parent, IgnitePredicate<String> allowed) {
        super("ptorrent-allow-list", parent);
        this.parent = parent;
        this.allowed = allowed;
    }

    @Override
    public Class<?> getFromCache(String clsName) throws ClassNotFoundException {
        if (!allowed.apply(clsName)) {
            // Ignite's own wording, so that one search finds both refusals in a log.
            throw new ClassNotFoundException("Deserialization of class " + clsName + " is disallowed.");
        }
        return U.forName(clsName, parent, null);
    }
}
