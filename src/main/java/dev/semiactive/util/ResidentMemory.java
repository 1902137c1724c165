package dev.semiactive.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resident memory (RSS) of this process, read from {@code /proc/self/status}. Native memory held by
 * PyTorch tensors is invisible to the Java heap statistics, so loops over many steps or images check
 * RSS to prove that they release what they allocate.
 */
public final class ResidentMemory {
    private static final Path STATUS = Path.of("/proc/self/status");

    private ResidentMemory() {
    }

    /**
     * @return the resident set size of this process in bytes, or -1 where {@code /proc/self/status}
     *     cannot be read (not Linux)
     */
    public static long currentBytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    // "VmRSS:	  123456 kB"
                    String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024L;
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** @return {@link #currentBytes()} in MiB (for log lines), -1 where unknown */
    public static double currentMiB() {
        long bytes = currentBytes();
        return bytes < 0 ? -1 : bytes / (1024.0 * 1024.0);
    }
}
