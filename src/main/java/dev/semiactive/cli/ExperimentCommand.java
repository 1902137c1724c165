package dev.semiactive.cli;

import dev.semiactive.config.ConfigLoader;
import dev.semiactive.config.ConfigWriter;
import dev.semiactive.config.SemiactiveConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Run an active-learning experiment with a simulated oracle: rounds of train, score, refine (PLAR), "
                + "query and label until al.budget is spent; writes report.md with mIoU against labelled pixels. "
                + "Running it again resumes.")
final class ExperimentCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "YAML config file.")
    Path config;

    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() {
        SemiactiveConfig resolved = ConfigLoader.load(config, options.overrides);
        PrintWriter out = spec.commandLine().getOut();
        if (options.printConfig) {
            out.print(ConfigWriter.toYaml(resolved));
            out.flush();
            return 0;
        }
        Actions.experiment(resolved, out);
        return 0;
    }
}
