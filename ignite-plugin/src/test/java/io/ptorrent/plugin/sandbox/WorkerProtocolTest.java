package io.ptorrent.plugin.sandbox;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class WorkerProtocolTest {

    @Test
    void inputRoundTrips() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        WorkerProtocol.writeInput(new DataOutputStream(bytes), 77, Map.of("a.B", new byte[] {1, 2}), new byte[] {9});

        WorkerProtocol.WorkerInput input = WorkerProtocol.readInput(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

        assertThat(input.maxResultBytes()).isEqualTo(77);
        assertThat(input.classes()).containsOnlyKeys("a.B");
        assertThat(input.closure()).containsExactly(9);
    }

    @Test
    void okAnswerIsRead() {
        AtomicBoolean ready = new AtomicBoolean();

        WorkerProtocol.Answer a = WorkerProtocol.readAnswer(answer(WorkerProtocol.okFrame(new byte[] {5, 6})), 10, () -> ready.set(true));

        assertThat(ready).isTrue();
        assertThat(a).isInstanceOfSatisfying(WorkerProtocol.Ok.class, ok -> assertThat(ok.result()).containsExactly(5, 6));
    }

    @Test
    void resultAboveTheCapIsNotRead() {
        // The announced length alone decides; the stream holds only a few of the bytes it claims.
        byte[] frame = WorkerProtocol.okFrame(new byte[11]);

        WorkerProtocol.Answer a = WorkerProtocol.readAnswer(answer(frame), 10, () -> { });

        assertThat(a).isEqualTo(new WorkerProtocol.TooLarge(11));
    }

    @Test
    void failureCarriesCodeAndMessage() {
        WorkerProtocol.Answer a = WorkerProtocol.readAnswer(answer(WorkerProtocol.failedFrame("FRAGMENT_FAILED", "x".repeat(10_000))), 10, () -> { });

        assertThat(a).isInstanceOfSatisfying(WorkerProtocol.Failed.class, f -> {
            assertThat(f.code()).isEqualTo("FRAGMENT_FAILED");
            assertThat(f.message()).hasSize(WorkerProtocol.MAX_MESSAGE_CHARS + 3);
        });
    }

    @Test
    void truncatedOrForeignOutputIsNoAnswer() {
        byte[] frame = WorkerProtocol.okFrame(new byte[8]);
        byte[] cut = java.util.Arrays.copyOf(frame, frame.length - 3);

        assertThat(WorkerProtocol.readAnswer(answer(cut), 10, () -> { })).isInstanceOf(WorkerProtocol.NoAnswer.class);
        assertThat(WorkerProtocol.readAnswer(new DataInputStream(new ByteArrayInputStream("hello".getBytes())), 10, () -> { }))
                .isInstanceOf(WorkerProtocol.NoAnswer.class);
        assertThat(WorkerProtocol.readAnswer(new DataInputStream(new ByteArrayInputStream(new byte[0])), 10, () -> { }))
                .isInstanceOf(WorkerProtocol.NoAnswer.class);
    }

    @Test
    void tailBufferKeepsTheEnd() {
        TailBuffer tail = new TailBuffer(8);
        tail.write("0123456789abc".getBytes(), 0, 13);

        assertThat(tail.tail(100)).isEqualTo("...56789abc");
        assertThat(tail.tail(3)).isEqualTo("...abc");
    }

    private static DataInputStream answer(byte[] frame) {
        byte[] bytes = new byte[frame.length + 1];
        bytes[0] = (byte) WorkerProtocol.READY;
        System.arraycopy(frame, 0, bytes, 1, frame.length);
        return new DataInputStream(new ByteArrayInputStream(bytes));
    }
}
