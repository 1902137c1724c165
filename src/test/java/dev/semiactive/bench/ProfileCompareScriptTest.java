package dev.semiactive.bench;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code bench/profile_compare.py}, whose per-operator self times docs/speed.md reads the Java-against-PyTorch gap
 * from: nested events on one thread give their time to the parent only as the parent's children, threads are
 * summed apart, and both trace forms the profilers write (an object with traceEvents, a bare list) are read.
 */
class ProfileCompareScriptTest {
    private static final Path SCRIPT = Path.of("bench/profile_compare.py");

    @BeforeAll
    static void needsPython() {
        assumeTrue(PythonScript.available(), "no python3 on the PATH");
    }

    @Test
    void selfTimesSubtractNestedEventsPerThreadAndRankByTheLargerSide(@TempDir Path dir) throws Exception {
        // DJL, thread 1: conv 0-100 ms holding add 10-40 and add 50-70, relu starting where conv ends; thread 2:
        // conv 0-40 overlapping thread 1 in time (not nested: another thread). An instant event and a metadata
        // event without a duration are not operators.
        Path djl = Files.writeString(dir.resolve("djl.json"), """
            {"traceEvents": [
              {"ph": "X", "name": "conv", "pid": 1, "tid": 1, "ts": 0, "dur": 100000},
              {"ph": "X", "name": "add", "pid": 1, "tid": 1, "ts": 10000, "dur": 30000},
              {"ph": "X", "name": "add", "pid": 1, "tid": 1, "ts": 50000, "dur": 20000},
              {"ph": "X", "name": "relu", "pid": 1, "tid": 1, "ts": 100000, "dur": 10000},
              {"ph": "X", "name": "conv", "pid": 1, "tid": 2, "ts": 0, "dur": 40000},
              {"ph": "i", "name": "mark", "pid": 1, "tid": 1, "ts": 5000},
              {"ph": "X", "name": "meta", "pid": 1, "tid": 1, "ts": 5000}
            ]}""");
        // PyTorch, a bare list: add starts with conv and lies inside it (the longer event is the parent).
        Path pytorch = Files.writeString(dir.resolve("pytorch.json"), """
            [
              {"ph": "X", "name": "add", "pid": 7, "tid": 3, "ts": 0, "dur": 20000},
              {"ph": "X", "name": "conv", "pid": 7, "tid": 3, "ts": 0, "dur": 60000},
              {"ph": "X", "name": "mul", "pid": 7, "tid": 3, "ts": 70000, "dur": 5000}
            ]""");

        List<List<String>> rows = PythonScript.outputLines(SCRIPT, djl.toString(), pytorch.toString(), "--top", "3").stream()
            .skip(1).map(l -> Arrays.asList(l.trim().split("\\s+"))).toList();
        // operator, DJL ms, calls, PyTorch ms, calls, DJL - PyTorch ms; ranked by the larger of the two self times
        assertThat(rows).containsExactly(
            List.of("conv", "90.0", "2", "40.0", "1", "50.0"),
            List.of("add", "50.0", "2", "20.0", "1", "30.0"),
            List.of("relu", "10.0", "1", "0.0", "0", "10.0"),   // mul (5 ms) is cut by --top 3 ...
            List.of("total", "(all", "operators)", "150.0", "5", "65.0", "3", "85.0"));  // ... but counted here
    }

    @Test
    void aMissingOrNonTraceFileIsAOneLineErrorNamingIt(@TempDir Path dir) throws Exception {
        Path good = Files.writeString(dir.resolve("good.json"), "[]");
        Path missing = dir.resolve("missing.json");
        PythonScript.Result r = PythonScript.exec(SCRIPT, missing.toString(), good.toString());
        assertThat(r.rc()).isNotZero();
        assertThat(r.err()).hasLineCount(1).contains(missing.toString(), "SEMIACTIVE_BENCH_PROFILE");

        Path notJson = Files.writeString(dir.resolve("trace.json"), "{\"traceEvents\": [");
        r = PythonScript.exec(SCRIPT, good.toString(), notJson.toString());
        assertThat(r.rc()).isNotZero();
        assertThat(r.err()).hasLineCount(1).contains(notJson.toString(), "is not JSON");

        Path noEvents = Files.writeString(dir.resolve("other.json"), "{\"events\": []}");
        r = PythonScript.exec(SCRIPT, noEvents.toString(), good.toString());
        assertThat(r.rc()).isNotZero();
        assertThat(r.err()).hasLineCount(1).contains(noEvents.toString(), "no traceEvents");
    }
}
