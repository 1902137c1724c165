package dev.semiactive.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What machine something ran on: one line for a benchmark (CPU model, cores, memory, Java), and the CPU
 * for a run's manifest. The CPU matters for reproducibility: oneDNN picks its kernels by instruction set, so
 * the same seeded run rounds differently on another CPU (and from-scratch training amplifies that).
 */
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

    /**
     * CPU model, logical cores and the instruction-set extensions that select oneDNN's kernels, e.g.
     * "AMD EPYC, 2 cores, avx2 avx512f avx512_bf16"; "unknown CPU" where /proc/cpuinfo cannot be read.
     */
    public static String cpu() {
        // read once: every round's manifest asks, and the CPU does not change under a running process
        String c = cpu;
        if (c == null) cpu = c = readCpu();
        return c;
    }

    private static volatile String cpu;

    private static String readCpu() {
        String model = firstValue(Path.of("/proc/cpuinfo"), "model name");
        String flags = firstValue(Path.of("/proc/cpuinfo"), "flags");
        StringBuilder s = new StringBuilder(model == null ? "unknown CPU" : model)
                .append(", ").append(Runtime.getRuntime().availableProcessors()).append(" cores");
        if (flags != null) {
            java.util.Set<String> have = java.util.Set.of(flags.split("\\s+"));
            StringBuilder isa = new StringBuilder();
            for (String f : KERNEL_FLAGS)
                if (have.contains(f)) isa.append(isa.length() == 0 ? "" : " ").append(f);
            if (isa.length() > 0) s.append(", ").append(isa);
        }
        return s.toString();
    }

    /** Extensions oneDNN and libtorch dispatch on. */
    private static final List<String> KERNEL_FLAGS = List.of("avx2", "fma", "avx512f", "avx512_vnni", "avx512_bf16",
            "amx_bf16", "amx_int8", "avx512_fp16");

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
