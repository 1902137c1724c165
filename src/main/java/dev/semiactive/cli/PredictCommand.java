package dev.semiactive.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Segment images with a checkpoint: writes an index mask and a colour preview per image.")
final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "DIR", description = "Checkpoint folder written by train.")
    Path checkpoint;

    @Option(names = "--input", required = true, paramLabel = "PATH", description = "An image, or a folder of images.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Folder for the masks (created if needed).")
    Path output;

    @Override
    public Integer call() {
        Arguments.existingDirectory(spec, "--checkpoint", checkpoint);
        Arguments.existing(spec, "--input", input);
        if (Files.exists(output) && !Files.isDirectory(output))
            throw new ParameterException(spec.commandLine(), "--output " + output + ": is a file, expected a directory");
        Actions.predict(checkpoint, input, output, spec.commandLine().getOut());
        return 0;
    }
}
