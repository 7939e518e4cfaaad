package io.ptorrent.client;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A closure that the grid runs on a contributor node. Everything it captures must be serializable;
 * its classes travel to the contributor as a code bundle.
 */
@FunctionalInterface
public interface SerializableCallable<R> extends Callable<R>, Serializable {
}
