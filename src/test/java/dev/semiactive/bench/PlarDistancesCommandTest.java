package dev.semiactive.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code semiactive bench plar-distances} end to end on a small problem: both paths timed, same labels, report appended. */
class PlarDistancesCommandTest {
    @Test
    void timesBothPathsOnTheSameWorkAndFindsTheSameLabels(@TempDir Path dir) throws IOException {
        Path bench = dir.resolve("BENCHMARKS.md");
        Files.writeString(bench, "# Benchmarks\n");
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = SpeedCommandTest.run(out, err, "bench", "plar-distances", "--dim", "16", "--classes", "4", "--images", "3",
                "--size", "8x10", "--repeats", "2", "--append", bench.toString());
        assertThat(code).as(err.toString()).isZero();
        String md = out.toString();
        assertThat(md).contains("## PLAR distances, ")
                .contains("- Command: `./semiactive bench plar-distances --dim 16 --classes 4 --images 3")
                .contains("- Machine: ").contains("3 feature maps of 8x10, d = 16, 4 classes")
                .contains("Labels that differ between the two paths: 0 (same refinement)");
        assertThat(md).containsPattern("\\| triangular solve, Java \\| \\d+\\.\\d{2} \\| \\d+\\.\\d{2} / \\d+\\.\\d{2} \\| \\d+\\.\\d \\| 1\\.00x \\|");
        assertThat(md).containsPattern("\\| matrix product, engine \\(1024 px a product\\) \\| \\d+\\.\\d{2} \\|");
        assertThat(Files.readString(bench)).startsWith("# Benchmarks").contains(md.trim());
    }

    @Test
    void badOptionsAreOneLineErrors() {
        StringWriter err = new StringWriter();
        assertThat(SpeedCommandTest.run(new StringWriter(), err, "bench", "plar-distances", "--size", "big")).isNotZero();
        assertThat(err.toString()).contains("--size 'big' is not a size: write HEIGHTxWIDTH");
        StringWriter err2 = new StringWriter();
        assertThat(SpeedCommandTest.run(new StringWriter(), err2, "bench", "plar-distances", "--flagged", "1.5")).isNotZero();
        assertThat(err2.toString()).contains("--flagged in (0, 1]");
    }
}
