package dev.semiactive.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.semiactive.SemiactiveException;
import dev.semiactive.config.ConfigWriter;
import dev.semiactive.config.SemiactiveConfig;
import dev.semiactive.config.TrainConfig;
import dev.semiactive.data.DatasetViews;
import dev.semiactive.data.Sample;
import dev.semiactive.data.SegmentationDataset;
import dev.semiactive.eval.Evaluator;
import dev.semiactive.model.ModelSpec;
import dev.semiactive.train.ModelCard;
import dev.semiactive.train.Normalization;
import dev.semiactive.train.RunManifest;
import dev.semiactive.train.TrainingLoop;
import dev.semiactive.train.TrainingMethod;
import dev.semiactive.train.TrainingResult;
import dev.semiactive.train.semi.PseudoLabelOverrides;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * `semiactive train`: opens the config's data, builds the configured method over DeepLabv3+ networks and
 * runs the training loop (which resumes from the run's latest checkpoint when there is one).
 */
public final class TrainingRun {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);

    private TrainingRun() {
    }

    /** The data a run trains and validates on, after the labelled/unlabelled partition. */
    public record RunData(SegmentationDataset labelled, SegmentationDataset unlabelled, SegmentationDataset validation) {
    }

    public static RunData openData(SemiactiveConfig config) {
        long seed = config.run().seed();
        var data = config.data();
        SegmentationDataset train = Components.open(data, data.trainSplit(), seed, true);
        var parts = DatasetViews.partition(train, data.labelFraction(), seed);
        SegmentationDataset unlabelled = parts.unlabelled();
        if (data.unlabelledSplit() != null) {
            SegmentationDataset extra = DatasetViews.imagesOnly(Components.open(data, data.unlabelledSplit(), seed, false));
            if (unlabelled != null)
                throw new SemiactiveException("data.unlabelled_split is set and data.label_fraction < 1: use one source of unlabelled images");
            unlabelled = extra;
        }
        SegmentationDataset val = data.valSplit() == null ? null : Components.open(data, data.valSplit(), seed, true);
        if (train.channels() != config.model().inChannels())
            throw new SemiactiveException(train.describe() + " has " + train.channels() + "-channel images but model.in_channels is "
                    + config.model().inChannels() + ": set model.in_channels: " + train.channels());
        return new RunData(parts.labelled(), unlabelled, val);
    }

    public static TrainingResult run(SemiactiveConfig config) {
        RunData data = openData(config);
        return run(config, data, config.run().resolvedOutputDir(), null, null, hashIds(data.labelled().ids()));
    }

    /**
     * Trains the configured method on given data (an active-learning round's labelled view of its pool).
     *
     * @param runDir            where checkpoints, metrics and the manifest go (resumed if it has a checkpoint)
     * @param initialCheckpoint warm start: the networks start from this checkpoint when the run is new; null = seeded init
     * @param round             active-learning round for the manifest, or null
     * @param labelSetHash      hash of what is labelled, for the manifest
     */
    public static TrainingResult run(SemiactiveConfig config, RunData data, Path runDir, Path initialCheckpoint,
                                     Integer round, String labelSetHash) {
        return run(config, data, runDir, initialCheckpoint, round, labelSetHash, PseudoLabelOverrides.none());
    }

    /**
     * As above, with PLAR-refined labels of unlabelled pixels that the semi-supervised methods train on
     * in place of the teacher's pseudo-labels (an active-learning round passes the previous round's).
     */
    public static TrainingResult run(SemiactiveConfig config, RunData data, Path runDir, Path initialCheckpoint,
                                     Integer round, String labelSetHash, PseudoLabelOverrides overrides) {
        long seed = trainingSeed(config, round);
        SegmentationDataset labelled = data.labelled();
        ModelSpec spec = Components.modelSpec(config.model(), labelled.labels().numClasses());
        Normalization normalization = Normalization.defaults(labelled.channels());
        TrainingMethod method = Methods.create(config, spec, data, normalization, overrides);

        ModelCard card = modelCard(spec, labelled, normalization);
        RunManifest manifest = RunManifest.builder().setConfig(ConfigWriter.toTree(config)).setSeed(seed)
                .optDataset(labelled).optLabelSetHash(labelSetHash).optRound(round)
                // model.init starts only a run that warm-starts from nothing (TrainingLoop#initialiseFromPretrained)
                .optInit(initialCheckpoint == null ? config.model().init() : null, runDir).build();
        LOG.info("training {} on {} ({} unlabelled), validating on {}", method.name(), labelled.describe(),
                data.unlabelled() == null ? 0 : data.unlabelled().size(),
                data.validation() == null ? "nothing" : data.validation().describe());
        var train = config.train();
        TrainingLoop.Builder loop = loop(train, runDir, method, seed, card).optManifest(manifest)
                .optInitialCheckpoint(initialCheckpoint).optPretrained(config.model().init(), Components.architectures());
        if (data.validation() != null) {
            loop.optValidation(data.validation(), Evaluator.builder().setNormalization(normalization).optBatchSize(train.batchSize()).build());
            if (train.evalEvery() > 0) loop.optValidateEvery(train.evalEvery());
            else loop.optValidateEvery(train.steps());
        }
        return loop.build().run();
    }

    /**
     * The seed a training's random streams come from: {@code run.seed}, or with {@code train.round_streams} in an
     * active-learning round, one derived from ({@code run.seed}, round), so that a round does not replay the streams of
     * the rounds before it. The manifest records it.
     */
    public static long trainingSeed(SemiactiveConfig config, Integer round) {
        long seed = config.run().seed();
        return config.train().roundStreams() && round != null ? dev.semiactive.train.Seeds.derive(seed, 0x52D5, round) : seed;
    }

    /** The card a run's checkpoints carry: the network, the classes of {@code dataset}, its input size and normalisation. */
    static ModelCard modelCard(ModelSpec spec, SegmentationDataset dataset, Normalization normalization) {
        Sample probe = dataset.load(dataset.ids().get(0));
        try {
            return ModelCard.of(new ObjectMapper().readTree(spec.toJson()), dataset.labels(), normalization,
                    probe.height(), probe.width());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A training loop on {@code train}'s schedule (steps, learning rate and its shape, clipping, SGD, logging, checkpoints). */
    static TrainingLoop.Builder loop(TrainConfig train, Path runDir, TrainingMethod method, long seed, ModelCard card) {
        return TrainingLoop.builder().setRunDir(runDir).setMethod(method).setSteps(train.steps()).setSeed(seed).setModelCard(card)
                .optLearningRate(train.lr()).optLrPower(train.polyPower()).optWarmupSteps(train.warmupSteps())
                .optClipPercentile(train.clipPercentile()).optMomentum((float) train.momentum())
                .optWeightDecay((float) train.weightDecay()).optLogEvery(train.logEvery())
                .optCheckpointEvery(train.checkpointEvery());
    }

    /** Hash of a set of labelled ids: two runs with the same labelled images share it. */
    public static String hashIds(java.util.Collection<String> ids) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            ids.stream().sorted().forEach(id -> d.update((id + "\n").getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(d.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
