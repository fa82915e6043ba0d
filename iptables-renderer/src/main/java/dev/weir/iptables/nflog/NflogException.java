package dev.weir.iptables.nflog;

import java.io.IOException;

/** An NFLOG socket could not be opened, bound or read; the message says which step and the kernel's reason. */
public class NflogException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int errno;

    public NflogException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** The errno the kernel answered, or 0 when the failure was not a system call's. */
    public int errno() {
        return errno;
    }
}
