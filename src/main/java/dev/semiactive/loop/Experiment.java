package dev.semiactive.loop;

import dev.semiactive.SemiactiveException;
import dev.semiactive.al.Budget;
import dev.semiactive.al.Oracle;
import dev.semiactive.al.SimulatedOracle;
import dev.semiactive.config.ConfigWriter;
import dev.semiactive.config.OracleKind;
import dev.semiactive.config.OracleMode;
import dev.semiactive.config.SemiactiveConfig;
import dev.semiactive.data.SegmentationDataset;
import dev.semiactive.pipeline.Components;
import dev.semiactive.store.ProjectStore;
import dev.semiactive.store.RoundPhase;
import dev.semiactive.train.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code semiactive experiment}: a whole active-learning experiment from a config, with the simulated
 * oracle revealing the training split's ground truth. Rounds run until the budget ({@code al.budget}) is
 * spent (a round that starts with the budget spent, or with less of it left than 1% of a round, or that can select
 * nothing more is the last: it trains on everything labelled and is evaluated) or {@code al.rounds} rounds after round 0 have run. Everything lives in
 * {@code run.output_dir}: the project store {@code project.db} (images, regions, queries, labels, PLAR,
 * metrics), {@code rounds/round-NN/} (each round's training run), the report, and {@code finished.json} once the
 * last round is done. Running the same command again resumes where it stopped.
 */
public final class Experiment {
    private static final Logger LOG = LoggerFactory.getLogger(Experiment.class);
    public static final String STORE = "project.db";
    /** Written when the last round is done: its presence is what marks the experiment finished (compare reuses it). */
    public static final String FINISHED = "finished.json";

    private final SemiactiveConfig config;
    private final Oracle oracle;
    private final boolean checkResume;

    private Experiment(Builder b) {
        this.config = Objects.requireNonNull(b.config, "setConfig");
        this.oracle = b.oracle;
        this.checkResume = b.checkResume;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What an experiment run ended with. */
    public record Result(Path runDir, int lastRound, Double finalMiou, Double labelledPercent, Path report) {
    }

    public Result run() {
        var al = config.al();
        if (al.oracle() != OracleKind.SIMULATED && oracle == null)
            throw new SemiactiveException("al.oracle is " + al.oracle() + " but an experiment reveals ground truth: set al.oracle: simulated, "
                    + "or label by hand with 'semiactive project'");
        if (config.data().labelFraction() != 1.0)
            throw new SemiactiveException("data.label_fraction is " + config.data().labelFraction() + " but an experiment chooses its labels "
                    + "by active learning (al.*): remove data.label_fraction");
        Path runDir = config.run().resolvedOutputDir();
        try {
            Files.createDirectories(runDir);
        } catch (IOException e) {
            throw new SemiactiveException("cannot create " + runDir + ": " + e.getMessage(), e);
        }
        if (checkResume) requireResumableWith(runDir, config);
        long seed = config.run().seed();
        var data = config.data();
        SegmentationDataset pool = Components.open(data, data.trainSplit(), seed, true);
        if (pool.channels() != config.model().inChannels())
            throw new SemiactiveException(pool.describe() + " has " + pool.channels() + "-channel images but model.in_channels is "
                    + config.model().inChannels() + ": set model.in_channels: " + pool.channels());
        SegmentationDataset validation = data.valSplit() == null ? null : Components.open(data, data.valSplit(), seed, true);
        // written once the checks passed: a refused rerun leaves the run's config as it was made
        ConfigWriter.writeYaml(config, runDir.resolve("config.yaml"));
        try (ProjectStore store = ProjectStore.open(runDir.resolve(STORE))) {
            LabelledPool.register(store, pool);
            Oracle answers = oracle != null ? oracle : new SimulatedOracle(id -> pool.load(id).mask(),
                    al.oracleMode() == OracleMode.DOMINANT ? SimulatedOracle.Mode.DOMINANT_CLASS : SimulatedOracle.Mode.ALL_PIXELS);
            ActiveLearningLoop loop = ActiveLearningLoop.builder().setConfig(config).setPool(new LabelledPool(pool, store))
                    .setOracle(answers).setDirectory(runDir).optValidation(validation).optGroundTruth(true).build();
            Path report = null;
            int round = 0;
            for (; ; round++) {
                // labels of the rounds before this one (a resumed round may have labelled already); the budget's last few pixels
                // (under 1% of a round) are not worth a round of their own: see Budget.isSpent
                boolean last = (al.rounds() != null && round == al.rounds())
                        || (round > 0 && Budget.isSpent(store.poolPixels(), al.budget(), store.labelStats(round - 1).pixels(), al.roundFraction()));
                RoundPhase phase = loop.runRound(round, last);
                report = ExperimentReport.write(runDir, config, store, pool);
                if (phase != RoundPhase.DONE)
                    throw new SemiactiveException("round " + round + " of " + runDir + " waits for answers: " + answers.name()
                            + " left queries pending");
                boolean selected = !store.queries(round).isEmpty();
                if (round == 0 && !selected)
                    throw new SemiactiveException("al.initial_fraction = " + al.initialFraction() + " is too small to label one region of "
                            + store.poolPixels() + " pool pixels: raise it");
                if (last || (round > 0 && !selected)) break;
            }
            var m = store.metrics(round);
            Double miou = m.containsKey("mIoU") && m.get("mIoU").isNumber() ? m.get("mIoU").asDouble() : null;
            Double trained = m.containsKey("train_labelled_percent") ? m.get("train_labelled_percent").asDouble() : null;
            LOG.info("experiment {}: {} rounds, final mIoU {} with {}% of pool pixels labelled", config.run().name(), round + 1, miou, trained);
            Map<String, Object> finished = new LinkedHashMap<>();
            finished.put("last_round", round);
            finished.put("final_miou", miou);
            finished.put("train_labelled_percent", trained);
            finished.put("finished_at", Instant.now().toString());
            Json.writeAtomically(runDir.resolve(FINISHED), finished);
            return new Result(runDir, round, miou, trained, report);
        }
    }

    public static final class Builder {
        private SemiactiveConfig config;
        private Oracle oracle;
        private boolean checkResume = true;

        public Builder setConfig(SemiactiveConfig config) {
            this.config = config;
            return this;
        }

        /** Another oracle than the config's simulated one (tests: an oracle that fails mid-round). */
        public Builder optOracle(Oracle oracle) {
            this.oracle = oracle;
            return this;
        }

        /**
         * Whether a rerun in a folder that holds an experiment refuses settings other than {@link #RESUMABLE_CHANGES}
         * (default true). {@code compare} turns it off: it holds its arms to its own rule (settings an arm does not read,
         * such as tsf.* for a supervised arm, may change), checked before the arm runs.
         */
        public Builder optCheckResume(boolean check) {
            this.checkResume = check;
            return this;
        }

        public Experiment build() {
            return new Experiment(this);
        }
    }

    /**
     * Settings a resumed experiment may change: where it is, and how often it logs, validates and saves. Any other
     * change would mix two experiments in one run folder (a longer curve too: the last round of a finished run selects
     * nothing, so it is a new run).
     */
    static final List<String> RESUMABLE_CHANGES = List.of("run.name", "run.output_dir", "train.log_every", "train.eval_every",
            "train.checkpoint_every", "train.threads");

    /** Refuses to resume a run folder whose rounds were made with other settings (config.yaml beside its project store). */
    static void requireResumableWith(Path runDir, SemiactiveConfig config) {
        Path saved = runDir.resolve("config.yaml");
        if (!Files.isRegularFile(saved) || !Files.isRegularFile(runDir.resolve(STORE))) return;
        List<String> diff = ConfigWriter.differences(dev.semiactive.config.ConfigLoader.loadSaved(saved), config).stream()
                .filter(d -> RESUMABLE_CHANGES.stream().noneMatch(k -> d.startsWith(k + " "))).toList();
        if (!diff.isEmpty())
            throw new SemiactiveException(runDir + " holds an experiment made with other settings (" + String.join(", ", diff.subList(0,
                    Math.min(3, diff.size()))) + (diff.size() > 3 ? ", ..." : "") + "): put them back to resume it, or set another "
                    + "run.output_dir for a new experiment");
    }

}
