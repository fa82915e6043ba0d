package dev.weir.iptables.sys;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;

/** The few libc calls weir makes directly (jnr-ffi binding). Loaded once, lazily. */
public interface LibC {

    int CLONE_NEWNET = 0x40000000;
    int O_RDONLY = 0;
    int O_CLOEXEC = 02000000;
    int LOCK_EX = 2;
    int LOCK_NB = 4;
    int LOCK_UN = 8;

    int setns(int fd, int nstype);

    int open(String path, int flags);

    int close(int fd);

    int flock(int fd, int operation);

    int getuid();

    String strerror(int errnum);

    int AF_INET = 2;
    int SOCK_RAW = 3;
    int SOL_SOCKET = 1;
    int SO_RCVTIMEO = 20;

    int socket(int domain, int type, int protocol);

    /** {@code addr} is a {@code struct sockaddr_in} laid out in a byte array. */
    @jnr.ffi.types.ssize_t
    long sendto(int fd, @jnr.ffi.annotations.In byte[] buf, @jnr.ffi.types.size_t long len, int flags,
            @jnr.ffi.annotations.In byte[] addr, int addrlen);

    /** Source address not wanted: {@code addr} and {@code addrlen} are null. */
    @jnr.ffi.types.ssize_t
    long recvfrom(int fd, @jnr.ffi.annotations.Out byte[] buf, @jnr.ffi.types.size_t long len, int flags,
            jnr.ffi.Pointer addr, jnr.ffi.Pointer addrlen);

    int setsockopt(int fd, int level, int optname, @jnr.ffi.annotations.In byte[] optval, int optlen);

    // netlink (the NFLOG reader, dev.weir.iptables.nflog)
    int AF_NETLINK = 16;
    int NETLINK_NETFILTER = 12;
    int SOCK_CLOEXEC = 02000000;
    int SO_RCVBUF = 8;
    int SO_RCVBUFFORCE = 33;
    int EINTR = 4;
    int EAGAIN = 11;
    int EPERM = 1;
    int EBUSY = 16;
    int ENOBUFS = 105;

    /** {@code addr} is a {@code struct sockaddr_nl} (or any sockaddr) laid out in a byte array. */
    int bind(int fd, @jnr.ffi.annotations.In byte[] addr, int addrlen);

    /** {@code addrlen} holds one int: the size of {@code addr} in, the address's length out. */
    int getsockname(int fd, @jnr.ffi.annotations.Out byte[] addr,
            @jnr.ffi.annotations.In @jnr.ffi.annotations.Out int[] addrlen);

    /**
     * Into native memory, so a large receive buffer is not copied whole across the boundary on every call; the
     * source address lands in {@code addr} ({@code addrlen}: a native int, the size in, the length out).
     */
    @jnr.ffi.types.ssize_t
    long recvfrom(int fd, jnr.ffi.Pointer buf, @jnr.ffi.types.size_t long len, int flags, jnr.ffi.Pointer addr,
            jnr.ffi.Pointer addrlen);

    /** The process-wide binding. */
    static LibC get() {
        return Holder.INSTANCE;
    }

    /** errno of the calling thread's last failed call. */
    static int errno() {
        return jnr.ffi.Runtime.getRuntime(get()).getLastError();
    }

    /** Lazy holder: loading happens on first use, so code that never makes a syscall never loads native code. */
    final class Holder {
        static final LibC INSTANCE = LibraryLoader.create(LibC.class)
                .load(Platform.getNativePlatform().getStandardCLibraryName());

        private Holder() {
        }
    }
}
