package hostile;

import io.ptorrent.client.SerializableCallable;

import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;

/** The worker's own stdin and stdout, which carry the protocol to the node. */
public final class ProtocolForgery {
    private ProtocolForgery() {
    }

    /** Writes a well-formed FAILED answer of its own choosing straight to the real stdout. */
    public static SerializableCallable<Integer> forgeAnswer() {
        return () -> {
            DataOutputStream out = new DataOutputStream(new FileOutputStream(FileDescriptor.out));
            out.writeInt(0x5054534f);
            out.writeByte(2);
            out.writeUTF("FRAGMENT_FAILED");
            out.writeUTF("forged by the closure");
            out.flush();
            return 0;
        };
    }

    /** Puts the real stdout back as System.out and prints garbage into the protocol. */
    public static SerializableCallable<Integer> replaceStdout() {
        return () -> {
            System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.out), true));
            System.out.println("garbage in the protocol");
            return 0;
        };
    }

    public static SerializableCallable<Integer> readStdin() {
        return () -> System.in.read();
    }
}
