package dev.semiactive.loop;

import ai.djl.ndarray.NDManager;
import dev.semiactive.al.Oracle;
import dev.semiactive.al.ClassBalance;
import dev.semiactive.al.RegionGrid;
import dev.semiactive.al.Regionizer;
import dev.semiactive.al.RoundRunner;
import dev.semiactive.al.SlicRegionizer;
import dev.semiactive.al.Strategies;
import dev.semiactive.al.StrategyOptions;
import dev.semiactive.SemiactiveException;
import dev.semiactive.config.AlConfig;
import dev.semiactive.config.AlStrategy;
import dev.semiactive.config.RegionKind;
import dev.semiactive.config.SemiactiveConfig;
import dev.semiactive.config.TrainingMethod;
import dev.semiactive.data.SegmentationDataset;
import dev.semiactive.eval.ConfusionMatrix;
import dev.semiactive.eval.Evaluator;
import dev.semiactive.pipeline.Components;
import dev.semiactive.pipeline.RunReport;
import dev.semiactive.pipeline.TrainingRun;
import dev.semiactive.train.semi.PseudoLabelOverrides;
import dev.semiactive.store.LabelStats;
import dev.semiactive.store.ProjectStore;
import dev.semiactive.store.RoundPhase;
import dev.semiactive.train.Checkpoint;
import dev.semiactive.train.ModelCard;
import dev.semiactive.train.Network;
import dev.semiactive.train.TrainingResult;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One active-learning round at a time over a project store, wired from a config: the shared engine of
 * {@code semiactive experiment} (simulated oracle) and {@code semiactive project round} (human oracle).
 *
 * <p>Round r (r &gt;= 1) trains {@code train.steps} steps on the labels of rounds &lt; r into
 * {@code <dir>/rounds/round-NN}, warm-started from round r-1's {@code checkpoints/latest} (parameters
 * only: a new poly schedule and fresh momentum per round; round 1 starts from the seeded initialisation),
 * scores the pool with that model ({@link PoolScoring}), selects {@code al.round_fraction} of the pool's
 * pixels, asks the oracle and records metrics, including the model's validation figures when there is a
 * validation set. Round 0 selects {@code al.initial_fraction} at random and trains nothing. Everything is
 * resumable: the store's round phases ({@link RoundRunner}) and the training loop's own checkpoints.
 */
public final class ActiveLearningLoop {
    public static final String ROUNDS = "rounds";

    private final SemiactiveConfig config;
    private final LabelledPool pool;
    private final ProjectStore store;
    private final Oracle oracle;
    private final Path dir;
    private final SegmentationDataset validation;
    private final boolean groundTruth;
    private final ScoreFiles scoreFiles;
    /** The validation the training loop ran at its last step, by round: the round's figures without a second pass. */
    private final Map<Integer, ConfusionMatrix> trainedValidation = new java.util.HashMap<>();

    private ActiveLearningLoop(Builder b) {
        this.config = Objects.requireNonNull(b.config, "setConfig");
        this.pool = Objects.requireNonNull(b.pool, "setPool");
        this.store = pool.store();
        this.oracle = Objects.requireNonNull(b.oracle, "setOracle");
        this.dir = Objects.requireNonNull(b.dir, "setDirectory");
        this.validation = b.validation;
        this.groundTruth = b.groundTruth;
        this.scoreFiles = b.scoreFiles;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code <dir>/rounds/round-NN}: the training run of round r. */
    public static Path roundDir(Path dir, int round) {
        return dir.resolve(ROUNDS).resolve(String.format("round-%02d", round));
    }

    /** The model trained in round r ({@code checkpoints/latest} of its run). */
    public static Path checkpoint(Path dir, int round) {
        return Checkpoint.directory(roundDir(dir, round), Checkpoint.LATEST);
    }

    /** The newest round's complete model under {@code dir}, if any round has trained. */
    public static Optional<Path> latestModel(Path dir, ProjectStore store) {
        int last = store.latestRound().orElse(-1);
        for (int r = last; r >= 1; r--) {
            Optional<Path> found = Checkpoint.locate(checkpoint(dir, r));
            if (found.isPresent()) return found;
        }
        return Optional.empty();
    }

    /** The regionizer {@code al.region} and {@code al.cell} describe. */
    public static Regionizer regionizer(AlConfig al) {
        return al.region() == RegionKind.GRID ? new RegionGrid(al.cell())
                : SlicRegionizer.builder().optRegionSize(al.cell()).build();
    }

