package dev.semiactive.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** One line that says what machine a benchmark ran on: CPU model, cores, memory, Java. */
public final class MachineInfo {
    private MachineInfo() {
    }

    public static String describe() {
        String cpu = firstValue(Path.of("/proc/cpuinfo"), "model name");
        String mem = firstValue(Path.of("/proc/meminfo"), "MemTotal");
        String memory = "unknown memory";
        if (mem != null) {
            try {
                memory = String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(mem.replace("kB", "").trim()) / 1048576.0);
            } catch (NumberFormatException e) {
                memory = mem;
            }
        }
        return (cpu == null ? "unknown CPU" : cpu) + ", " + Runtime.getRuntime().availableProcessors() + " cores, "
                + memory + ", Java " + System.getProperty("java.version");
    }

    private static String firstValue(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(key)) return line.substring(colon + 1).trim();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }
}
