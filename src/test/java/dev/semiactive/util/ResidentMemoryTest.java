package dev.semiactive.util;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ResidentMemoryTest {
    /**
     * Agrees with the kernel's other RSS view, /proc/self/statm (pages). Allocation deltas are not
     * asserted: with tcmalloc preloaded, freed pages of earlier tests are reused without RSS growing.
     */
    @Test
    void agreesWithStatm() throws Exception {
        long pageSize = 4096;
        long statm = Long.parseLong(Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+")[1]) * pageSize;
        long status = ResidentMemory.currentBytes();
        assertThat(status).isGreaterThan(10L * 1024 * 1024);
        assertThat(Math.abs(status - statm)).isLessThan(64L * 1024 * 1024);
        assertThat(ResidentMemory.currentMiB()).isBetween(status / 1048576.0 - 64, status / 1048576.0 + 64);
    }
}
