package dev.semiactive.bench;

import dev.semiactive.SemiactiveException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code semiactive bench speed}: see {@link SpeedBenchmark} and docs/speed.md. */
@Command(name = "speed", mixinStandardHelpOptions = true,
        description = {"Time our DJL model against the same model in PyTorch (Python): supervised step, TSF step, "
                + "pool scoring; peak memory; pool scaling. Prints a markdown table of Java/PyTorch ratios.",
                "Needs Debian's python3-torch for the comparison (bench/speed.sh installs it); Java only without it."})
public final class SpeedCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SettingsOptions options;

    @Option(names = "--modes", split = ",", defaultValue = "train,tsf,score", description = "Step rows to measure. Default: ${DEFAULT-VALUE}.")
    List<String> modes;

    @Option(names = "--malloc", split = ",", description = "Allocators, each for both sides: tcmalloc, glibc, glibc-tuned. "
            + "Default: tcmalloc where installed, else glibc.")
    List<String> mallocs;

    @Option(names = "--pool", split = ",", defaultValue = "100,1000,5000", description = "Pool sizes streamed through "
            + "scoring (empty: none). Default: ${DEFAULT-VALUE}.")
    List<String> pools;

    @Option(names = "--pool-size", defaultValue = "32x32", paramLabel = "HxW", description = "Image size of the pool rows "
            + "(small, so 5000 images take minutes). Default: ${DEFAULT-VALUE}.")
    String poolSize;

    @Option(names = "--pool-peer", description = "Also stream the pools through the PyTorch peer.")
    boolean poolPeer;

    @Option(names = "--python", description = "Interpreter with torch. Default: /usr/bin/python3 if it imports torch, else python3.")
    String python;

    @Option(names = "--peer", description = "Path of torch_peer.py. Default: bench/torch_peer.py.")
    String peer;

    @Option(names = "--no-peer", description = "Measure Java only.")
    boolean noPeer;

    @Option(names = "--append", paramLabel = "FILE", description = "Append the report to this markdown file (e.g. BENCHMARKS.md).")
    Path append;

    @Option(names = "--env", paramLabel = "KEY=VALUE", description = "Environment for every worker of both sides, e.g. OMP_WAIT_POLICY=PASSIVE.")
    List<String> env = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        BenchSettings s = options.settings();
        int[] ps = BenchSettings.parseSize(poolSize, "--pool-size");
        List<BenchMode> modeList = modes.stream().filter(m -> !m.isBlank()).map(BenchMode::fromId).toList();
        if (modeList.contains(BenchMode.POOL)) throw new SemiactiveException("--modes takes train, tsf, score; pools go in --pool");
        List<MallocChoice> mallocList = mallocs == null || mallocs.isEmpty() ? List.of(MallocChoice.preferred())
                : mallocs.stream().map(MallocChoice::fromId).toList();
        Map<String, String> extra = new LinkedHashMap<>();
        for (String e : env) {
            int eq = e.indexOf('=');
            if (eq <= 0) throw new SemiactiveException("--env '" + e + "' is not KEY=VALUE");
            extra.put(e.substring(0, eq), e.substring(eq + 1));
        }
        // originalArgs holds the whole command line from the root command: "bench speed ..." under Main
        String given = String.join(" ", spec.root().commandLine().getParseResult().originalArgs().stream()
                .map(a -> a.isEmpty() || a.contains(" ") ? "\"" + a + "\"" : a).toList());
        String command = System.getenv().getOrDefault("SEMIACTIVE_BENCH_COMMAND",
                (spec.root() == spec ? "semiactive bench speed " : "semiactive ") + given);
        List<Integer> poolList = new ArrayList<>();
        for (String p : pools == null ? List.<String>of() : pools) {
            if (p.isBlank()) continue;
            try {
                poolList.add(Integer.parseInt(p.trim()));
            } catch (NumberFormatException e) {
                throw new SemiactiveException("--pool '" + p + "' is not a number of images: write e.g. --pool 100,1000,5000");
            }
            if (poolList.get(poolList.size() - 1) < 1) throw new SemiactiveException("--pool sizes must be >= 1, got " + p);
        }
        SpeedBenchmark.Plan plan = new SpeedBenchmark.Plan(s, modeList, mallocList, poolList,
                s.withSize(ps[0], ps[1]), poolPeer, python, peer, noPeer, append, command.trim(), extra);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SpeedReport report = SpeedBenchmark.run(plan, err);
        out.println(report.markdown());
        if (append != null) err.println("bench: appended to " + append.toAbsolutePath());
        out.flush();
        err.flush();
        return 0;
    }
}
