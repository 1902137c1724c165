package dev.semiactive.cli;

import dev.semiactive.config.SemiactiveConfig;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Run an active-learning experiment with a simulated oracle: rounds of train, score, refine (PLAR), "
                + "query and label until al.budget is spent; writes report.md with mIoU against labelled pixels. "
                + "Running it again resumes.")
final class ExperimentCommand extends ConfigFileCommand {
    @Override
    void run(SemiactiveConfig resolved, PrintWriter out) {
        Actions.experiment(resolved, out);
    }
}
