package dev.semiactive.pipeline;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.semiactive.SemiactiveException;
import dev.semiactive.config.ConfigLoader;
import dev.semiactive.config.DataConfig;
import dev.semiactive.config.DataSource;
import dev.semiactive.config.SemiactiveConfig;
import dev.semiactive.data.DataOptions;
import dev.semiactive.data.Datasets;
import dev.semiactive.data.SegmentationDataset;
import dev.semiactive.eval.ConfusionMatrix;
import dev.semiactive.eval.Evaluator;
import dev.semiactive.train.Checkpoint;
import dev.semiactive.train.Json;
import dev.semiactive.train.ModelCard;
import dev.semiactive.train.Network;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * `semiactive evaluate`: a checkpoint on any split of any dataset of the same classes, through the same
 * {@link Evaluator} training validates with. The data are prepared as the checkpoint's run prepared them
 * (working size, scale, tiles: read from the run config in the model card's provenance), so the figure
 * is comparable with the validation figure of the run.
 */
public final class CheckpointEvaluation {
    private CheckpointEvaluation() {
    }

    /** The result on one dataset. */
    public record Result(ModelCard card, Path checkpoint, SegmentationDataset dataset, ConfusionMatrix matrix) {
    }

    /**
     * A checkpoint folder (with model.json), a run folder (its best checkpoint, else its latest), or an
     * experiment/project folder (the {@code latest} checkpoint of its newest trained round,
     * {@code rounds/round-NN/}): the final model of an active-learning run.
     */
    public static Path resolveCheckpoint(Path dir) {
        if (Files.isRegularFile(dir.resolve(Checkpoint.MODEL_FILE))) return dir;
        for (String which : List.of(Checkpoint.BEST, Checkpoint.LATEST)) {
            var found = Checkpoint.locate(Checkpoint.directory(dir, which));
            if (found.isPresent()) return found.get();
        }
        Path rounds = dir.resolve("rounds");
        if (Files.isDirectory(rounds)) {
            try (var list = Files.list(rounds)) {
                var newest = list.filter(p -> p.getFileName().toString().matches("round-\\d+")).sorted(java.util.Comparator.comparingInt((Path p) -> Integer.parseInt(p.getFileName().toString().substring(6))).reversed())
                        .map(p -> Checkpoint.locate(Checkpoint.directory(p, Checkpoint.LATEST))).flatMap(java.util.Optional::stream).findFirst();
                if (newest.isPresent()) return newest.get();
            } catch (java.io.IOException e) {
                throw new SemiactiveException("cannot list " + rounds + ": " + e.getMessage(), e);
            }
        }
        throw new SemiactiveException(dir + " is neither a checkpoint (no model.json) nor a run folder with checkpoints/best or "
                + "checkpoints/latest, nor an experiment with a trained round: pass e.g. runs/<name>/checkpoints/best");
    }

    /** Opens {@code splits} of {@code source} prepared the way the checkpoint's run prepared its data. */
    public static SegmentationDataset open(ModelCard card, DataSource source, List<String> splits) {
        DataConfig runData = runDataConfig(card);
        SegmentationDataset ds;
        if (runData != null) {
            DataConfig d = new DataConfig(source.format(), source.root(), splits, null, null, runData.size(),
                    runData.scale(), runData.tile(), 1.0, runData.synthetic(), runData.dsm());
            ds = Components.open(d, splits, seedOf(card), true);
        } else {
            DataOptions o = DataOptions.builder().optSize(card.width(), card.height()).build();
            ds = Datasets.open(source.format().configName(), source.root(), String.join(",", splits), o);
        }
        if (ds.labels().numClasses() != card.labels().numClasses())
            throw new SemiactiveException(ds.describe() + " has " + ds.labels().numClasses() + " classes but the checkpoint predicts "
                    + card.labels().numClasses() + " (" + String.join(", ", card.labels().classNames())
                    + "): evaluate on data with the model's classes");
        if (ds.channels() != card.inputChannels())
            throw new SemiactiveException(ds.describe() + " has " + ds.channels() + "-channel images but the checkpoint expects "
                    + card.inputChannels() + ": evaluate on data of the kind it was trained on");
        return ds;
    }

    public static Result evaluate(Path checkpointOrRun, DataSource source, List<String> splits) {
        return evaluate(checkpointOrRun, source, splits, null);
    }

    /**
     * @param networkName a network of the checkpoint other than the one its method evaluates (e.g. the
     *                    Student of a tsf run, whose Teacher is evaluated by default); null = the default
     */
    public static Result evaluate(Path checkpointOrRun, DataSource source, List<String> splits, String networkName) {
        Path checkpoint = resolveCheckpoint(checkpointOrRun);
        ModelCard card = Checkpoint.readModelCard(checkpoint);
        String name = networkName == null ? card.network() : networkName;
        if (!Files.isRegularFile(Checkpoint.parametersFile(checkpoint, name)))
            throw new SemiactiveException(checkpoint + " has no network '" + name + "' (" + card.method() + " run; it evaluates '"
                    + card.network() + "'): use --network with one of the networks its method trains, e.g. student");
        SegmentationDataset ds = open(card, source, splits);
        try (NDManager m = NDManager.newBaseManager()) {
            Network network = Checkpoint.loadNetwork(checkpoint, name, Components.architectures().apply(card), m);
            ConfusionMatrix cm = Evaluator.builder().setNormalization(card.normalization()).build()
                    .evaluate(network.block(), ds, m);
            return new Result(card, checkpoint, ds, cm);
        }
    }

    /** The data section of the run that made the checkpoint, or null for a card without one. */
    static DataConfig runDataConfig(ModelCard card) {
        SemiactiveConfig c = runConfig(card);
        return c == null ? null : c.data();
    }

    /** The config of the run that made the checkpoint (from its model card), or null for a card without one. */
    public static SemiactiveConfig runConfig(ModelCard card) {
        return runConfig(card, List.of());
    }

    /** The run's config with {@code key=value} overrides applied (the same rules as {@code --set}); null without one. */
    public static SemiactiveConfig runConfig(ModelCard card, List<String> overrides) {
        Object config = card.provenance().get("config");
        if (config == null) return null;
        JsonNode tree = Json.MAPPER.valueToTree(config);
        return ConfigLoader.parse(tree.toString(), "model.json provenance", overrides);
    }

    private static long seedOf(ModelCard card) {
        Object seed = card.provenance().get("seed");
        return seed instanceof Number n ? n.longValue() : 0L;
    }

    /** Per-class IoU, mIoU and pixel accuracy as a plain-text table. */
    public static String table(Result r) {
        StringBuilder sb = new StringBuilder();
        double[] iou = r.matrix().perClassIoU();
        List<String> names = r.card().labels().classNames();
        sb.append(String.format("%-16s %8s%n", "class", "IoU"));
        for (int c = 0; c < iou.length; c++)
            sb.append(String.format("%-16s %8s%n", names.get(c), Double.isNaN(iou[c]) ? "-" : String.format("%.2f", 100 * iou[c])));
        sb.append(String.format("%-16s %8.2f%n", "mIoU", 100 * r.matrix().meanIoU()));
        sb.append(String.format("%-16s %8.2f%n", "pixel accuracy", 100 * r.matrix().pixelAccuracy()));
        return sb.toString();
    }
}
