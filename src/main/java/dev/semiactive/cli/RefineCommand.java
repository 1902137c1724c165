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

    @Option(names = "--truth", paramLabel = "FORMAT:ROOT", converter = DataSourceConverter.class,
            description = "Ground truth for the images (ids = the image files' base names): adds PLAR's accuracy, "
                    + "the Teacher's error before and after refinement and per-class figures to the summary.")
    DataSource truth;

    @Option(names = "--truth-split", paramLabel = "NAME", split = ",", defaultValue = "val",
            description = "Split(s) of --truth (default: ${DEFAULT-VALUE}).")
    List<String> truthSplits;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override the checkpoint run's settings, e.g. --set plar.rule=fusion --set tsf.threshold=0.8.")
    List<String> overrides = List.of();

    @Override
    public Integer call() {
        Arguments.existingDirectory(spec, "--checkpoint", checkpoint);
        if (labelled.root() != null) Arguments.existingDirectory(spec, "--labelled", labelled.root());
        Arguments.existingDirectory(spec, "--images", images);
        if (truth != null && truth.root() != null) Arguments.existingDirectory(spec, "--truth", truth.root());
        Actions.refine(checkpoint, labelled, List.copyOf(splits), images, output, truth, List.copyOf(truthSplits),
                List.copyOf(overrides), spec.commandLine().getOut());
        return 0;
    }
}
