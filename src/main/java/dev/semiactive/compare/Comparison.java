package dev.semiactive.compare;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semiactive.SemiactiveException;
import dev.semiactive.config.ConfigLoader;
import dev.semiactive.config.ConfigWriter;
import dev.semiactive.config.DataSource;
import dev.semiactive.config.SemiactiveConfig;
import dev.semiactive.loop.Experiment;
import dev.semiactive.loop.ExperimentReport;
import dev.semiactive.pipeline.CheckpointEvaluation;
import dev.semiactive.pipeline.RunReport;
import dev.semiactive.pipeline.TrainingRun;
import dev.semiactive.train.Checkpoint;
import dev.semiactive.train.Json;
import dev.semiactive.train.TrainingResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * {@code semiactive compare}: the label-efficiency comparison of one preset. Every method ({@link ComparisonArm})
 * and seed is the preset's active-learning experiment with two settings changed ({@code al.strategy},
 * {@code train.method}) and its own folder {@code <comparison>/<method>-s<seed>/}; the fully supervised
 * reference is a separate run ({@code --full}: its config, trained if not finished, or its run folder). Arms
 * run one after the other; an arm already finished is reused (its experiment resumes, finds every round done
 * and only rewrites its report), a killed one resumes. An arm folder made with other settings is refused,
 * never silently mixed into the table. The table and plot are rewritten after every arm, so a partial
 * comparison can be read while the rest runs.
 */
public final class Comparison {
    private static final Logger LOG = LoggerFactory.getLogger(Comparison.class);

    private final Path configFile;
    private final List<String> overrides;
    private final List<ComparisonArm> arms;
    private final List<Long> seeds;
    private final Path fullReference;
    private final ArmRunner runner;

    /** Runs one arm's experiment (the real {@link Experiment} by default; tests substitute a fake). */
    @FunctionalInterface
    public interface ArmRunner {
        void run(SemiactiveConfig armConfig);
    }

    /** One finished experiment arm: its metrics per round, from its {@code rounds.json}. */
    public record ArmResult(ComparisonArm arm, long seed, Path dir, Map<Integer, Map<String, JsonNode>> rounds) {
    }

    /** The full-supervision reference: mIoU of its final checkpoint on the preset's validation split. */
    public record FullResult(Path checkpoint, double miou, long steps) {
    }

    /** Everything the report needs. */
    public record Result(Path dir, SemiactiveConfig preset, List<ArmResult> arms, FullResult full, Path report) {
    }

    private Comparison(Builder b) {
        this.configFile = Objects.requireNonNull(b.configFile, "setConfigFile");
        this.overrides = List.copyOf(b.overrides);
        this.arms = List.copyOf(b.arms);
        this.seeds = List.copyOf(b.seeds);
        this.fullReference = b.fullReference;
        this.runner = b.runner != null ? b.runner : c -> Experiment.builder().setConfig(c).build().run();
        if (arms.isEmpty()) throw new SemiactiveException("no methods to compare: pass --methods, e.g. random,tsf-plar");
    }

    public static Builder builder() {
        return new Builder();
    }

    public Result run() {
        SemiactiveConfig preset = ConfigLoader.load(configFile, overrides);
        Path dir = preset.run().resolvedOutputDir();
        List<Long> seedList = seeds.isEmpty() ? List.of(preset.run().seed()) : seeds;
        if (arms.contains(ComparisonArm.FULL) && fullReference == null)
            throw new SemiactiveException("method 'full' needs the reference: pass --full with its config (e.g. "
                    + "configs/camvid-cpu-full.yaml) or its run folder, or leave 'full' out of --methods");
        // Check every arm folder before running any: a conflict found after an hour of training is an hour lost.
        List<SemiactiveConfig> configs = new ArrayList<>();
        List<ComparisonArm> experimentArms = arms.stream().filter(ComparisonArm::isExperiment).toList();
        for (long seed : seedList)
            for (ComparisonArm arm : experimentArms) {
                SemiactiveConfig c = armConfig(preset, dir, arm, seed);
                requireSameSettings(c);
                configs.add(c);
            }
        FullResult full = arms.contains(ComparisonArm.FULL) ? full(preset) : null;
        List<ArmResult> results = new ArrayList<>();
        Path report = null;
        int i = 0;
        for (long seed : seedList)
            for (ComparisonArm arm : experimentArms) {
                SemiactiveConfig c = configs.get(i++);
                LOG.info("compare: {} seed {} ({}) in {}", arm, seed, arm.describe(), c.run().resolvedOutputDir());
                runner.run(c);
                results.add(new ArmResult(arm, seed, c.run().resolvedOutputDir(), readRounds(c.run().resolvedOutputDir())));
                report = ComparisonReport.write(dir, preset, seedList, results, full);
            }
        if (report == null) report = ComparisonReport.write(dir, preset, seedList, results, full);
        return new Result(dir, preset, results, full, report);
    }

    /** The preset with the arm's two settings, the seed and the arm's own folder. */
    private SemiactiveConfig armConfig(SemiactiveConfig preset, Path dir, ComparisonArm arm, long seed) {
        String folder = arm.configName() + "-s" + seed;
        List<String> all = new ArrayList<>(overrides);
        all.addAll(arm.overrides());
        all.add("run.seed=" + seed);
        all.add("run.name=" + preset.run().name() + "-" + folder);
        all.add("run.output_dir=" + dir.resolve(folder));
        return ConfigLoader.load(configFile, all);
    }

