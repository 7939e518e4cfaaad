package io.ptorrent.client.bundle;

import java.util.Map;

/**
 * Loads a bundle's classes child-first, as the sandbox worker does, so a test can tell a class that came
 * from the bundle's bytes from the one on the test's own class path.
 */
public final class BundleClassLoader extends ClassLoader {
    private final Map<String, byte[]> classes;

    public BundleClassLoader(Bundle bundle) {
        super("test-bundle", BundleClassLoader.class.getClassLoader());
        this.classes = bundle.classes();
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            byte[] bytes = classes.get(name);
            if (bytes == null) {
                return super.loadClass(name, resolve);
            }
            Class<?> c = findLoadedClass(name);
            return c != null ? c : defineClass(name, bytes, 0, bytes.length);
        }
    }
}
