package dev.semiactive.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SpeedReportTest {
    private static ModeResult step(String engine, String mode, double median, long rssMiB, double first, Double flagged) {
        return new ModeResult(engine, mode, 8, 256, 256, 2, 5_813_483L, List.of(median), median, 8 / median, first, first,
                rssMiB << 20, flagged, null, null, null, "");
    }

    private static ModeResult pool(String engine, int n, double seconds, long rssMiB) {
        return new ModeResult(engine, "pool", 8, 32, 32, 2, 5_813_483L, null, null, n / seconds, null, null, rssMiB << 20,
                1.0, null, n, seconds, "");
    }

    @Test
    void ratiosAreJavaOverPyTorch() {
        SpeedReport r = new SpeedReport("bench/speed.sh", "2025-01-01 00:00 UTC", "test CPU, 2 cores", "DJL x; PyTorch y",
                BenchSettings.defaults());
        r.add(new SpeedReport.Row(MallocChoice.TCMALLOC, BenchMode.TRAIN, step("djl", "train", 1.64, 2150, 2.39871, null),
                step("pytorch", "train", 1.46, 1650, 2.39874, null)));
        r.add(new SpeedReport.Row(MallocChoice.GLIBC, BenchMode.SCORE, step("djl", "score", 0.5, 900, 1.9, 0.25), null));
        r.addPool(BenchSettings.defaults().withSize(32, 32), MallocChoice.TCMALLOC,
                new SpeedReport.PoolRow(1000, pool("djl", 1000, 50, 700), pool("pytorch", 1000, 40, 600)));
        String md = r.markdown();
        assertThat(md).contains("- Command: `bench/speed.sh`", "batch 8, 3x256x256, 11 classes, 2 threads");
        // 1.64 / 1.46 = 1.123..., 2150 / 1650 = 1.303...
        assertThat(md).contains("| tcmalloc | supervised train | 1.640 | 1.460 | **1.12** | 4.9 | 5.5 | 2150 MiB | 1650 MiB | 1.30 | 2.3987 / 2.3987 |");
        assertThat(md).contains("| glibc | pool scoring | 0.500 | - | **-** | 16.0 | - | 900 MiB | - | - | 1.9000 / - (flagged 25% / -) |");
        assertThat(md).contains("at 32x32, batch 8, tcmalloc").contains("| 1000 | 50.00 | 20.0 | 700 MiB | 40.00 | 25.0 | 600 MiB | 1.25 |");
    }
}
