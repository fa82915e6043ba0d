package dev.weir.iptables.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The raw libc binding: flock excludes a second holder (what /run/xtables.lock relies on), errno is readable. */
class LibCTest {

    private final LibC libc = LibC.get();

    @Test
    void flockExcludesASecondDescriptorUntilUnlocked(@TempDir Path dir) throws Exception {
        Path lock = Files.createFile(dir.resolve("xtables.lock"));
        int a = libc.open(lock.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
        int b = libc.open(lock.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
        try {
            assertThat(a).isNotNegative();
            assertThat(b).isNotNegative();
            assertThat(libc.flock(a, LibC.LOCK_EX | LibC.LOCK_NB)).isZero();
            assertThat(libc.flock(b, LibC.LOCK_EX | LibC.LOCK_NB)).isEqualTo(-1);
            assertThat(LibC.errno()).as("EWOULDBLOCK").isEqualTo(11);

            assertThat(libc.flock(a, LibC.LOCK_UN)).isZero();
            assertThat(libc.flock(b, LibC.LOCK_EX | LibC.LOCK_NB)).isZero();
        } finally {
            libc.close(a);
            libc.close(b);
        }
    }

    @Test
    void openOfAMissingFileFailsWithENOENTAndItsMessage() {
        assertThat(libc.open("/nonexistent/wrb", LibC.O_RDONLY)).isEqualTo(-1);
        int err = LibC.errno();
        assertThat(err).isEqualTo(2);
        assertThat(libc.strerror(err)).isEqualTo("No such file or directory");
    }

    @Test
    void getuidAgreesWithTheProcFilesystem() throws Exception {
        String status = Files.readString(Path.of("/proc/self/status"));
        String uidLine = status.lines().filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow();
        assertThat(libc.getuid()).isEqualTo(Integer.parseInt(uidLine.split("\\s+")[1]));
    }
}
