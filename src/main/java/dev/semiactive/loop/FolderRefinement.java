package dev.semiactive.loop;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.semiactive.SemiactiveException;
import dev.semiactive.config.DataConfig;
import dev.semiactive.config.DataSource;
import dev.semiactive.config.PlarConfig;
import dev.semiactive.config.SemiactiveConfig;
import dev.semiactive.config.TsfConfig;
import dev.semiactive.data.ChwImage;
import dev.semiactive.data.DatasetViews;
import dev.semiactive.data.ImageIo;
import dev.semiactive.data.MaskIo;
import dev.semiactive.data.Sample;
import dev.semiactive.data.SampleOps;
import dev.semiactive.data.SegmentationDataset;
import dev.semiactive.pipeline.CheckpointEvaluation;
import dev.semiactive.pipeline.TrainingRun;
import dev.semiactive.plar.ClassStatisticsAccumulator;
import dev.semiactive.plar.PlarRefiner;
import dev.semiactive.train.Checkpoint;
import dev.semiactive.train.Json;
import dev.semiactive.train.ModelCard;
import dev.semiactive.util.WorkProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

/**
 * {@code semiactive refine}: PLAR outside the loop, through the same code ({@link ScoringModel},
 * {@link Refinement}, {@link RefinementTally}). Class statistics come from the features of a labelled
 * dataset (prepared as the checkpoint's run prepared its data); then every image of a folder is predicted,
 * its error mask computed and the flagged pixels refined. Per image (named after the input file, at the
 * input's own size, nearest-resized from the working resolution) it writes:
 * <ul>
 *   <li>{@code refined/ID.png}: the training target: prediction, PLAR's class at refined pixels, 255 at
 *       undecided pixels;</li>
 *   <li>{@code undecided/ID.png}, {@code flagged/ID.png}: 255 where undecided / flagged, 0 elsewhere;</li>
 * </ul>
 * and {@code summary.json} with the statistics' classes and the pass's tallies (totals and per image).
 * PLAR settings ({@code plar.*}, {@code tsf.threshold}) are the checkpoint run's, defaults without one, and
 * can be overridden ({@code plar.rule=fusion}).
 * <p>
 * When the labelled data is the run's own training data and the run kept only a fraction of its labels
 * ({@code data.label_fraction}), the statistics use the same labelled part, so a semi-supervised
 * checkpoint is refined with the labels it was trained with, not with labels it never saw.
 * <p>
 * With ground truth for the images ({@code truth}: a dataset whose ids are the image files' base names) the
 * summary adds PLAR's accuracy, the Teacher's error before and after (RefinementTally) and per-class figures.
 * <p>
 * Resumable: every {@link #PROGRESS_EVERY} batches the pass saves how many images (in file-name order) are done,
 * with the tally and the per-image figures so far, in {@code refine-progress.json}; a rerun with the same arguments
 * (the same checkpoint weights, images, labelled data, truth and overrides) computes the class statistics again
 * (seeded: the same) and goes on after those images, so its summary and masks are the uninterrupted run's. The file
 * is removed when the summary is written; one saved by other arguments is ignored and replaced.
 */
public final class FolderRefinement {
    private static final Logger LOG = LoggerFactory.getLogger(FolderRefinement.class);
    public static final String SUMMARY = "summary.json";
    public static final String PROGRESS = "refine-progress.json";
    private static final int BATCH = 4;
    /** Batches between two saves of the progress (64 images). */
    static final int PROGRESS_EVERY = 16;

    private FolderRefinement() {
    }

    public static Map<String, Object> run(Path checkpointOrRun, DataSource labelledSource, List<String> splits, Path images, Path output) {
        return run(checkpointOrRun, labelledSource, splits, images, output, null, List.of(), List.of());
    }

