package dev.semiactive.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.semiactive.SemiactiveException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts the worker processes of a benchmark: a fresh JVM running {@link WorkerCommand} or the Python peer,
 * with the same settings, thread counts and allocator environment, and reads the JSON line each prints.
 * Their stderr goes to ours, so progress and errors show.
 */
public final class Workers {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path python;
    private final Path peer;
    private final Path weights;
    private final Map<String, String> extraEnv;

    /**
     * @param python   the interpreter with torch (Debian's /usr/bin/python3), or null for Java only
     * @param peer     bench/torch_peer.py
     * @param weights  directory written by {@link BenchNetworks#export}, given to the peer
     * @param extraEnv variables set for every worker of both kinds (e.g. OMP_WAIT_POLICY)
     */
    public Workers(Path python, Path peer, Path weights, Map<String, String> extraEnv) {
        this.python = python;
        this.peer = peer;
        this.weights = weights;
        this.extraEnv = extraEnv;
    }

    public boolean hasPeer() {
        return python != null;
    }

    /** Runs {@code mode} in a new JVM on this process's class path. */
    public ModeResult java(BenchMode mode, BenchSettings s, int poolImages, MallocChoice malloc) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // keep the heap settings the benchmark was started with; threads are set explicitly below
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments())
            if (a.startsWith("-Xm") || a.startsWith("-Xss")) cmd.add(a);
        cmd.addAll(List.of("-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=" + s.threads(),
                "-Dai.djl.pytorch.num_interop_threads=1", "-cp", System.getProperty("java.class.path"),
                SpeedBenchmark.class.getName(), "worker", "--mode", mode.id(), "--pool-images", "" + poolImages,
                "--seed", "" + s.seed()));
        cmd.addAll(s.arguments());
        return run(cmd, s, malloc, "Java " + mode.id());
    }

    /** Runs {@code mode} in the Python peer; null when no interpreter was given. */
    public ModeResult python(BenchMode mode, BenchSettings s, int poolImages, MallocChoice malloc) {
        if (python == null) return null;
        List<String> cmd = new ArrayList<>(List.of(python.toString(), "-u", peer.toString(), "--mode", mode.id(),
                "--pool-images", "" + poolImages, "--weights", weights.toString()));
        cmd.addAll(s.arguments());
        return run(cmd, s, malloc, "PyTorch " + mode.id());
    }

    /** Runs the peer's architecture check: its parameter count and output sums on {@code s}'s first batch. */
    public JsonNode pythonCheck(BenchSettings s) {
        List<String> cmd = new ArrayList<>(List.of(python.toString(), "-u", peer.toString(), "--mode", "check",
                "--weights", weights.toString()));
        cmd.addAll(s.arguments());
        return runRaw(cmd, s, MallocChoice.GLIBC, "PyTorch check");
    }

    private ModeResult run(List<String> cmd, BenchSettings s, MallocChoice malloc, String what) {
        try {
            return JSON.treeToValue(runRaw(cmd, s, malloc, what), ModeResult.class);
        } catch (IOException e) {
            throw new SemiactiveException(what + " printed JSON that is not a result: " + e.getMessage(), e);
        }
    }

    private JsonNode runRaw(List<String> cmd, BenchSettings s, MallocChoice malloc, String what) {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        Map<String, String> env = pb.environment();
        env.put("OMP_NUM_THREADS", "" + s.threads());
        env.putAll(extraEnv);
        malloc.applyTo(env);
        String last = null;
        try {
            Process p = pb.start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) if (line.startsWith("{")) last = line;
            }
            int code = p.waitFor();
            if (code != 0 || last == null)
                throw new SemiactiveException(what + " worker failed (exit " + code + "): see its messages above; command: "
                        + String.join(" ", cmd));
            return JSON.readTree(last);
        } catch (IOException e) {
            throw new SemiactiveException("cannot run the " + what + " worker (" + cmd.get(0) + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SemiactiveException(what + " worker interrupted", e);
        }
    }

    /**
     * The interpreter to use: {@code requested} if given, else Debian's /usr/bin/python3 when it imports torch
     * (a pyenv or venv python3 first on PATH usually cannot see Debian's python3-torch), else null.
     */
    public static Path findPython(String requested) {
        if (requested != null && !requested.isBlank()) {
            if (!importsTorch(requested))
                throw new SemiactiveException("--python " + requested + " cannot import torch: install python3-torch "
                        + "(apt-get install -y python3-torch) or point --python to an interpreter that has it");
            return Path.of(requested);
        }
        for (String candidate : List.of("/usr/bin/python3", "python3"))
            if (importsTorch(candidate)) return Path.of(candidate);
        return null;
    }

    static boolean importsTorch(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** bench/torch_peer.py: {@code requested}, else under the working directory, else next to target/. */
    public static Path findPeer(String requested) {
        if (requested != null && !requested.isBlank()) {
            Path p = Path.of(requested);
            if (!Files.isRegularFile(p)) throw new SemiactiveException("--peer " + p + " does not exist: point it to bench/torch_peer.py");
            return p;
        }
        List<Path> candidates = new ArrayList<>(List.of(Path.of("bench", "torch_peer.py")));
        try {
            Path code = Path.of(SpeedBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // target/semiactive.jar or target/classes -> project root
            if (code.getParent() != null && code.getParent().getParent() != null)
                candidates.add(code.getParent().getParent().resolve("bench").resolve("torch_peer.py"));
        } catch (Exception e) {
            // no code source: only the working directory is searched
        }
        for (Path c : candidates) if (Files.isRegularFile(c)) return c.toAbsolutePath();
        throw new SemiactiveException("bench/torch_peer.py not found: run from the project root or pass --peer PATH");
    }
}
