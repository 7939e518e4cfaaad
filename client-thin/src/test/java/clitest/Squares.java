package clitest;

import java.util.concurrent.Callable;

/** A job whose result is an array. */
public class Squares implements Callable<int[]> {
    @Override
    public int[] call() {
        return new int[] {1, 4, 9};
    }
}
