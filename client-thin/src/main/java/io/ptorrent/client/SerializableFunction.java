package io.ptorrent.client;

import java.io.Serializable;
import java.util.function.Function;

/** A function that the grid applies on contributor nodes, one fragment per input element. */
@FunctionalInterface
public interface SerializableFunction<T, R> extends Function<T, R>, Serializable {
}
