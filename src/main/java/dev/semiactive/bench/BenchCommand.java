package dev.semiactive.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code semiactive bench}: benchmarks: {@code speed} (against the PyTorch peer) and {@code plar-distances}. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks (see docs/speed.md).",
        subcommands = {SpeedCommand.class, PlarDistancesCommand.class})
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("semiactive bench: missing benchmark; one of: "
                + String.join(", ", spec.commandLine().getSubcommands().keySet()));
        spec.commandLine().getErr().flush();
        return 2;
    }
}
