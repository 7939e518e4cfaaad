package io.ptorrent.client.cli;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.jar.JarFile;

/**
 * A submitter's jar, opened for {@code bin/ptorrent submit --jar}: finds the job class in it and checks,
 * before anything is sent, that the class can run as a job ({@link #job}).
 *
 * <p>The jar gets a class loader of its own whose parent is the JDK's platform loader, not the CLI's class
 * path: the job sees the JDK and its own jar, as it will in the sandbox worker, and the bundle builder
 * reads its class files through this loader. Keep it open until the task is submitted. Not thread-safe.
 */
final class JobJar implements AutoCloseable {
    /** How many of the jar's classes a "not in the jar" message names. */
    private static final int CLASSES_NAMED = 5;

    private final Path path;
    private final JarFile jar;
    private final URLClassLoader loader;

    private JobJar(Path path, JarFile jar, URLClassLoader loader) {
        this.path = path;
        this.jar = jar;
        this.loader = loader;
    }

    /**
     * Opens a jar.
     *
     * @throws PtorrentException {@link ErrorCode#JAR_INVALID} if the file is missing or is not a jar
     */
    static JobJar open(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new PtorrentException(ErrorCode.JAR_INVALID, "there is no file " + path.toAbsolutePath());
        }
        JarFile jar;
        try {
            jar = new JarFile(path.toFile());
        } catch (IOException | SecurityException e) {
            throw new PtorrentException(ErrorCode.JAR_INVALID, path + " is not a readable jar file (" + e.getMessage() + ")", e);
        }
        URL url;
        try {
            url = path.toUri().toURL();
        } catch (MalformedURLException e) {
            closeQuietly(jar);
            throw new PtorrentException(ErrorCode.JAR_INVALID, path + " cannot be named by a URL: " + e.getMessage(), e);
        }
        return new JobJar(path, jar, new URLClassLoader("ptorrent-job-jar", new URL[] {url}, ClassLoader.getPlatformClassLoader()));
    }

    /**
     * The job to submit: the class {@code className} of this jar, with {@code arg} for a {@code Function}.
     *
     * @param arg the text given to {@code --arg}, or {@code null} when none was given
     * @throws PtorrentException {@link ErrorCode#JOB_CLASS_INVALID} naming what is wrong: the class is not in
     *                           the jar or cannot be loaded, is not public, abstract or an inner class, has no
     *                           public no-argument constructor, implements neither {@code Callable} nor
     *                           {@code Function<String, ?>}, or {@code arg} does not fit the one it implements
     */
    JarJob job(String className, String arg) {
        if (className.endsWith(".class") || className.contains("/")) {
            throw invalid("'" + className + "' is a file name; give the class's name, e.g. "
                    + className.replaceAll("\\.class$", "").replace('/', '.'));
        }
        String entry = className.replace('.', '/') + ".class";
        if (jar.getJarEntry(entry) == null) {
            throw invalid("there is no class " + className + " in " + path + " (no entry " + entry + "); its classes include: "
                    + String.join(", ", someClasses()));
        }
        Class<?> type;
        try {
            type = Class.forName(className, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw invalid(className + " cannot be loaded from " + path + " (" + e + "); a job may use only the JDK and the classes of its jar");
        }
        int modifiers = type.getModifiers();
        if (type.isInterface() || Modifier.isAbstract(modifiers)) {
            throw invalid(className + " is " + (type.isInterface() ? "an interface" : "abstract") + "; give a class that can be instantiated");
        }
        if (!Modifier.isPublic(modifiers)) {
            throw invalid(className + " is not public; declare it 'public class'");
        }
        if (type.getEnclosingClass() != null && !Modifier.isStatic(modifiers)) {
            throw invalid(className + " is an inner class, which needs an instance of its outer class; declare it 'public static class'");
        }
        try {
            type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw invalid(className + " has no public no-argument constructor; add 'public " + type.getSimpleName() + "() {}'");
        } catch (LinkageError e) {
            throw invalid(className + " cannot be linked (" + e + "); a job may use only the JDK and the classes of its jar");
        }
        boolean callable = Callable.class.isAssignableFrom(type);
        boolean function = Function.class.isAssignableFrom(type);
        if (!callable && !function) {
            throw invalid(className + " implements neither java.util.concurrent.Callable nor java.util.function.Function<String, ?>");
        }
        if (arg == null && !callable) {
            throw invalid(className + " is a Function<String, ?>: give its argument with --arg TEXT");
        }
        if (arg != null && !function) {
            throw invalid(className + " is a Callable, which takes no argument: drop --arg, or implement Function<String, ?>");
        }
        if (arg != null) {
            Type input = functionInput(type);
            if (input instanceof Class<?> c && !c.isAssignableFrom(String.class)) {
                throw invalid(className + " is a Function<" + c.getSimpleName() + ", ?>, but --arg gives it a String; implement Function<String, ?>");
            }
        }
        return new JarJob(type, arg);
    }

    /** The first type argument of {@code Function} as the class or a super class declares it, or null when unknown. */
    private static Type functionInput(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Type i : c.getGenericInterfaces()) {
                if (i instanceof ParameterizedType p && p.getRawType() == Function.class) {
                    return p.getActualTypeArguments()[0];
                }
            }
        }
        return null;
    }

    private List<String> someClasses() {
        List<String> names = jar.stream().map(e -> e.getName())
                .filter(n -> n.endsWith(".class") && !n.contains("$") && !n.startsWith("META-INF/") && !n.endsWith("module-info.class"))
                .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                .sorted().limit(CLASSES_NAMED + 1).toList();
        if (names.isEmpty()) {
            return List.of("(none: the jar holds no class files)");
        }
        return names.size() > CLASSES_NAMED ? java.util.stream.Stream.concat(names.stream().limit(CLASSES_NAMED), java.util.stream.Stream.of("…")).toList() : names;
    }

    private static PtorrentException invalid(String message) {
        return new PtorrentException(ErrorCode.JOB_CLASS_INVALID, message);
    }

    @Override
    public void close() {
        closeQuietly(jar);
        try {
            loader.close();
        } catch (IOException ignored) {
            // Only open files are released here; nothing to tell the user.
        }
    }

    private static void closeQuietly(JarFile jar) {
        try {
            jar.close();
        } catch (IOException ignored) {
            // Nothing to tell the user: the jar was only read.
        }
    }
}
