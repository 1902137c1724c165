package dev.semiactive.cli;

import dev.semiactive.config.SemiactiveConfig;
import dev.semiactive.pipeline.PretextRun;
import dev.semiactive.pipeline.RunReport;
import dev.semiactive.train.Checkpoint;
import dev.semiactive.train.TrainingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;

@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = "Self-supervised pretext on the training split's images (colourization: predict each pixel's colour"
                + " bin from its luminance; no label is read). Start later runs from it with --set model.init=<output>."
                + " Running it again resumes.")
final class PretrainCommand extends ConfigFileCommand {
    @Option(names = "--steps", paramLabel = "N", defaultValue = "2000",
            description = "Pretext training steps (replaces train.steps, which an active-learning preset sets per round; default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--bins", paramLabel = "K", defaultValue = "16",
            description = "Colour bins (the pretext's classes), fitted by k-means on the pool's chroma (default ${DEFAULT-VALUE}).")
    int bins;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR",
            description = "Where the pretext run goes (default: <run.output_dir>-pretext).")
    Path output;

    @Override
    public Integer call() {
        if (steps < 1) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--steps must be at least 1, got " + steps);
        if (bins < 2 || bins > 254)
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--bins must be between 2 and 254, got " + bins);
        options.overrides.add("train.steps=" + steps);
        return super.call();
    }

    @Override
    void run(SemiactiveConfig resolved, PrintWriter out) {
        Path dir = output != null ? output : PretextRun.defaultOutput(resolved);
        TrainingResult r = PretextRun.run(resolved, bins, dir);
        RunReport.write(dir, r);
        out.printf("colourization pretext: steps %d..%d%s%n", r.startStep(), r.endStep(), r.resumed() ? " (resumed)" : "");
        if (r.lastValidation() != null)
            out.printf("colour bins on the validation images: mIoU %.2f, pixel accuracy %.2f%n",
                    100 * r.lastValidation().meanIoU(), 100 * r.lastValidation().pixelAccuracy());
        out.printf("checkpoint: %s%nuse it:     --set model.init=%s%n", Checkpoint.directory(dir, Checkpoint.LATEST), dir);
        out.flush();
    }
}
