package dev.semiactive.pipeline;

import dev.semiactive.SemiactiveException;
import dev.semiactive.config.ConfigWriter;
import dev.semiactive.config.SemiactiveConfig;
import dev.semiactive.data.DatasetViews;
import dev.semiactive.data.SegmentationDataset;
import dev.semiactive.eval.Evaluator;
import dev.semiactive.model.ModelSpec;
import dev.semiactive.pretext.ChromaBins;
import dev.semiactive.pretext.ColourizationDataset;
import dev.semiactive.train.Json;
import dev.semiactive.train.ModelCard;
import dev.semiactive.train.Normalization;
import dev.semiactive.train.RunManifest;
import dev.semiactive.train.SupervisedMethod;
import dev.semiactive.train.TrainingLoop;
import dev.semiactive.train.TrainingResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * `semiactive pretrain`: the colourization pretext on the images of the config's training split (the
 * pool; masks are never read), with the config's model, schedule and weak augmentation. Its checkpoint is
 * what {@code model.init} points at. The colour bins are fitted once and kept in {@code pretext.json}, so a
 * resumed run trains on the same classes.
 */
public final class PretextRun {
    private static final Logger LOG = LoggerFactory.getLogger(PretextRun.class);
    public static final String FILE = "pretext.json";
    /** Pixels sampled per image to fit the bins: ~700k on CamVid's 367 images, k-means in about a second. */
    static final int SAMPLES_PER_IMAGE = 2000;
    /**
     * Cross-entropy weight power over the bins: colour is mostly grey in street and aerial scenes, and
     * unweighted the network learns to answer grey (Zhang et al. rebalance for the same reason).
     */
    static final double BIN_WEIGHT_POWER = 0.5;

    private PretextRun() {
    }

    /** The pretext's folder when a command gives none: {@code <run output dir>-pretext}. */
    public static Path defaultOutput(SemiactiveConfig config) {
        Path run = config.run().resolvedOutputDir();
        return run.resolveSibling(run.getFileName() + "-pretext");
    }

    public static TrainingResult run(SemiactiveConfig config, int bins, Path outDir) {
        long seed = config.run().seed();
        var data = config.data();
        SegmentationDataset pool = DatasetViews.imagesOnly(Components.open(data, data.trainSplit(), seed, false));
        if (pool.channels() != 3)
            throw new SemiactiveException(pool.describe() + " has " + pool.channels() + "-channel images: the colourization"
                    + " pretext needs 3 (RGB or IRRG); pretrain without data.dsm");
        ChromaBins chroma = binsFor(pool, bins, seed, outDir);
        ColourizationDataset pretext = new ColourizationDataset(pool, chroma);
        ModelSpec spec = Components.modelSpec(config.model(), chroma.size());
        Normalization normalization = Normalization.defaults(3);
        var train = config.train();
        SupervisedMethod method = SupervisedMethod.builder().setNetwork(Components.deeplab(spec)).setLabelled(pretext)
                .setBatchSize(train.batchSize()).optAugmentation(Components.weak(config.augment(), train.crop()))
                .optNormalization(normalization).optClassWeightPower(BIN_WEIGHT_POWER).build();
        ModelCard card = TrainingRun.modelCard(spec, pretext, normalization);
        RunManifest manifest = RunManifest.builder().setConfig(ConfigWriter.toTree(config)).setSeed(seed)
                .optDataset(pool).build();
        LOG.info("colourization pretext on {}: {} colour bins, {} steps", pool.describe(), chroma.size(), train.steps());
        TrainingLoop.Builder loop = TrainingRun.loop(train, outDir, method, seed, card).optManifest(manifest);
        if (data.valSplit() != null) {
            // how well the pretext is learnt, on images it never trained on: mIoU over the colour bins, at the end
            SegmentationDataset val = new ColourizationDataset(DatasetViews.imagesOnly(Components.open(data, data.valSplit(), seed, false)), chroma);
            loop.optValidation(val, Evaluator.builder().setNormalization(normalization).optBatchSize(train.batchSize()).build())
                    .optValidateEvery(train.steps());
        }
        return loop.build().run();
    }

    /** The bins kept in {@code outDir} (a resumed pretext, checked to be this pool's and seed's), else fitted on the pool and kept there. */
    static ChromaBins binsFor(SegmentationDataset pool, int bins, long seed, Path outDir) {
        Path file = outDir.resolve(FILE);
        if (Files.isRegularFile(file)) {
            try {
                var node = Json.MAPPER.readTree(file.toFile());
                ChromaBins kept = new ChromaBins(Json.MAPPER.treeToValue(node.path("centroids"), double[][].class));
                if (kept.size() != bins)
                    throw new SemiactiveException(file + " has " + kept.size() + " colour bins, not the " + bins
                            + " asked: use --bins " + kept.size() + " to resume it, or another --output");
                // resuming on another pool or seed would train the kept checkpoint on classes fitted elsewhere
                String keptPool = node.path("dataset").asText();
                if (!keptPool.equals(pool.describe()))
                    throw new SemiactiveException(file + " was fitted on " + keptPool + ", not " + pool.describe()
                            + ": give this pretext another --output");
                if (node.has("seed") && node.path("seed").asLong() != seed)
                    throw new SemiactiveException(file + " was fitted with run.seed " + node.path("seed").asLong() + ", not " + seed
                            + ": give this pretext another --output");
                return kept;
            } catch (IOException e) {
                throw new SemiactiveException("cannot read " + file + ": " + e.getMessage() + " (delete the folder to start the pretext afresh)", e);
            }
        }
        ChromaBins fitted = ChromaBins.fit(pool, bins, SAMPLES_PER_IMAGE, seed);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("task", "colourization");
        o.put("bins", fitted.size());
        o.put("samples_per_image", SAMPLES_PER_IMAGE);
        o.put("bin_weight_power", BIN_WEIGHT_POWER);
        o.put("dataset", pool.describe());
        o.put("seed", seed);
        o.put("centroids", fitted.centroids());
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new SemiactiveException("cannot create " + outDir + ": " + e.getMessage(), e);
        }
        Json.writeAtomically(file, o);
        return fitted;
    }
}
