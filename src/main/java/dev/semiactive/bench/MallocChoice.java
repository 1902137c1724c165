package dev.semiactive.bench;

import dev.semiactive.SemiactiveException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The memory allocator both workers run with, set through their environment. Both sides of a row always
 * get the same one.
 * <ul>
 *   <li>{@code tcmalloc}: LD_PRELOAD of Debian's libtcmalloc_minimal.so.4 (what the launcher does).</li>
 *   <li>{@code glibc}: no preload, glibc's defaults (large tensors are mmap'ed and unmapped again, hence
 *       hundreds of thousands of page faults a step).</li>
 *   <li>{@code glibc-tuned}: no preload, MALLOC_MMAP_MAX_=0 and a huge MALLOC_TRIM_THRESHOLD_, so freed
 *       tensor memory stays in the heap and is reused without faulting pages in again.</li>
 * </ul>
 */
public enum MallocChoice {
    TCMALLOC("tcmalloc"), GLIBC("glibc"), GLIBC_TUNED("glibc-tuned");

    public static final Path TCMALLOC_LIBRARY = Path.of("/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4");

    private final String id;

    MallocChoice(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static MallocChoice fromId(String id) {
        for (MallocChoice m : values()) if (m.id.equals(id.trim().toLowerCase(Locale.ROOT))) return m;
        throw new SemiactiveException("unknown --malloc '" + id + "': use tcmalloc, glibc or glibc-tuned");
    }

    /** The default: tcmalloc where it is installed (as the launcher does), else glibc. */
    public static MallocChoice preferred() {
        return Files.exists(TCMALLOC_LIBRARY) ? TCMALLOC : GLIBC;
    }

    /** Applies this choice to a child's environment (removing what another choice would have set). */
    public void applyTo(Map<String, String> env) {
        env.remove("LD_PRELOAD");
        env.remove("MALLOC_MMAP_MAX_");
        env.remove("MALLOC_TRIM_THRESHOLD_");
        env.putAll(variables());
    }

    /** The environment variables this choice sets. */
    public Map<String, String> variables() {
        Map<String, String> v = new LinkedHashMap<>();
        switch (this) {
            case TCMALLOC -> {
                if (!Files.exists(TCMALLOC_LIBRARY))
                    throw new SemiactiveException("--malloc tcmalloc: " + TCMALLOC_LIBRARY + " is missing: "
                            + "apt-get install libtcmalloc-minimal4, or use --malloc glibc");
                v.put("LD_PRELOAD", TCMALLOC_LIBRARY.toString());
            }
            case GLIBC -> {
            }
            case GLIBC_TUNED -> {
                v.put("MALLOC_MMAP_MAX_", "0");
                v.put("MALLOC_TRIM_THRESHOLD_", "68719476736");
            }
        }
        return v;
    }
}
