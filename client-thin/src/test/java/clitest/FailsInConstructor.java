package clitest;

import java.util.concurrent.Callable;

/** A job whose constructor throws. */
public class FailsInConstructor implements Callable<Integer> {
    public FailsInConstructor() {
        throw new IllegalStateException("no instance today");
    }

    @Override
    public Integer call() {
        return 1;
    }
}
