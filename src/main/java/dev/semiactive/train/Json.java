package dev.semiactive.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.semiactive.SemiactiveException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The JSON mapper of training and evaluation files, and atomic file writes (temp file + rename). */
public final class Json {
    /** Shared, thread-safe once configured. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Json() {
    }

    /** Writes {@code value} as JSON to {@code file} atomically: a reader sees the old file or the new one. */
    public static void writeAtomically(Path file, Object value) {
        writeAtomically(file, out -> MAPPER.writeValue(out, value));
    }

    /** Body of an atomic write. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /**
     * Adds {@code text} at the end of {@code file} (made if missing) by writing the whole new file atomically: a kill
     * mid-write leaves the old file, never a torn record (for committed records such as BENCHMARKS.md).
     */
    public static void appendAtomically(Path file, String text) {
        byte[] old;
        try {
            old = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
        } catch (IOException e) {
            throw new SemiactiveException("cannot read " + file + ": " + e.getMessage() + " (check it is a readable file)", e);
        }
        writeAtomically(file, out -> {
            out.write(old);
            out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        });
    }

    /** Writes through {@code writer} into a temp file next to {@code file}, then renames it over {@code file}. */
    public static void writeAtomically(Path file, Writer writer) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, file.getFileName() + ".tmp-", "");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writer.write(out);
            }
            moveAtomically(tmp, file);
        } catch (IOException e) {
            throw new SemiactiveException("cannot write " + file + ": " + e.getMessage()
                    + " (check the directory exists and is writable)", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a stray temp file never shadows the real one
                }
            }
        }
    }

    /** Renames {@code from} to {@code to} atomically where the file system can, replacing a file there. */
    static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
