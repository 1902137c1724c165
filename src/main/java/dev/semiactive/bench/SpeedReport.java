package dev.semiactive.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's result as markdown: the header (command, date, machine, settings) and one table row per
 * (allocator, mode) with the ratio Java/PyTorch of step time and of peak memory (below 1.0 = ours is
 * better), then the pool rows.
 */
public final class SpeedReport {
    /** A mode measured on both sides with one allocator; {@code torch} is null when the peer did not run. */
    public record Row(MallocChoice malloc, BenchMode mode, ModeResult java, ModeResult torch) {
    }

    /** A pool size streamed through scoring; {@code torch} is null when the peer did not run. */
    public record PoolRow(int images, ModeResult java, ModeResult torch) {
    }

    private final String command;
    private final String date;
    private final String machine;
    private final String engines;
    private final BenchSettings settings;
    private final List<Row> rows = new ArrayList<>();
    private final List<PoolRow> poolRows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private BenchSettings poolSettings;
    private MallocChoice poolMalloc;

    public SpeedReport(String command, String date, String machine, String engines, BenchSettings settings) {
        this.command = command;
        this.date = date;
        this.machine = machine;
        this.engines = engines;
        this.settings = settings;
    }

    public void add(Row row) {
        rows.add(row);
    }

    public void addPool(BenchSettings s, MallocChoice malloc, PoolRow row) {
        poolSettings = s;
        poolMalloc = malloc;
        poolRows.add(row);
    }

    public void note(String line) {
        notes.add(line);
    }

    public List<Row> rows() {
        return rows;
    }

    public String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("## Speed benchmark, ").append(date).append("\n\n");
        b.append("- Command: `").append(command).append("`\n");
        b.append("- Machine: ").append(machine).append("\n");
        b.append("- Engines: ").append(engines).append("\n");
        b.append(String.format(Locale.ROOT, "- Settings: batch %d, %dx%dx%d, %d classes, %d threads (inter-op 1), "
                        + "median of %d steps after %d warm-up; same weights on both sides (exported from Java)\n",
                settings.batch(), settings.channels(), settings.height(), settings.width(), settings.classes(),
                settings.threads(), settings.steps(), settings.warmup()));
        for (String n : notes) b.append("- ").append(n).append("\n");
        b.append("\nRatios are Java/PyTorch: time per step (below 1.0 = ours is faster) and peak resident memory.\n\n");
        b.append("| malloc | step | Java s/step | PyTorch s/step | **time ratio** | Java img/s | PyTorch img/s | "
                + "Java peak RSS | PyTorch peak RSS | RSS ratio | first value Java / PyTorch |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            ModeResult j = r.java(), t = r.torch();
            b.append("| ").append(r.malloc().id()).append(" | ").append(label(r.mode()))
                    .append(" | ").append(f3(j.medianSeconds())).append(" | ").append(t == null ? "-" : f3(t.medianSeconds()))
                    .append(" | **").append(t == null ? "-" : f2(j.medianSeconds() / t.medianSeconds())).append("**")
                    .append(" | ").append(f1(j.imagesPerSecond())).append(" | ").append(t == null ? "-" : f1(t.imagesPerSecond()))
                    .append(" | ").append(mib(j)).append(" | ").append(t == null ? "-" : mib(t))
                    .append(" | ").append(t == null ? "-" : f2(j.peakRssMiB() / t.peakRssMiB()))
                    .append(" | ").append(f4(j.firstValue())).append(" / ").append(t == null ? "-" : f4(t.firstValue()));
            if (j.flaggedFraction() != null)
                b.append(String.format(Locale.ROOT, " (flagged %.0f%% / %s)", 100 * j.flaggedFraction(),
                        t == null || t.flaggedFraction() == null ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * t.flaggedFraction())));
            b.append(" |\n");
        }
        if (!poolRows.isEmpty()) {
            b.append(String.format(Locale.ROOT, "%nPool scoring streamed over synthetic pools at %dx%d, batch %d, %s "
                    + "(time and peak memory of the whole process; constant memory = the peak does not grow with the pool):%n%n",
                    poolSettings.height(), poolSettings.width(), poolSettings.batch(), poolMalloc.id()));
            b.append("| pool images | Java s | Java img/s | Java peak RSS | PyTorch s | PyTorch img/s | PyTorch peak RSS | time ratio |\n");
            b.append("|---|---|---|---|---|---|---|---|\n");
            for (PoolRow p : poolRows) {
                ModeResult j = p.java(), t = p.torch();
                b.append("| ").append(p.images()).append(" | ").append(f2(j.totalSeconds())).append(" | ")
                        .append(f1(j.imagesPerSecond())).append(" | ").append(mib(j)).append(" | ")
                        .append(t == null ? "-" : f2(t.totalSeconds())).append(" | ")
                        .append(t == null ? "-" : f1(t.imagesPerSecond())).append(" | ")
                        .append(t == null ? "-" : mib(t)).append(" | ")
                        .append(t == null ? "-" : f2(j.totalSeconds() / t.totalSeconds())).append(" |\n");
            }
        }
        return b.toString();
    }

    private static String label(BenchMode m) {
        return switch (m) {
            case TRAIN -> "supervised train";
            case TSF -> "TSF (S+F+T+EMD)";
            case SCORE -> "pool scoring";
            case POOL -> "pool";
        };
    }

    private static String mib(ModeResult r) {
        return String.format(Locale.ROOT, "%.0f MiB", r.peakRssMiB());
    }

    private static String f1(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String f2(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String f3(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String f4(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }
}
