package clitest;

/** Neither a Callable nor a Function: a forged job naming it must not get its constructor run. */
public class NotAJob {
    public NotAJob() {
        throw new IllegalStateException("constructed");
    }
}
