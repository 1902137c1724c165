package dev.semiactive.cli;

import dev.semiactive.train.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM to a training process, as a scheduler sends it (Ctrl-C sends SIGINT the same way): the process, started as
 * the launcher starts it, saves the step it is on and ends with exit code 143 and one line, where the JVM's own
 * handling crashed inside libtorch (SIGSEGV, an hs_err_pid*.log in the working folder). That the saved step resumes
 * as an uninterrupted run is TrainingLoopTest's.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class SignalStopTest {
    @Test
    void sigtermStopsTrainingAtAStepItSavesWithOneLineAndExitCode143(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("t.yaml");
        Files.writeString(cfg, """
                run: {name: t, output_dir: %s, seed: 7}
                data: {format: synthetic, synthetic: {images: 8, width: 32, height: 32, classes: 3}}
                model: {backbone: tiny}
                train: {method: supervised, steps: 1000000, batch_size: 2, log_every: 1, eval_every: 0, checkpoint_every: 100000}
                """.formatted(dir.resolve("run")));
        Process p = start(dir, cfg);
        try {
            List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
            Thread drain = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) lines.add(line);
                } catch (java.io.IOException ignored) {
                    // the process ended
                }
            });
            drain.start();
            // training has taken steps once the metrics log has records (the test's logging config keeps step lines quiet)
            Path metrics = dir.resolve("run").resolve("metrics.jsonl");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (p.isAlive() && System.nanoTime() < deadline && (!Files.isRegularFile(metrics) || Files.readAllLines(metrics).size() < 3))
                Thread.sleep(50);
            assertThat(p.isAlive()).as("training still running: %s", lines).isTrue();
            // kill(1), not Process.destroy(): destroy closes this side's pipes, and the process's last line would be lost
            assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).inheritIO().start().waitFor()).isZero();
            if (!p.waitFor(120, TimeUnit.SECONDS)) p.destroyForcibly();
            drain.join(10_000);
            assertThat(p.exitValue()).as(String.join("\n", lines)).isEqualTo(143);
            assertThat(lines).as("the process's output").isNotEmpty();
            String last = lines.get(lines.size() - 1);
            assertThat(last).startsWith("semiactive train: stopped on request (SIGTERM) at step ").endsWith(": run the same command to resume");
            long step = Long.parseLong(last.replaceAll(".* at step (\\d+) of .*", "$1"));
            assertThat(step).isGreaterThanOrEqualTo(3).isLessThan(100000);
            assertThat(Checkpoint.readState(Checkpoint.directory(dir.resolve("run"), Checkpoint.LATEST)).step()).isEqualTo(step);
            try (var files = Files.list(dir)) {
                assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith("hs_err"));
            }
        } finally {
            if (p.isAlive()) p.destroyForcibly();
        }
    }

    /** The CLI in a JVM of its own, as the launcher runs it, with this test's classpath; stdout and stderr together. */
    private static Process start(Path dir, Path cfg) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "train", "--config", cfg.toString())
                .directory(dir.toFile()).redirectErrorStream(true).start();
    }
}