    /** Refuses to resume an arm folder whose experiment was made with other settings. */
    static void requireSameSettings(SemiactiveConfig c) {
        Path dir = c.run().resolvedOutputDir();
        Path saved = dir.resolve("config.yaml");
        if (!Files.isRegularFile(saved)) return;
        JsonNode before;
        try {
            before = ConfigWriter.toTree(ConfigLoader.load(saved, List.of()));
        } catch (RuntimeException e) {
            throw new SemiactiveException("cannot read " + saved + ": " + e.getMessage() + " (delete " + dir + " to rerun that arm)", e);
        }
        List<String> diff = new ArrayList<>();
        differences("", before, ConfigWriter.toTree(c), diff);
        if (!diff.isEmpty())
            throw new SemiactiveException(dir + " was run with other settings (" + String.join(", ", diff.subList(0, Math.min(3, diff.size())))
                    + "): delete that folder to rerun the arm, or give the comparison another run.name");
    }

    private static void differences(String prefix, JsonNode a, JsonNode b, List<String> out) {
        if (a != null && b != null && a.isObject() && b.isObject()) {
            java.util.Set<String> keys = new java.util.TreeSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            b.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) differences(prefix.isEmpty() ? k : prefix + "." + k, a.get(k), b.get(k), out);
            return;
        }
        boolean same = a == null ? b == null || b.isNull() : a.equals(b) || (a.isNumber() && b != null && b.isNumber()
                && a.asDouble() == b.asDouble());
        if (!same) out.add(prefix + " " + text(a) + " -> " + text(b));
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? "unset" : n.isTextual() ? n.asText() : n.toString();
    }

    /** The reference: trained (or resumed) from its config when not finished, then evaluated on the preset's val split. */
    private FullResult full(SemiactiveConfig preset) {
        Path runDir = fullReference;
        if (Files.isRegularFile(fullReference)) {
            SemiactiveConfig fullConfig = ConfigLoader.load(fullReference, List.of());
            runDir = fullConfig.run().resolvedOutputDir();
            if (!finished(runDir, fullConfig.train().steps())) {
                LOG.info("compare: training the full reference {} ({} steps; resumes if started)", fullReference, fullConfig.train().steps());
                TrainingResult r = TrainingRun.run(fullConfig);
                RunReport.write(runDir, r);
            }
        } else if (!Files.isDirectory(fullReference)) {
            throw new SemiactiveException("--full " + fullReference + ": no such file or folder (pass the reference's config or run folder)");
        }
        Path latest = Checkpoint.directory(runDir, Checkpoint.LATEST);
        Path checkpoint = Checkpoint.locate(latest).orElseGet(() -> CheckpointEvaluation.resolveCheckpoint(fullReference));
        if (preset.data().valSplit() == null)
            throw new SemiactiveException(configFile + " has no data.val_split: the comparison evaluates every arm on it");
        var eval = CheckpointEvaluation.evaluate(checkpoint, new DataSource(preset.data().format(), preset.data().root()),
                preset.data().valSplit());
        long steps = Checkpoint.readState(checkpoint).step();
        LOG.info("compare: full reference {} at step {}: val mIoU {}", checkpoint, steps, String.format("%.2f%%", 100 * eval.matrix().meanIoU()));
        return new FullResult(checkpoint, eval.matrix().meanIoU(), steps);
    }

    private static boolean finished(Path runDir, int steps) {
        return Checkpoint.locate(Checkpoint.directory(runDir, Checkpoint.LATEST))
                .map(c -> Checkpoint.readState(c).step() >= steps).orElse(false);
    }

    static Map<Integer, Map<String, JsonNode>> readRounds(Path armDir) {
        Path file = armDir.resolve(ExperimentReport.ROUNDS_JSON);
        Map<Integer, Map<String, JsonNode>> rounds = new TreeMap<>();
        if (!Files.isRegularFile(file)) return rounds;
        try {
            JsonNode tree = Json.MAPPER.readTree(file.toFile());
            for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
                var e = it.next();
                Map<String, JsonNode> m = new TreeMap<>();
                e.getValue().fields().forEachRemaining(f -> m.put(f.getKey(), f.getValue()));
                rounds.put(Integer.parseInt(e.getKey()), m);
            }
        } catch (IOException | NumberFormatException e) {
            throw new SemiactiveException("cannot read " + file + ": " + e.getMessage() + " (rerun the arm to rewrite it)", e);
        }
        return rounds;
    }

    public static final class Builder {
        private Path configFile;
        private List<String> overrides = List.of();
        private List<ComparisonArm> arms = ComparisonArm.DEFAULT;
        private List<Long> seeds = List.of();
        private Path fullReference;
        private ArmRunner runner;

        /** The preset: an active-learning experiment config ({@code al.*} with the budgets). */
        public Builder setConfigFile(Path file) {
            this.configFile = file;
            return this;
        }

        /** {@code key=value} overrides of the preset, applied to every arm. */
        public Builder optOverrides(List<String> overrides) {
            this.overrides = overrides;
            return this;
        }

        /** The methods (default {@link ComparisonArm#DEFAULT}). */
        public Builder optArms(List<ComparisonArm> arms) {
            this.arms = arms;
            return this;
        }

        /** Seeds, each a full set of arms (default: the preset's {@code run.seed}). */
        public Builder optSeeds(List<Long> seeds) {
            this.seeds = seeds;
            return this;
        }

        /** The full-supervision reference: its config file (trained when unfinished) or its run/checkpoint folder. */
        public Builder optFullReference(Path reference) {
            this.fullReference = reference;
            return this;
        }

        public Builder optRunner(ArmRunner runner) {
            this.runner = runner;
            return this;
        }

        public Comparison build() {
            return new Comparison(this);
        }
    }
}
