package verifiertest;

import io.ptorrent.client.SerializableCallable;
import io.ptorrent.client.SerializableFunction;

import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Ordinary user code that the verifier must accept: every construct javac emits for everyday Java. */
public final class Honest {
    private Honest() {
    }

    public enum Colour { RED, GREEN, BLUE }

    public record Sample(String name, double value) implements java.io.Serializable {
    }

    /** Lambdas, records (ObjectMethods), enum switch maps, string concatenation, streams, java.time, BigInteger. */
    public static SerializableCallable<String> everyday(int n) {
        return () -> {
            Map<Colour, Integer> counts = new EnumMap<>(Colour.class);
            for (Colour c : Colour.values()) {
                switch (c) {
                    case RED -> counts.put(c, n);
                    case GREEN -> counts.put(c, n * 2);
                    default -> counts.put(c, 0);
                }
            }
            List<Sample> samples = new ArrayList<>();
            Random random = new Random(n);
            for (int i = 0; i < n; i++) {
                samples.add(new Sample("s" + i, random.nextDouble()));
            }
            Map<String, Double> sorted = samples.stream().collect(Collectors.toMap(Sample::name, Sample::value, Double::sum, TreeMap::new));
            AtomicLong sum = new AtomicLong();
            IntStream.range(0, n).forEach(sum::addAndGet);
            String text = String.format("%s %d %s", counts, sum.get(), BigInteger.TWO.pow(n));
            assert !text.isEmpty();
            try (var sink = new java.io.StringWriter()) {
                sink.write(text);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            long t = System.currentTimeMillis() + System.nanoTime() + Runtime.getRuntime().availableProcessors();
            System.out.println("printing is fine " + t);
            return text + sorted.size() + LocalDate.of(2024, 1, 1).plus(Duration.ofDays(1).toDaysPart(), java.time.temporal.ChronoUnit.DAYS)
                    + new Sample("x", 1).equals(new Sample("x", 1)) + Integer.parseInt("42") + Math.max(1, 2) + Honest.class.getSimpleName();
        };
    }

    public static SerializableFunction<Long, Long> square() {
        return x -> x * x;
    }
}
