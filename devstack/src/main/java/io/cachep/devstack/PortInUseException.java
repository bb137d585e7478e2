package io.cachep.devstack;

/** A port asked for (or picked) is taken by another process: retried on a picked port, fatal on a fixed one. */
public final class PortInUseException extends DevStackException {
    private static final long serialVersionUID = 1L;

    PortInUseException(String what, int port) {
        super(what + " port " + port + " is already in use (Address already in use)");
    }
}