    /**
     * Runs (or resumes) round {@code round}.
     *
     * @param last the final round: it trains, scores and evaluates but selects nothing more
     * @return DONE, or QUERIED while a person still has to answer queries
     */
    public RoundPhase runRound(int round, boolean last) {
        AlConfig al = config.al();
        long seed = config.run().seed();
        RoundRunner runner = RoundRunner.builder().setStore(store)
                .setStrategy(Strategies.byName(al.strategy().configName(), strategyOptions(round)))
                .setOracle(oracle)
                .setPool(PoolScoring.builder().setPool(pool).setRegionizer(regionizer(al))
                        .setRefinement(new Refinement(pool.pool().labels().numClasses(), config.plar(), config.tsf().threshold(), seed))
                        .setCheckpoints(r -> checkpoint(dir, r)).optBatchSize(config.train().batchSize())
                        .optGroundTruth(groundTruth).optRegionFeatures(al.strategy() == AlStrategy.CORESET || al.diversity() > 0)
                        .optPlar(usesPlar(config)).optModelScores(usesPlar(config) || al.strategy() != AlStrategy.RANDOM || scoreFiles != null)
                        .optScoreFiles(scoreFiles).build())
                .optTrainer(this::train).optEvaluator(this::evaluate).optSeed(seed).optClassNames(pool.pool().labels().classNames())
                .optBudget(al.budget(), al.initialFraction(), last ? 0 : al.roundFraction())
                .build();
        return runner.run(round);
    }

    /**
     * The strategy's settings for round {@code round}: the random share, and with {@code al.class_balance} the class
     * weights from what rounds before this one labelled (a pure input of the round's scoring; a resumed round gets
     * the same ones), recorded in the round's metrics as {@link #CLASS_WEIGHTS}.
     */
    private StrategyOptions strategyOptions(int round) {
        AlConfig al = config.al();
        StrategyOptions o = strategyOptions(al, config.run().seed());
        if (al.classBalance() <= 0 || round == 0) return o;
        int k = pool.pool().labels().numClasses();
        long[] labelled = java.util.Arrays.copyOf(store.labelledClassPixels(0, round - 1, k), k); // void left out
        double[] w = ClassBalance.weights(labelled, al.classBalance());
        Map<String, Double> named = new LinkedHashMap<>();
        for (int c = 0; c < k; c++) named.put(pool.pool().labels().classNames().get(c), w[c]);
        store.putMetrics(round, Map.of(CLASS_WEIGHTS, named));
        return o.withClassWeights(w);
    }

    /** The strategy's settings that come from {@code al} alone: random share, diverse thinning, impurity weight. */
    static StrategyOptions strategyOptions(AlConfig al, long seed) {
        return StrategyOptions.defaults(seed).withRandomShare(al.randomShare()).withDiversity(al.diversity()).withImpurity(al.impurity());
    }

    /** Metric of a class-balanced round: the weight of each class name its scoring used. */
    public static final String CLASS_WEIGHTS = "class_weights";

    /**
     * Whether rounds run PLAR: for the tsf-plar strategies (they query PLAR's undecided pixels) and for TSF
     * training (it trains on PLAR's refined labels). Not for the baselines: PLAR is this method's part, and a
     * baseline given it (s4al's mean-teacher would train on refined labels too) is no longer the baseline.
     */
    public static boolean usesPlar(SemiactiveConfig config) {
        return config.al().strategy().needsPlar() || config.train().method() == TrainingMethod.TSF;
    }

    /** Trains round r's model on the labels of rounds before it. */
    void train(int round) {
        TrainingResult result = trainRound(config, pool, validation, dir, round, roundDir(dir, round));
        finalValidation(result, config.train().steps()).ifPresent(cm -> trainedValidation.put(round, cm));
    }

    /**
     * Trains round r of the experiment in {@code dir} into {@code runDir}: on the labels of rounds before r, from round
     * r-1's model (round 1: from {@code model.init} or the seeded initialisation), with round r-1's PLAR refinements
     * when the config uses PLAR. The experiment's own round trains into {@code roundDir(dir, r)}; another folder, under
     * a config with another {@code run.seed}, trains the same round again on the same start and labels (the
     * comparison's last-round retraining), and leaves the experiment untouched.
     */
    public static TrainingResult trainRound(SemiactiveConfig config, LabelledPool pool, SegmentationDataset validation, Path dir,
                                            int round, Path runDir) {
        SegmentationDataset labelled = pool.labelled(round - 1);
        TrainingRun.RunData data = new TrainingRun.RunData(labelled,
                config.train().method().usesUnlabelled() ? pool.unlabelled() : null, validation);
        Path initial = round > 1 ? requireModel(dir, round - 1, "round " + round + " starts from it") : null;
        // PLAR's refinements from the previous round's scoring replace the teacher's pseudo-labels there
        PseudoLabelOverrides refined = round > 1 && usesPlar(config) ? id -> pool.refined(round - 1, id) : PseudoLabelOverrides.none();
        TrainingResult result = TrainingRun.run(config, data, runDir, initial, round,
                TrainingRun.hashIds(pool.labelledRegionIds(round - 1)), refined);
        RunReport.write(runDir, result);
        return result;
    }

