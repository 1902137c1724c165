package dev.semiactive.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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

    /**
     * Resident memory outside the Java heap, in kB: the sum of Rss in /proc/self/smaps minus the mappings of
     * the heap reservation (the adjacent mappings spanning -Xmx). The heap's resident size grows for a long
     * while as fresh young-generation pages get touched, which would mask or fake a native leak; memory
     * tests of loops over many steps or images compare this value instead.
     *
     * @throws IllegalStateException where smaps cannot be read or the heap reservation is not found
     */
    public static long outsideHeapKb() {
        record Vma(long start, long end, long rssKb) {
        }
        List<Vma> vmas = new ArrayList<>();
        try {
            long start = 0, end = 0;
            for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
                if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                    String[] range = line.substring(0, line.indexOf(' ')).split("-");
                    start = Long.parseUnsignedLong(range[0], 16);
                    end = Long.parseUnsignedLong(range[1], 16);
                } else if (line.startsWith("Rss:")) {
                    vmas.add(new Vma(start, end, Long.parseLong(line.replaceAll("[^0-9]", ""))));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        long maxHeap = Runtime.getRuntime().maxMemory();
        long total = 0, heap = -1;
        for (int i = 0; i < vmas.size(); ) {
            int j = i;
            long rss = vmas.get(i).rssKb();
            while (j + 1 < vmas.size() && vmas.get(j + 1).start() == vmas.get(j).end()) rss += vmas.get(++j).rssKb();
            long span = vmas.get(j).end() - vmas.get(i).start();
            if (heap < 0 && span >= maxHeap && span <= maxHeap + maxHeap / 8) heap = rss;
            else total += rss;
            i = j + 1;
        }
        if (heap < 0) throw new IllegalStateException("cannot find the Java heap reservation in /proc/self/smaps");
        return total;
    }
}
