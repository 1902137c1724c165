package dev.semiactive.bench;

import dev.semiactive.util.MachineInfo;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.semiactive.SemiactiveException;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The speed benchmark of issue 8: our DJL model against the same model in PyTorch (Python), same shapes,
 * threads and allocator, in one run. Every (allocator, mode) runs in a fresh Java worker and a fresh Python
 * worker, so each peak-memory figure belongs to that mode alone. See docs/speed.md.
 *
 * <p>Entry points: {@code semiactive bench speed ...} ({@link SpeedCommand}) and this class's {@link #main}
 * (the same options; {@code worker ...} runs one mode in-process, used for the child JVMs).
 */
public final class SpeedBenchmark {
    /** What to run besides the per-step settings. */
    public record Plan(BenchSettings settings, List<BenchMode> modes, List<MallocChoice> mallocs, List<Integer> pools,
                       BenchSettings poolSettings, boolean poolPeer, String python, String peer, boolean noPeer,
                       Path appendTo, String command, Map<String, String> env) {
    }

    private SpeedBenchmark() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("worker")) {
            System.exit(new CommandLine(new WorkerCommand()).execute(java.util.Arrays.copyOfRange(args, 1, args.length)));
        }
        System.exit(new CommandLine(new SpeedCommand()).execute(args));
    }

    /** Runs the plan, prints progress to {@code log} and returns the report (also appended when asked). */
    public static SpeedReport run(Plan plan, PrintWriter log) throws IOException {
        Path python = plan.noPeer() ? null : Workers.findPython(plan.python());
        Path peer = python == null ? null : Workers.findPeer(plan.peer());
        if (python == null && !plan.noPeer())
            log.println("bench: no python3 with torch found (apt-get install -y python3-torch): measuring Java only");
        Path weights = Files.createTempDirectory("semiactive-bench-");
        try {
            String engines = "DJL " + Engine.getDjlVersion() + " / libtorch " + Engine.getInstance().getVersion();
            if (python != null) {
                // every mode of both sides starts from the same parameters and PLAR statistics
                try (NDManager m = NDManager.newBaseManager(); BenchNetworks nets = new BenchNetworks(m, plan.settings())) {
                    nets.export(weights);
                }
            }
            Workers workers = new Workers(python, peer, weights, plan.env());
            if (python != null) {
                var check = workers.pythonCheck(plan.settings().withBatch(2).withSize(64, 64));
                engines += "; PyTorch " + check.path("torch").asText() + " (" + python + ")";
            }
            SpeedReport report = new SpeedReport(plan.command(), ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")),
                    MachineInfo.describe(), engines, plan.settings());
            if (!plan.env().isEmpty()) report.note("Extra environment for both sides: " + plan.env());
            for (MallocChoice malloc : plan.mallocs()) {
                for (BenchMode mode : plan.modes()) {
                    log.printf("bench: %s %s (%s): Java...%n", mode.id(), plan.settings().size(), malloc.id());
                    log.flush();
                    ModeResult j = workers.java(mode, plan.settings(), 0, malloc);
                    ModeResult t = null;
                    if (workers.hasPeer()) {
                        log.printf("bench: %s %s (%s): PyTorch...%n", mode.id(), plan.settings().size(), malloc.id());
                        log.flush();
                        t = workers.python(mode, plan.settings(), 0, malloc);
                        if (!j.parameters().equals(t.parameters()))
                            throw new SemiactiveException("the PyTorch peer's model has " + t.parameters() + " parameters but ours has "
                                    + j.parameters() + ": bench/torch_peer.py no longer matches dev.semiactive.model");
                    }
                    report.add(new SpeedReport.Row(malloc, mode, j, t));
                }
            }
            MallocChoice poolMalloc = plan.mallocs().get(0);
            for (int n : plan.pools()) {
                log.printf("bench: pool of %d at %s (%s)...%n", n, plan.poolSettings().size(), poolMalloc.id());
                log.flush();
                ModeResult j = workers.java(BenchMode.POOL, plan.poolSettings(), n, poolMalloc);
                ModeResult t = plan.poolPeer() && workers.hasPeer() ? workers.python(BenchMode.POOL, plan.poolSettings(), n, poolMalloc) : null;
                report.addPool(plan.poolSettings(), poolMalloc, new SpeedReport.PoolRow(n, j, t));
            }
            if (plan.appendTo() != null) append(plan.appendTo(), report.markdown());
            return report;
        } finally {
            deleteTree(weights);
        }
    }

    private static void append(Path file, String markdown) throws IOException {
        boolean fresh = !Files.exists(file);
        String head = fresh ? "# Benchmarks\n\nSpeed: `bench/speed.sh` (docs/speed.md). Newest results at the end.\n\n" : "\n";
        dev.semiactive.train.Json.appendAtomically(file, head + markdown);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
