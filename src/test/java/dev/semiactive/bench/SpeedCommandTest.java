package dev.semiactive.bench;

import dev.semiactive.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code semiactive bench speed} end to end, Java side only: worker JVMs, report, BENCHMARKS.md append. */
class SpeedCommandTest {
    /** Runs the CLI with its output captured; the bench commands' tests share it. */
    static int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cl = Main.newCommandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void runsWorkersAndAppendsTheReport(@TempDir Path dir) throws IOException {
        Path bench = dir.resolve("BENCHMARKS.md");
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = run(out, err, "bench", "speed", "--no-peer", "--modes", "train", "--batch", "2", "--size", "32x32",
                "--steps", "1", "--warmup", "0", "--malloc", "glibc", "--pool", "3", "--pool-size", "32x32",
                "--append", bench.toString());
        assertThat(code).as(err.toString()).isZero();
        String md = out.toString();
        assertThat(md).contains("## Speed benchmark, ").contains("- Command: `semiactive bench speed --no-peer")
                .contains("- Machine: ").contains(" cores, ").contains("batch 2, 3x32x32, 11 classes, 2 threads");
        assertThat(md).containsPattern("\\| glibc \\| supervised train \\| \\d+\\.\\d{3} \\| - \\| \\*\\*-\\*\\* \\|");
        assertThat(md).containsPattern("\\| 3 \\| \\d+\\.\\d{2} \\| \\d+\\.\\d \\| \\d+ MiB \\| - \\|");
        String file = Files.readString(bench);
        assertThat(file).startsWith("# Benchmarks").contains(md.trim());
    }

    @Test
    void badOptionsAreOneLineErrors() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        assertThat(run(out, err, "bench", "speed", "--size", "big")).isNotZero();
        assertThat(err.toString()).contains("--size 'big' is not a size: write HEIGHTxWIDTH");
        StringWriter err2 = new StringWriter();
        assertThat(run(new StringWriter(), err2, "bench", "speed", "--malloc", "jemalloc")).isNotZero();
        assertThat(err2.toString()).contains("unknown --malloc 'jemalloc'");
    }
}
