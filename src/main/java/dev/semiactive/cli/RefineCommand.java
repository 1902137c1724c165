package dev.semiactive.cli;

import dev.semiactive.config.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "refine", mixinStandardHelpOptions = true,
        description = "PLAR on a folder of images: class statistics from labelled data, then the error-masked pixels of each "
                + "image refined; writes refined masks, undecided and flagged masks and summary.json.")
final class RefineCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "DIR", description = "Checkpoint or run folder.")
    Path checkpoint;

    @Option(names = "--labelled", required = true, paramLabel = "FORMAT:ROOT", converter = DataSourceConverter.class,
            description = "Labelled data for the class statistics, e.g. camvid:../shared/datasets/camvid.")
    DataSource labelled;

    @Option(names = "--labelled-split", paramLabel = "NAME", split = ",", defaultValue = "train",
            description = "Split(s) of --labelled (default: ${DEFAULT-VALUE}).")
    List<String> splits;

    @Option(names = "--images", required = true, paramLabel = "DIR", description = "Folder of images to refine.")
    Path images;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "Where the masks and summary go.")
    Path output;

    @Override
    public Integer call() {
        Arguments.existingDirectory(spec, "--checkpoint", checkpoint);
        if (labelled.root() != null) Arguments.existingDirectory(spec, "--labelled", labelled.root());
        Arguments.existingDirectory(spec, "--images", images);
        Actions.refine(checkpoint, labelled, List.copyOf(splits), images, output, spec.commandLine().getOut());
        return 0;
    }
}
