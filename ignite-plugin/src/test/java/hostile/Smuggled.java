package hostile;

/** A class whose bytes {@link ClassLoading#defineClass} carries as data; never part of a bundle. */
public final class Smuggled {
    private Smuggled() {
    }
}
