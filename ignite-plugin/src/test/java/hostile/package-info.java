/**
 * Hostile closures: every way user code might try to reach the contributor's machine. Outside the
 * io.ptorrent packages on purpose (the bundle builder never ships ptorrent's own classes). Each class
 * groups payloads of one kind; the table of what each payload is and where it is stopped is
 * {@code io.ptorrent.plugin.sandbox.HostilePayloads}. Payloads only target paths, ports and process names
 * that the test hands them (a temp directory, loopback, a marker), never anything else of the host.
 */
package hostile;
