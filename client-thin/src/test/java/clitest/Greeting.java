package clitest;

import java.util.function.Function;

/** A job as a user's jar holds it: loaded by JarJobTest through a loader of its own, as from a bundle. */
public class Greeting implements Function<String, String> {
    @Override
    public String apply(String name) {
        return "hello, " + name;
    }
}
