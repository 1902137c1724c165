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

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a short active-learning experiment on synthetic scenes (configs/demo.yaml, built in): "
                + "a few minutes on 2 cores, no dataset needed.")
final class DemoCommand implements Callable<Integer> {
    /** The preset, shipped inside the jar so the demo runs from any directory. */
    static final String DEMO_CONFIG = "configs/demo.yaml";

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR",
            description = "Where the demo writes its run (default: run.output_dir of the demo config, runs/demo).")
    Path output;

    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() {
        SemiactiveConfig config = ConfigLoader.loadResource(DEMO_CONFIG, options.overrides);
        if (output != null) config = config.withOutputDir(output);
        PrintWriter out = spec.commandLine().getOut();
        if (options.printConfig) {
            out.print(ConfigWriter.toYaml(config));
            out.flush();
            return 0;
        }
        Actions.demo(config, out);
        return 0;
    }
}