    /**
     * @param truth       ground truth for the images, or null
     * @param truthSplits its split(s)
     * @param overrides   {@code key=value} overrides of the checkpoint run's config (e.g. {@code plar.rule=fusion})
     */
    public static Map<String, Object> run(Path checkpointOrRun, DataSource labelledSource, List<String> splits, Path images, Path output,
                                          DataSource truth, List<String> truthSplits, List<String> overrides) {
        return run(checkpointOrRun, labelledSource, splits, images, output, truth, truthSplits, overrides, PROGRESS_EVERY, done -> {
        });
    }

    /**
     * @param progressEvery batches between saves of the progress
     * @param afterBatch    told the number of images done after each batch (and its save, if one was due): what a
     *                      kill between batches would leave, for tests
     */
    static Map<String, Object> run(Path checkpointOrRun, DataSource labelledSource, List<String> splits, Path images, Path output,
                                   DataSource truth, List<String> truthSplits, List<String> overrides,
                                   int progressEvery, IntConsumer afterBatch) {
        Path ckpt = CheckpointEvaluation.resolveCheckpoint(checkpointOrRun);
        ModelCard card = Checkpoint.readModelCard(ckpt);
        SemiactiveConfig runConfig = CheckpointEvaluation.runConfig(card, overrides);
        if (runConfig == null && !overrides.isEmpty())
            throw new SemiactiveException(ckpt + " has no run config to override (model.json provenance): drop --set");
        PlarConfig plar = runConfig != null ? runConfig.plar() : PlarConfig.defaults();
        double tau = (runConfig != null ? runConfig.tsf() : TsfConfig.defaults()).threshold();
        long seed = runConfig != null ? runConfig.run().seed() : 0;
        SegmentationDataset labelled = CheckpointEvaluation.open(card, labelledSource, splits);
        if (runConfig != null && runConfig.data().labelFraction() < 1 && sameData(runConfig.data(), labelledSource, splits)) {
            labelled = DatasetViews.partition(labelled, runConfig.data().labelFraction(), seed).labelled();
            LOG.info("class statistics from the run's labelled part: {} (data.label_fraction {})", labelled.describe(),
                    runConfig.data().labelFraction());
        }
        SegmentationDataset truthData = truth == null ? null : CheckpointEvaluation.open(card, truth, truthSplits);
        Set<String> truthIds = truthData == null ? Set.of() : new HashSet<>(truthData.ids());
        Refinement refinement = new Refinement(card.labels().numClasses(), plar, tau, seed);
        List<Path> files = imageFiles(images);
        if (truthData != null) {
            for (Path f : files)
                if (!truthIds.contains(ImageIo.baseName(f)))
                    throw new SemiactiveException(f + " has no ground truth in " + truthData.describe()
                            + ": pass the dataset and split the images come from as --truth/--truth-split");
        }

        // the checks passed: an earlier summary no longer describes the masks about to be written, and the manifest says
        // what makes this output (a rerun with the same arguments writes the same masks)
        try {
            Files.deleteIfExists(output.resolve(SUMMARY));
        } catch (IOException e) {
            throw new SemiactiveException("cannot replace " + output.resolve(SUMMARY) + ": " + e.getMessage()
                    + " (check the output folder is writable)", e);
        }
        com.fasterxml.jackson.databind.node.ObjectNode asked = Json.MAPPER.createObjectNode();
        asked.put("checkpoint", ckpt.toString());
        asked.put("checkpoint_hash", Checkpoint.hashParameters(ckpt));
        asked.put("images", images.toString());
        asked.put("labelled", labelled.describe());
        asked.put("truth", truthData == null ? null : truthData.describe());
        asked.set("overrides", Json.MAPPER.valueToTree(overrides));
        asked.set("run_config", runConfig == null ? null : dev.semiactive.config.ConfigWriter.toTree(runConfig));
        dev.semiactive.train.RunManifest.builder().setConfig(asked).setSeed(seed).optDataset(labelled).build().write(output);
        String progressKey = progressKey(asked, files);
        Resumed resumed = Progress.read(output.resolve(PROGRESS), progressKey, files.size());

        Map<String, Object> summary = new LinkedHashMap<>();
        try (NDManager root = NDManager.newBaseManager(); ScoringModel model = ScoringModel.load(ckpt, root)) {
            ClassStatisticsAccumulator acc = refinement.newAccumulator();
            List<Sample> batch = new ArrayList<>();
            for (String id : labelled.ids()) {
                batch.add(labelled.load(id));
                if (batch.size() == BATCH) addLabelled(model, refinement, acc, batch);
            }
            addLabelled(model, refinement, acc, batch);
            PlarRefiner refiner = refinement.refiner(acc, root);

            RefinementTally tally = resumed == null ? new RefinementTally() : resumed.tally();
            List<Map<String, Object>> perImage = new ArrayList<>(resumed == null ? List.of() : resumed.perImage());
            int start = resumed == null ? 0 : resumed.done();
            if (start > 0) LOG.info("refine: resuming after {} of {} images ({})", start, files.size(), output.resolve(PROGRESS));
            List<Sample> originals = new ArrayList<>();
            int batches = 0;
            try (WorkProgress progress = WorkProgress.start("refine: images", files.size(), start, 100, LOG::info)) {
                for (int i = start; i < files.size(); i++) {
                    ChwImage img = ImageIo.read(files.get(i), card.inputChannels());
                    originals.add(new Sample(ImageIo.baseName(files.get(i)), img.channels(), img.height(), img.width(), img.data(), null));
                    if (originals.size() == BATCH || i == files.size() - 1) {
                        List<Sample> resized = originals.stream().map(s -> SampleOps.resize(s, card.height(), card.width())).toList();
                        List<ModelOutputs> outs = model.score(resized);
                        for (int j = 0; j < originals.size(); j++) {
                            Refinement.ImageRefinement r = refinement.refine(refiner, outs.get(j), null);
                            tally.add(r, null, truthData == null ? null : truthData.load(originals.get(j).id()).mask());
                            perImage.add(write(originals.get(j), r, output));
                        }
                        originals.clear();
                        progress.stepTo(i + 1);
                        if (++batches % progressEvery == 0 && i < files.size() - 1)
                            Json.writeAtomically(output.resolve(PROGRESS), new Progress(progressKey, i + 1, tally.state(), perImage));
                        afterBatch.accept(i + 1);
                    }
                }
            }
            summary.put("checkpoint", ckpt.toString());
            summary.put("network", card.network());
            summary.put("errorMaskDecoder", model.hasErrorMaskDecoder());
            summary.put("labelled", labelled.describe());
            summary.put("featureTap", plar.features().configName());
            summary.put("rule", plar.rule().configName());
            if (plar.margin() > 0) summary.put("margin", plar.margin());
            summary.put("shrinkage", plar.shrinkage());
            summary.put("samplesPerClass", plar.maxPixelsPerClass());
            summary.put("threshold", tau);
            List<Map<String, Object>> classes = new ArrayList<>();
            var stats = refiner.statistics();
            for (int c = 0; c < stats.numClasses(); c++) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("class", card.labels().classNames().get(c));
                m.put("samples", stats.sampleCount(c));
                m.put("candidate", stats.isCandidate(c));
                classes.add(m);
            }
            summary.put("classes", classes);
            summary.put("images", files.size());
            summary.put("flaggedPixels", tally.flagged());
            summary.put("refinedPixels", tally.refined());
            summary.put("undecidedPixels", tally.undecided());
            summary.putAll(tally.toMetrics());
            if (truthData != null) {
                summary.put("truth", truthData.describe());
                summary.put("perClass", tally.perClass(card.labels().classNames()));
                summary.put("refinedConfusion", tally.confusion());
            }
            summary.put("perImage", perImage);
        }
        Json.writeAtomically(output.resolve(SUMMARY), summary);
        try {
            Files.deleteIfExists(output.resolve(PROGRESS));
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {} (the summary is written; the file is ignored by a rerun of other arguments)",
                    output.resolve(PROGRESS), e.getMessage());
        }
        return summary;
    }

    /**
     * What a resumed pass needs: the images done (the first {@code done} in file-name order), the tally's state and the
     * per-image figures so far; {@code key} is {@link #progressKey} of the arguments that made it.
     */
    record Progress(String key, int done, JsonNode tally, List<Map<String, Object>> perImage) {
        /** The saved progress of these arguments, or null: none saved, saved by other arguments, or unreadable. */
        static Resumed read(Path file, String key, int images) {
            if (!Files.isRegularFile(file)) return null;
            try {
                Progress p = Json.MAPPER.readValue(file.toFile(), Progress.class);
                if (!key.equals(p.key()) || p.done() <= 0 || p.done() >= images || p.perImage() == null || p.perImage().size() != p.done()) {
                    LOG.info("refine: {} does not match these arguments and images: starting from the first image", file);
                    return null;
                }
                return new Resumed(p.done(), RefinementTally.fromState(p.tally()), p.perImage());
            } catch (IOException | IllegalArgumentException e) {
                LOG.warn("refine: {} cannot be read ({}): starting from the first image", file, e.getMessage());
                return null;
            }
        }
    }

    /** A saved progress, read back. */
    record Resumed(int done, RefinementTally tally, List<Map<String, Object>> perImage) {
    }

    /** A hash of what makes the masks (the manifest's config: checkpoint weights, images, data, overrides) and of the files' names. */
    private static String progressKey(JsonNode asked, List<Path> files) {
        List<String> parts = new ArrayList<>(List.of(asked.toString()));
        for (Path f : files) parts.add(f.getFileName().toString());
        return TrainingRun.hashIds(parts);
    }

    /** Whether a labelled source is the run's training data (same format, folder and splits). */
    private static boolean sameData(DataConfig run, DataSource source, List<String> splits) {
        if (run.format() != source.format() || !run.trainSplit().equals(splits)) return false;
        if (run.root() == null || source.root() == null) return run.root() == source.root();
        return run.root().toAbsolutePath().normalize().equals(source.root().toAbsolutePath().normalize());
    }

    private static void addLabelled(ScoringModel model, Refinement refinement, ClassStatisticsAccumulator acc, List<Sample> batch) {
        if (batch.isEmpty()) return;
        List<ModelOutputs> outs = model.score(batch);
        for (int i = 0; i < batch.size(); i++) refinement.addLabelled(acc, outs.get(i), batch.get(i).mask());
        batch.clear();
    }

    private static Map<String, Object> write(Sample original, Refinement.ImageRefinement r, Path output) {
        int h = original.height(), w = original.width();
        int[] target = SampleOps.nearest(r.target(), r.height(), r.width(), h, w);
        int[] undecided = new int[r.height() * r.width()];
        int[] flagged = new int[undecided.length];
        for (int p = 0; p < undecided.length; p++) {
            undecided[p] = r.undecided().get(p) ? 255 : 0;
            flagged[p] = r.flagged()[p] ? 255 : 0;
        }
        String name = ProjectExport.fileName(original.id()) + ".png";
        MaskIo.writeIndexPng(output.resolve("refined").resolve(name), target, h, w);
        MaskIo.writeIndexPng(output.resolve("undecided").resolve(name), SampleOps.nearest(undecided, r.height(), r.width(), h, w), h, w);
        MaskIo.writeIndexPng(output.resolve("flagged").resolve(name), SampleOps.nearest(flagged, r.height(), r.width(), h, w), h, w);
        long refined = 0;
        for (int v : r.refined()) if (v != 255) refined++;
        long flaggedCount = 0;
        for (boolean b : r.flagged()) if (b) flaggedCount++;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", original.id());
        m.put("flagged", flaggedCount);
        m.put("refined", refined);
        m.put("undecided", r.undecided().cardinality());
        return m;
    }

    private static List<Path> imageFiles(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            List<Path> files = s.filter(ImageIo::isImageFile).sorted().toList();
            if (files.isEmpty()) throw new SemiactiveException(folder + " has no images (png, jpg, tif, bmp): pass a folder of images");
            return files;
        } catch (IOException e) {
            throw new SemiactiveException("cannot list " + folder + ": " + e.getMessage() + " (pass a folder of images)", e);
        }
    }
}
