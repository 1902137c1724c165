package dev.semiactive.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs a script of {@code bench/} under python3 for the tests that check what it prints (tests skip without python3). */
public final class PythonScript {
    private PythonScript() {
    }

    /** What a script run left: its exit code, stdout, and stderr stripped. */
    public record Result(int rc, String out, String err) {
    }

    /** Whether {@code python3} runs here. */
    public static boolean available() {
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs {@code python3 script args...} from the working directory, failing the test after 60 seconds. */
    public static Result exec(Path script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("python3", script.toString()));
        cmd.addAll(List.of(args));
        // both streams to files: no pipe can fill and block the script, and the time limit holds even for a script
        // that hangs with its output open
        Path out = Files.createTempFile("bench-script", ".out");
        Path err = Files.createTempFile("bench-script", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(script + " did not finish in 60 s");
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err).strip());
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The stdout lines of a run that must succeed; a non-zero exit fails the test with the script's stderr. */
    public static List<String> outputLines(Path script, String... args) throws IOException, InterruptedException {
        Result r = exec(script, args);
        assertThat(r.rc()).as(script + " exit code; stderr: " + r.err()).isZero();
        return r.out().lines().toList();
    }
}
