package io.ptorrent.plugin;

import org.apache.ignite.IgniteCheckedException;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.plugin.CachePluginContext;
import org.apache.ignite.plugin.CachePluginProvider;
import org.apache.ignite.plugin.ExtensionRegistry;
import org.apache.ignite.plugin.PluginContext;
import org.apache.ignite.plugin.PluginProvider;

import java.io.Serializable;
import java.util.UUID;

/**
 * Ignite's {@link PluginProvider} with nothing done at every step, for ptorrent's plugins (the node's own
 * and the console's) to override only the steps they use. Configured by {@link PtorrentPluginConfiguration}.
 */
public abstract class PluginProviderAdapter implements PluginProvider<PtorrentPluginConfiguration> {
    @Override
    public String version() {
        String v = getClass().getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public String copyright() {
        return "ptorrent contributors, Apache License 2.0";
    }

    @Override
    public void initExtensions(PluginContext ctx, ExtensionRegistry registry) {
    }

    @Override
    public <T> T createComponent(PluginContext ctx, Class<T> cls) {
        return null;
    }

    @SuppressWarnings("rawtypes") // Ignite's signature
    @Override
    public CachePluginProvider createCacheProvider(CachePluginContext ctx) {
        return null;
    }

    @Override
    public void start(PluginContext ctx) throws IgniteCheckedException {
    }

    @Override
    public void stop(boolean cancel) throws IgniteCheckedException {
    }

    @Override
    public void onIgniteStart() throws IgniteCheckedException {
    }

    @Override
    public void onIgniteStop(boolean cancel) {
    }

    @Override
    public Serializable provideDiscoveryData(UUID nodeId) {
        return null;
    }

    @Override
    public void receiveDiscoveryData(UUID nodeId, Serializable data) {
    }

    /** Nodes without ptorrent may join (Ignite's own tools, for one); they just never get fragments. */
    @SuppressWarnings("deprecation") // still abstract in Ignite 2.17, so it must be implemented
    @Override
    public void validateNewNode(ClusterNode node) {
    }
}
