package dev.semiactive.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {
    @Test
    void appendAtomicallyMakesTheFileThenAddsToItAndLeavesNoTempFiles(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("BENCHMARKS.md");
        Json.appendAtomically(file, "# Benchmarks\n");
        Json.appendAtomically(file, "\n| a | b |\n");
        assertThat(Files.readString(file)).isEqualTo("# Benchmarks\n\n| a | b |\n");
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("BENCHMARKS.md");
        }
    }

    @Test
    void aFailedWriteLeavesTheOldFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rounds.json");
        Json.writeAtomically(file, java.util.Map.of("round", 1));
        String before = Files.readString(file);
        assertThatThrownBy(() -> Json.writeAtomically(file, out -> {
            out.write("{\"round\":".getBytes());
            throw new java.io.IOException("disk full");
        })).hasMessageStartingWith("cannot write " + file + ": disk full");
        assertThat(Files.readString(file)).isEqualTo(before);
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("rounds.json");
        }
    }
}
