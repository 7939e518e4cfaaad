package io.ptorrent.client.bundle;

import bundletest.Closures;
import bundletest.Unlisted;
import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClosureCodecTest {
    private static final ClassLoader LOADER = ClosureCodecTest.class.getClassLoader();

    @Test
    void jdkValuesComeBack() {
        Map<String, Object> value = new HashMap<>();
        value.put("list", List.of(1, 2L, "three"));
        value.put("mutable", new ArrayList<>(List.of(BigDecimal.ONE)));
        value.put("sorted", new TreeSet<>(Set.of("b", "a")));
        value.put("when", LocalDate.of(2026, 11, 24));
        value.put("ints", new int[] {1, 2});
        value.put("strings", new String[] {"x"});
        value.put("arrays", java.util.Arrays.asList("p", "q"));

        Map<String, Object> back = ClosureCodec.decodeResult(ClosureCodec.serialize(value), LOADER, Set.of());

        assertThat(back).containsEntry("list", List.of(1, 2L, "three")).containsEntry("when", LocalDate.of(2026, 11, 24));
        assertThat((int[]) back.get("ints")).containsExactly(1, 2);
    }

    @Test
    void bundleRecordsComeBack() {
        Closures.Point point = new Closures.Point(3, 4);

        List<Closures.Point> back = ClosureCodec.decodeResult(ClosureCodec.serialize(List.of(point)), LOADER,
                Set.of(Closures.Point.class.getName()));

        assertThat(back).containsExactly(point);
    }

    @Test
    void fileIsRejected() {
        byte[] bytes = ClosureCodec.serialize(List.of(new File("/etc/passwd")));

        assertThatThrownBy(() -> ClosureCodec.decodeResult(bytes, LOADER, Set.of()))
                .isInstanceOfSatisfying(PtorrentException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.RESULT_REJECTED);
                    assertThat(e.getMessage()).contains("java.io.File");
                });
    }

    @Test
    void serializableUserClassOutsideTheBundleIsRejected() {
        byte[] bytes = ClosureCodec.serialize(new Unlisted("hi"));

        assertThatThrownBy(() -> ClosureCodec.decodeResult(bytes, LOADER, Set.of(Closures.Point.class.getName())))
                .isInstanceOfSatisfying(PtorrentException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.RESULT_REJECTED);
                    assertThat(e.getMessage()).contains(Unlisted.class.getName());
                });
    }

    @Test
    void lambdasAreNotResults() {
        byte[] bytes = ClosureCodec.serialize(Closures.lambda(1, "a"));

        assertThatThrownBy(() -> ClosureCodec.decodeResult(bytes, LOADER, Set.of(Closures.class.getName())))
                .isInstanceOfSatisfying(PtorrentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESULT_REJECTED));
    }

    @Test
    void deepNestingIsRejected() {
        List<Object> nested = new ArrayList<>();
        List<Object> current = nested;
        for (int i = 0; i < AllowListFilter.MAX_DEPTH + 10; i++) {
            List<Object> next = new ArrayList<>();
            current.add(next);
            current = next;
        }
        byte[] bytes = ClosureCodec.serialize(nested);

        assertThatThrownBy(() -> ClosureCodec.decodeResult(bytes, LOADER, Set.of()))
                .isInstanceOfSatisfying(PtorrentException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.RESULT_REJECTED);
                    assertThat(e.getMessage()).contains("deeper");
                });
    }

    @Test
    void closureNeedingAClassOutsideTheBundleIsAnInvalidBundle() {
        byte[] bytes = ClosureCodec.serialize(Closures.topLevel(2));
        ClassLoader platformOnly = ClassLoader.getPlatformClassLoader();

        assertThatThrownBy(() -> ClosureCodec.decodeClosure(bytes, platformOnly, Set.of("bundletest.SquareTask")))
                .isInstanceOfSatisfying(PtorrentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BUNDLE_INVALID));
    }

    @Test
    void notSerializableClosureIsABadRequest() {
        Object notSerializable = new Object();

        assertThatThrownBy(() -> ClosureCodec.serialize(notSerializable))
                .isInstanceOfSatisfying(PtorrentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
    }
}
