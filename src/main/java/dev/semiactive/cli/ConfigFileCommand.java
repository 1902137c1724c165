package dev.semiactive.cli;

import dev.semiactive.config.ConfigLoader;
import dev.semiactive.config.ConfigWriter;
import dev.semiactive.config.SemiactiveConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * A command driven by one config file plus overrides: resolves the config, prints it instead of running
 * under {@code --print-config}, otherwise hands it to {@link #run}.
 */
abstract class ConfigFileCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "YAML config file.")
    Path config;

    @Mixin
    ConfigOptions options;

    /** Runs with the resolved config. */
    abstract void run(SemiactiveConfig resolved, PrintWriter out);

    @Override
    public Integer call() {
        SemiactiveConfig resolved = ConfigLoader.load(config, options.overrides);
        PrintWriter out = spec.commandLine().getOut();
        if (options.printConfig) {
            out.print(ConfigWriter.toYaml(resolved));
            out.flush();
            return 0;
        }
        run(resolved, out);
        return 0;
    }
}
