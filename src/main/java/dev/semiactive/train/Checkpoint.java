package dev.semiactive.train;

import ai.djl.ndarray.NDManager;
import dev.semiactive.SemiactiveException;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A checkpoint directory ({@code <run>/checkpoints/latest} or {@code best}):
 * <ul>
 *   <li>{@code <network>.params}: every parameter of each network (DJL format, BatchNorm statistics included)</li>
 *   <li>{@code <network>.momentum}: SGD momentum buffers of each trained network</li>
 *   <li>{@code model.json}: {@link ModelCard}; {@code state.json}: {@link TrainingState}, written last</li>
 * </ul>
 * Writing is atomic at directory level: everything goes to a sibling {@code latest.tmp-*}, then the old
 * directory is renamed aside ({@code latest.old-*}), the new one renamed into place and the old one deleted.
 * A failure while writing leaves the previous checkpoint untouched; a crash between the two renames leaves a
 * complete {@code latest.old-*} that {@link #locate} renames back.
 */
public final class Checkpoint {
    public static final String LATEST = "latest";
    public static final String BEST = "best";
    public static final String STATE_FILE = "state.json";
    public static final String MODEL_FILE = "model.json";

    private Checkpoint() {
    }

    /** {@code <run>/checkpoints/<which>}. */
    public static Path directory(Path runDir, String which) {
        return runDir.resolve("checkpoints").resolve(which);
    }

    public static Path parametersFile(Path checkpointDir, String network) {
        return checkpointDir.resolve(network + ".params");
    }

    /**
     * What a {@code model.init} names: a run folder stands for its latest checkpoint, anything else for itself;
     * the complete checkpoint there, if any ({@link #locate}).
     */
    public static Optional<Path> locateRunOrCheckpoint(Path runOrCheckpoint) {
        Path given = Files.isDirectory(runOrCheckpoint.resolve("checkpoints")) ? directory(runOrCheckpoint, LATEST) : runOrCheckpoint;
        return locate(given);
    }

    /**
     * SHA-256 of a checkpoint's weights: the names and bytes of its {@code <network>.params} files, in name order
     * (momentum, model card and state left out). The files are byte-for-byte reproducible for the same weights, so
     * two runs that record the same hash started from the same weights, wherever the checkpoint was copied to.
     */
    public static String hashParameters(Path checkpointDir) {
        MessageDigest digest = RunManifest.sha256();
        try (Stream<Path> files = Files.list(checkpointDir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".params")).sorted().toList()) {
                digest.update((f.getFileName() + "\n").getBytes(StandardCharsets.UTF_8));
                try (InputStream in = Files.newInputStream(f)) {
                    byte[] buffer = new byte[1 << 16];
                    for (int n; (n = in.read(buffer)) > 0; ) digest.update(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint " + checkpointDir + ": " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    public static Path momentumFile(Path checkpointDir, String network) {
        return checkpointDir.resolve(network + ".momentum");
    }

    /**
     * The complete checkpoint at {@code dir}, if any, recovering one left renamed aside by a crash.
     * Incomplete temp directories are ignored.
     */
    public static Optional<Path> locate(Path dir) {
        if (Files.isRegularFile(dir.resolve(STATE_FILE))) return Optional.of(dir);
        if (Files.exists(dir)) return Optional.empty(); // exists without state: not a checkpoint
        Path parent = dir.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) return Optional.empty();
        try (Stream<Path> s = Files.list(parent)) {
            Optional<Path> aside = s.filter(p -> p.getFileName().toString().startsWith(dir.getFileName() + ".old-"))
                    .filter(p -> Files.isRegularFile(p.resolve(STATE_FILE)))
                    .findFirst();
            if (aside.isEmpty()) return Optional.empty();
            Json.moveAtomically(aside.get(), dir);
            return Optional.of(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a checkpoint of {@code networks} to {@code dir} atomically (see class comment). */
    public static void write(Path dir, Collection<Network> networks, TrainingState state, ModelCard card) {
        Path parent = dir.toAbsolutePath().getParent();
        String name = dir.getFileName().toString();
        Path tmp = null;
        try {
            Files.createDirectories(parent);
            deleteSiblings(parent, name + ".tmp-"); // leftovers of an earlier crash
            tmp = Files.createTempDirectory(parent, name + ".tmp-");
            for (Network n : networks) {
                try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                        Files.newOutputStream(parametersFile(tmp, n.name()))))) {
                    n.saveParameters(out);
                }
                if (n.optimizer() != null) {
                    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(momentumFile(tmp, n.name())))) {
                        n.optimizer().save(out);
                    }
                }
            }
            Json.MAPPER.writeValue(tmp.resolve(MODEL_FILE).toFile(), card);
            Json.MAPPER.writeValue(tmp.resolve(STATE_FILE).toFile(), state); // last: marks the directory complete
            Path aside = null;
            if (Files.exists(dir)) {
                aside = parent.resolve(name + ".old-" + UUID.randomUUID().toString().substring(0, 8));
                Json.moveAtomically(dir, aside);
            }
            Json.moveAtomically(tmp, dir);
            tmp = null;
            if (aside != null) deleteRecursively(aside);
        } catch (IOException e) {
            throw new SemiactiveException("cannot write checkpoint " + dir + ": " + e.getMessage()
                    + " (check free disk space and permissions)", e);
        } finally {
            if (tmp != null) deleteRecursively(tmp);
        }
    }

    public static TrainingState readState(Path dir) {
        return readJson(dir.resolve(STATE_FILE), TrainingState.class);
    }

    public static ModelCard readModelCard(Path dir) {
        return readJson(dir.resolve(MODEL_FILE), ModelCard.class);
    }

    /** Loads every network's parameters and, for trained ones, momentum buffers from {@code dir}. */
    public static void restore(Path dir, Map<String, Network> networks) {
        TrainingState state = readState(dir);
        for (Network n : networks.values()) {
            Path params = parametersFile(dir, n.name());
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(params)))) {
                n.loadParameters(in, params.toString());
            } catch (NoSuchFileException e) {
                throw new SemiactiveException("checkpoint " + dir + " has no " + params.getFileName() + ": it was written by a method"
                        + " with other networks; start a new run directory", e);
            } catch (IOException e) {
                throw new SemiactiveException("cannot read " + params + ": " + e.getMessage(), e);
            }
            if (n.optimizer() == null) continue;
            List<String> expected = n.optimizer().parameterNames();
            List<String> saved = state.optimizers() == null ? null : state.optimizers().get(n.name());
            if (!expected.equals(saved))
                throw new SemiactiveException("checkpoint " + dir + " has no optimiser state matching network " + n.name()
                        + ": start a new run directory");
            Path momentum = momentumFile(dir, n.name());
            try (InputStream in = new BufferedInputStream(Files.newInputStream(momentum))) {
                n.optimizer().load(in, momentum.toString());
            } catch (IOException e) {
                throw new SemiactiveException("cannot read " + momentum + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Loads network {@code name} of the checkpoint at {@code dir}, for inference (no gradients, no optimiser).
     *
     * @param factory builds the architecture (the parameters it initialises are replaced)
     * @param manager parent manager; close the returned network to free it
     */
    public static Network loadNetwork(Path dir, String name, NetworkFactory factory, NDManager manager) {
        Network n = new Network(new NetworkRole(name, factory, 0, false), 0, manager, 0f, 0f);
        Path params = parametersFile(dir, name);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(params)))) {
            n.loadParameters(in, params.toString());
            return n;
        } catch (IOException e) {
            n.close();
            throw new SemiactiveException("cannot read " + params + ": " + e.getMessage() + " (is " + dir + " a complete checkpoint?)", e);
        }
    }

    /** The optimiser parameter lists of {@code networks}, for {@link TrainingState#optimizers()}. */
    static Map<String, List<String>> optimizerLayout(Collection<Network> networks) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Network n : networks) if (n.optimizer() != null) out.put(n.name(), n.optimizer().parameterNames());
        return out;
    }

    private static <T> T readJson(Path file, Class<T> type) {
        try {
            return Json.MAPPER.readValue(file.toFile(), type);
        } catch (IOException e) {
            throw new SemiactiveException("cannot read " + file + ": " + e.getMessage().lines().findFirst().orElse("")
                    + " (is this a semiactive checkpoint directory?)", e);
        }
    }

    private static void deleteSiblings(Path parent, String prefix) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(parent, p -> p.getFileName().toString().startsWith(prefix))) {
            for (Path p : s) deleteRecursively(p);
        }
    }

    /** Deletes a file or folder tree; nothing when it does not exist. */
    public static void deleteRecursively(Path root) {
        if (!Files.exists(root)) return;
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
