package dev.semiactive.cli;

import dev.semiactive.config.SemiactiveConfig;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a segmentation model as a config file says (see configs/ and README.md).")
final class TrainCommand extends ConfigFileCommand {
    @Override
    void run(SemiactiveConfig resolved, PrintWriter out) {
        Actions.train(resolved, out);
    }
}
