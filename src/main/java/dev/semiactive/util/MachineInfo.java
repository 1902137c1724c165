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
        String cpuinfo = read(Path.of("/proc/cpuinfo"));
        String cpu = firstValue(cpuinfo, "model name");
        // the generation, which a VM's model name can hide and which speed figures depend on
        String generation = generation(cpuinfo);
        if (cpu != null && generation != null) cpu += " (" + generation + ")";
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
     * CPU model, its family and model numbers, logical cores, the instruction-set extensions that select oneDNN's
     * kernels and the cache sizes, e.g. "AMD EPYC, family 26 model 2, 2 cores, avx2 avx512f avx512_bf16, L1d 48K
     * L1i 32K L2 1024K L3 32768K"; "unknown CPU" where /proc/cpuinfo cannot be read.
     */
    public static String cpu() {
        // read once: every round's manifest asks, and the CPU does not change under a running process
        String c = cpu;
        if (c == null) cpu = c = describeCpu(read(Path.of("/proc/cpuinfo")), Path.of("/sys/devices/system/cpu/cpu0/cache"),
                Runtime.getRuntime().availableProcessors());
        return c;
    }

    private static volatile String cpu;

    /**
     * The CPU line from the text of /proc/cpuinfo and cpu0's cache folder. The family and model numbers and the caches
     * are there because a VM's model name can hide the generation (two VMs read "AMD EPYC" with the same
     * kernel-selecting extensions and rounded one seeded run differently: BENCHMARKS.md, CamVid seed 49), and oneDNN
     * and MKL size their blocking by the caches.
     */
    static String describeCpu(String cpuinfo, Path cacheDir, int cores) {
        String model = firstValue(cpuinfo, "model name");
        String flags = firstValue(cpuinfo, "flags");
        String generation = generation(cpuinfo);
        StringBuilder s = new StringBuilder(model == null ? "unknown CPU" : model);
        if (generation != null) s.append(", ").append(generation);
        s.append(", ").append(cores).append(" cores");
        if (flags != null) {
            java.util.Set<String> have = new java.util.HashSet<>(List.of(flags.split("\\s+")));
            StringBuilder isa = new StringBuilder();
            for (String f : KERNEL_FLAGS)
                if (have.contains(f)) isa.append(isa.length() == 0 ? "" : " ").append(f);
            if (isa.length() > 0) s.append(", ").append(isa);
        }
        String caches = caches(cacheDir);
        if (!caches.isEmpty()) s.append(", ").append(caches);
        return s.toString();
    }

    /** "family 26 model 2" from /proc/cpuinfo's text, or null where either number is missing (not x86 Linux). */
    private static String generation(String cpuinfo) {
        String family = firstValue(cpuinfo, "cpu family");
        String model = firstValue(cpuinfo, "model");
        return family == null || model == null ? null : "family " + family + " model " + model;
    }

    /** "L1d 48K L1i 32K L2 1024K L3 32768K" from a Linux cache folder (index0, index1, ...); empty where unreadable. */
    static String caches(Path cacheDir) {
        List<String> parts = new java.util.ArrayList<>();
        for (int i = 0; ; i++) {
            Path index = cacheDir.resolve("index" + i);
            if (!Files.isDirectory(index)) break;
            String level = read(index.resolve("level")).trim();
            String type = read(index.resolve("type")).trim();
            String size = read(index.resolve("size")).trim();
            if (level.isEmpty() || size.isEmpty()) continue;
            String suffix = switch (type) {
                case "Data" -> "d";
                case "Instruction" -> "i";
                default -> "";
            };
            parts.add("L" + level + suffix + " " + size);
        }
        return String.join(" ", parts);
    }

    /** Extensions oneDNN and libtorch dispatch on. */
    private static final List<String> KERNEL_FLAGS = List.of("avx2", "fma", "avx512f", "avx512_vnni", "avx512_bf16",
            "amx_bf16", "amx_int8", "avx512_fp16");

    /** A file's text, or "" where it cannot be read (a machine without /proc or /sys). */
    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static String firstValue(Path file, String key) {
        return firstValue(read(file), key);
    }

    /** The value of the first "key : value" line (keys compared whole, so "model" does not match "model name"). */
    private static String firstValue(String text, String key) {
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(key)) return line.substring(colon + 1).trim();
        }
        return null;
    }
}
