package bundletest;

/** A helper that closures call: it must travel in their bundles although no closure captures it. */
public final class Helper {
    private Helper() {
    }

    public static int twice(int n) {
        return 2 * n;
    }
}
