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
    private static final int SEQ = 3;

    @Test
    void inputRoundTrips() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        WorkerProtocol.writeInput(new DataOutputStream(bytes), 5, 77, "abc", Map.of("a.B", new byte[] {1, 2}), new byte[] {9});

        WorkerProtocol.WorkerInput input = WorkerProtocol.readInput(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

        assertThat(input.seq()).isEqualTo(5);
        assertThat(input.maxResultBytes()).isEqualTo(77);
        assertThat(input.bundleSha256()).isEqualTo("abc");
        assertThat(input.classes()).containsOnlyKeys("a.B");
        assertThat(input.closure()).containsExactly(9);
    }

    @Test
    void aReusedWorkerGetsOnlyTheClosure() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        WorkerProtocol.writeInput(new DataOutputStream(bytes), 6, 77, "abc", null, new byte[] {9});

        WorkerProtocol.WorkerInput input = WorkerProtocol.readInput(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

        assertThat(input.classes()).isNull();
        assertThat(input.closure()).containsExactly(9);
    }

    @Test
    void anAnswerToAnotherFragmentIsNoAnswer() {
        // A stale answer (or one a closure forged) left in the pipe shows up at the next fragment.
        WorkerProtocol.Answer a = WorkerProtocol.readAnswer(answer(SEQ + 1, WorkerProtocol.okFrame(new byte[] {5}, true)), SEQ, 10, () -> { });

        assertThat(a).isInstanceOfSatisfying(WorkerProtocol.NoAnswer.class, n -> assertThat(n.why()).contains("stale or forged"));
    }

    @Test
    void okAnswerIsRead() {
        AtomicBoolean ready = new AtomicBoolean();

        WorkerProtocol.Answer a = WorkerProtocol.readAnswer(answer(WorkerProtocol.okFrame(new byte[] {5, 6}, true)), SEQ, 10, () -> ready.set(true));

        assertThat(ready).isTrue();
        assertThat(a).isInstanceOfSatisfying(WorkerProtocol.Ok.class, ok -> {
            assertThat(ok.result()).containsExactly(5, 6);
            assertThat(ok.reusable()).isTrue();
        });
    }

    @Test
    void resultAboveTheCapIsNotRead() {
        // The announced length alone decides; the stream holds only a few of the bytes it claims.
        byte[] frame = WorkerProtocol.okFrame(new byte[11], true);

        WorkerProtocol.Answer a = WorkerProtocol.readAnswer(answer(frame), SEQ, 10, () -> { });

        assertThat(a).isEqualTo(new WorkerProtocol.TooLarge(11));
    }

    @Test
    void failureCarriesCodeAndMessage() {
        WorkerProtocol.Answer a = WorkerProtocol.readAnswer(answer(WorkerProtocol.failedFrame("FRAGMENT_FAILED", "x".repeat(10_000))), SEQ, 10, () -> { });

        assertThat(a).isInstanceOfSatisfying(WorkerProtocol.Failed.class, f -> {
            assertThat(f.code()).isEqualTo("FRAGMENT_FAILED");
            assertThat(f.message()).hasSize(WorkerProtocol.MAX_MESSAGE_CHARS + 3);
        });
    }

    @Test
    void truncatedOrForeignOutputIsNoAnswer() {
        byte[] frame = WorkerProtocol.okFrame(new byte[8], true);
        byte[] cut = java.util.Arrays.copyOf(frame, frame.length - 3);

        assertThat(WorkerProtocol.readAnswer(answer(cut), SEQ, 10, () -> { })).isInstanceOf(WorkerProtocol.NoAnswer.class);
        assertThat(WorkerProtocol.readAnswer(new DataInputStream(new ByteArrayInputStream("hello".getBytes())), SEQ, 10, () -> { }))
                .isInstanceOf(WorkerProtocol.NoAnswer.class);
        assertThat(WorkerProtocol.readAnswer(new DataInputStream(new ByteArrayInputStream(new byte[0])), SEQ, 10, () -> { }))
                .isInstanceOf(WorkerProtocol.NoAnswer.class);
    }

    @Test
    void inputsWrittenAheadAreReadOneByOneTheFirstWithTheBundle() throws IOException {
        // A batch: the node writes every piece's input at once; the worker reads them in order.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        for (int j = 0; j < 3; j++) {
            WorkerProtocol.writeInput(out, 10 + j, 77, "abc", j == 0 ? Map.of("a.B", new byte[] {1}) : null, new byte[] {(byte) j});
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));

        for (int j = 0; j < 3; j++) {
            WorkerProtocol.WorkerInput input = WorkerProtocol.readInput(in);
            assertThat(input.seq()).isEqualTo(10 + j);
            assertThat(input.classes() == null).isEqualTo(j > 0);
            assertThat(input.closure()).containsExactly(j);
        }
        assertThat(in.read()).as("nothing after the batch").isEqualTo(-1);
    }

    @Test
    void aBatchsAnswersAreReadInOrderEachAfterItsReady() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(WorkerProtocol.readyFrame(20));
        bytes.writeBytes(WorkerProtocol.okFrame(new byte[] {1}, true));
        bytes.writeBytes(WorkerProtocol.readyFrame(21));
        bytes.writeBytes(WorkerProtocol.failedFrame("FRAGMENT_FAILED", "boom"));
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        java.util.List<Integer> readies = new java.util.ArrayList<>();

        WorkerProtocol.Answer first = WorkerProtocol.readAnswer(in, 20, 10, () -> readies.add(20));
        WorkerProtocol.Answer second = WorkerProtocol.readAnswer(in, 21, 10, () -> readies.add(21));
        // The worker reads no more input after a failure: nothing follows in its output.
        WorkerProtocol.Answer third = WorkerProtocol.readAnswer(in, 22, 10, () -> readies.add(22));

        assertThat(first).isInstanceOf(WorkerProtocol.Ok.class);
        assertThat(second).isEqualTo(new WorkerProtocol.Failed("FRAGMENT_FAILED", "boom"));
        assertThat(third).isInstanceOfSatisfying(WorkerProtocol.NoAnswer.class, n -> assertThat(n.why()).contains("before starting"));
        assertThat(readies).containsExactly(20, 21);
    }

    @Test
    void aBatchAnswerThatSkipsAPieceIsNoAnswer() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(WorkerProtocol.readyFrame(30));
        bytes.writeBytes(WorkerProtocol.okFrame(new byte[] {1}, true));
        bytes.writeBytes(WorkerProtocol.readyFrame(32));
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));

        assertThat(WorkerProtocol.readAnswer(in, 30, 10, () -> { })).isInstanceOf(WorkerProtocol.Ok.class);
        assertThat(WorkerProtocol.readAnswer(in, 31, 10, () -> { }))
                .isInstanceOfSatisfying(WorkerProtocol.NoAnswer.class, n -> assertThat(n.why()).contains("stale or forged"));
    }

    @Test
    void tailBufferKeepsTheEnd() {
        TailBuffer tail = new TailBuffer(8);
        tail.write("0123456789abc".getBytes(), 0, 13);

        assertThat(tail.tail(100)).isEqualTo("...56789abc");
        assertThat(tail.tail(3)).isEqualTo("...abc");
    }

    private static DataInputStream answer(byte[] frame) {
        return answer(SEQ, frame);
    }

    private static DataInputStream answer(int seq, byte[] frame) {
        byte[] ready = WorkerProtocol.readyFrame(seq);
        byte[] bytes = new byte[ready.length + frame.length];
        System.arraycopy(ready, 0, bytes, 0, ready.length);
        System.arraycopy(frame, 0, bytes, ready.length, frame.length);
        return new DataInputStream(new ByteArrayInputStream(bytes));
    }
}
