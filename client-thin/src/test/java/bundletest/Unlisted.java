package bundletest;

import java.io.Serializable;

/** A serializable user type that a test leaves out of the bundle's class set. */
public record Unlisted(String text) implements Serializable {
}
