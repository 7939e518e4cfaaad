package hostile;

import io.ptorrent.client.SerializableCallable;

import java.beans.XMLDecoder;
import java.io.ByteArrayInputStream;
import java.io.ObjectInputStream;

/** Deserializing attacker-chosen bytes with the JDK's own readers. */
public final class Deserialization {
    private Deserialization() {
    }

    /** Plain ObjectInputStream, no filter, over bytes that the attacker chose. */
    public static SerializableCallable<Object> objectInputStream(byte[] bytes) {
        return () -> {
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
                return in.readObject().getClass().getName();
            }
        };
    }

    /** XMLDecoder runs whatever method calls the XML names. */
    public static SerializableCallable<Object> xmlDecoder(byte[] xml) {
        return () -> {
            try (XMLDecoder in = new XMLDecoder(new ByteArrayInputStream(xml))) {
                return String.valueOf(in.readObject());
            }
        };
    }
}
