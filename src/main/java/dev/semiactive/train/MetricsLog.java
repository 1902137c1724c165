package dev.semiactive.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.semiactive.SemiactiveException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code <run>/metrics.jsonl}: one JSON object per line, each with a "step" and a "kind" ("train" or
 * "val"). On resume, lines of steps after the checkpoint (written before the run stopped, about to be
 * recomputed) are dropped so the file reads as one uninterrupted run.
 */
public final class MetricsLog {
    /** The file's name in a run folder. */
    public static final String FILE = "metrics.jsonl";

    private final Path file;

    public MetricsLog(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** Appends one record (flushed: the file is readable while training runs). */
    public void append(Map<String, ?> record) {
        try {
            String line = Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(record);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new SemiactiveException("cannot append to " + file + ": " + e.getMessage(), e);
        }
    }

    /** Keeps only records with step <= {@code step} (atomic rewrite). */
    public void truncateAfter(long step) {
        if (!Files.exists(file)) return;
        List<String> kept = new ArrayList<>();
        for (String line : readLines()) {
            JsonNode n = parse(line);
            if (n != null && n.path("step").asLong(Long.MAX_VALUE) <= step) kept.add(line);
        }
        Json.writeAtomically(file, out -> out.write((String.join("\n", kept) + (kept.isEmpty() ? "" : "\n"))
                .getBytes(StandardCharsets.UTF_8)));
    }

    /** Every record, in order (a torn last line from a crash is skipped). */
    public List<JsonNode> read() {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(file)) return out;
        for (String line : readLines()) {
            JsonNode n = parse(line);
            if (n != null) out.add(n);
        }
        return out;
    }

    private List<String> readLines() {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(String line) {
        if (line.isBlank()) return null;
        try {
            return Json.MAPPER.readTree(line);
        } catch (IOException e) {
            return null;
        }
    }
}
