package io.ptorrent.plugin.launcher;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Checks ports before a node takes them, so that a taken port gets a message that names it. */
final class Ports {
    private Ports() {
    }

    /**
     * @param what   what the port is for, e.g. "the console"
     * @param option the option that changes it, e.g. "--console-port"
     * @throws PtorrentException PORT_IN_USE
     */
    static void requireFree(int port, String what, String option) {
        if (port == 0) {
            return;
        }
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port));
        } catch (IOException e) {
            throw new PtorrentException(ErrorCode.PORT_IN_USE,
                    "port " + port + " (" + what + ") is in use; choose another with " + option);
        }
    }

    static void requireValid(int port, String option) {
        if (port < 0 || port > 65535) {
            throw new PtorrentException(ErrorCode.BAD_REQUEST, option + " " + port + " is not a port (0-65535)");
        }
    }
}
