package dev.semiactive.cli;

import dev.semiactive.config.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a checkpoint on a dataset split: mIoU, per-class IoU, pixel accuracy.")
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "DIR", description = "Checkpoint folder written by train.")
    Path checkpoint;

    @Option(names = "--data", required = true, paramLabel = "FORMAT:ROOT", converter = DataSourceConverter.class,
            description = "Dataset, e.g. camvid:../shared/datasets/camvid or synthetic. Formats: camvid, palette, "
                    + "folder, vaihingen, cityscapes, synthetic.")
    DataSource data;

    @Option(names = "--split", paramLabel = "NAME", split = ",", defaultValue = "val",
            description = "Split(s) to evaluate, comma separated (default: ${DEFAULT-VALUE}).")
    List<String> splits;

    @Option(names = "--json", description = "Print the metrics as one JSON object, with the confusion matrix (rows: truth).")
    boolean json;

    @Option(names = "--network", paramLabel = "NAME", description = "Evaluate this network of the checkpoint instead of "
            + "the one its method evaluates (tsf and mean-teacher: teacher; others: student), e.g. student or friend.")
    String network;

    @Override
    public Integer call() {
        Arguments.existingDirectory(spec, "--checkpoint", checkpoint);
        if (data.root() != null) Arguments.existingDirectory(spec, "--data", data.root());
        Actions.evaluate(checkpoint, data, List.copyOf(splits), network, json, spec.commandLine().getOut());
        return 0;
    }
}