    /**
     * Round r's trained model. Missing (a deleted or moved round folder) is an error, never a silent fresh start: a
     * round trained from scratch (or from {@code model.init}) in the middle of a warm-started chain would make a
     * different method's curve under the same name.
     */
    private static Path requireModel(Path dir, int round, String why) {
        return Checkpoint.locate(checkpoint(dir, round)).orElseThrow(() -> new SemiactiveException("round " + round + "'s model is missing: "
                + checkpoint(dir, round) + " (" + why + "); restore that folder, or run the experiment again with a new run.output_dir"));
    }

    /**
     * The validation a training run made of its last step, when it made one: the network its {@code latest}
     * checkpoint holds, on the same data, normalization and batch size as {@link #validate}, so the same figures
     * (checked to the last digit on kept CamVid runs) without loading the checkpoint and running the split again.
     * Empty when the run resumed an already finished training (nothing ran) or stopped before its last step.
     */
    public static Optional<ConfusionMatrix> finalValidation(TrainingResult result, long steps) {
        return result.endStep() == steps && result.startStep() < steps ? Optional.ofNullable(result.lastValidation()) : Optional.empty();
    }

    /** The round's metrics beyond the label cost: what the model was trained on and how it validates. */
    Map<String, Object> evaluate(int round) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (round == 0) return m;
        LabelStats trained = store.labelStats(round - 1);
        m.put("train_labelled_pixels", trained.pixels());
        m.put("train_labelled_percent", 100.0 * trained.pixels() / store.poolPixels());
        m.put("train_labelled_regions", trained.regions());
        // the images the round's batches are shuffled from: equal to the round before's, and without train.round_streams the
        // round replays that round's batches (BENCHMARKS.md, "The replay")
        m.put("train_labelled_images", trained.imagesTouched());
        if (validation == null) return m;
        ConfusionMatrix lastStep = trainedValidation.remove(round);
        if (lastStep != null) {
            m.putAll(metrics(lastStep));
            return m;
        }
        Path ckpt = requireModel(dir, round, "the round's validation reads it");
        m.putAll(validate(ckpt, validation, config.train().batchSize()));
        return m;
    }

    /**
     * mIoU, pixel accuracy and per-class IoU of a checkpoint's evaluation network (its model card's {@code network})
     * on a labelled dataset: the figures every round records, shared with the comparison's schedule reference.
     */
    public static Map<String, Object> validate(Path checkpoint, SegmentationDataset validation, int batchSize) {
        ModelCard card = Checkpoint.readModelCard(checkpoint);
        try (NDManager manager = NDManager.newBaseManager();
             Network net = Checkpoint.loadNetwork(checkpoint, card.network(), Components.architectures().apply(card), manager)) {
            ConfusionMatrix cm = Evaluator.builder().setNormalization(card.normalization())
                    .optBatchSize(batchSize).build().evaluate(net.block(), validation, manager);
            return metrics(cm);
        }
    }

    /** A round's validation figures from its confusion matrix: mIoU, pixel accuracy, per-class IoU. */
    public static Map<String, Object> metrics(ConfusionMatrix cm) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mIoU", RefinementTally.json(cm.meanIoU()));
        m.put("pixel_accuracy", RefinementTally.json(cm.pixelAccuracy()));
        List<Double> perClass = new ArrayList<>();
        for (double v : cm.perClassIoU()) perClass.add(RefinementTally.json(v));
        m.put("per_class_iou", perClass);
        return m;
    }

    public static final class Builder {
        private SemiactiveConfig config;
        private LabelledPool pool;
        private Oracle oracle;
        private Path dir;
        private SegmentationDataset validation;
        private boolean groundTruth;
        private ScoreFiles scoreFiles;

        public Builder setConfig(SemiactiveConfig config) {
            this.config = config;
            return this;
        }

        public Builder setPool(LabelledPool pool) {
            this.pool = pool;
            return this;
        }

        public Builder setOracle(Oracle oracle) {
            this.oracle = oracle;
            return this;
        }

        /** Experiment or project folder: rounds/ go there. */
        public Builder setDirectory(Path dir) {
            this.dir = dir;
            return this;
        }

        /** Labelled validation data: each round's model is evaluated on it. */
        public Builder optValidation(SegmentationDataset validation) {
            this.validation = validation;
            return this;
        }

        /** The pool's masks are ground truth: PLAR and EMD metrics against them. */
        public Builder optGroundTruth(boolean groundTruth) {
            this.groundTruth = groundTruth;
            return this;
        }

        /** Write predictions / error masks for the annotation page. */
        public Builder optScoreFiles(ScoreFiles files) {
            this.scoreFiles = files;
            return this;
        }

        public ActiveLearningLoop build() {
            return new ActiveLearningLoop(this);
        }
    }
}
