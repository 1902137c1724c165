package dev.semiactive.compare;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semiactive.SemiactiveException;
import dev.semiactive.config.ConfigException;
import dev.semiactive.config.ConfigLoader;
import dev.semiactive.config.ConfigWriter;
import dev.semiactive.config.DataSource;
import dev.semiactive.config.SemiactiveConfig;
import dev.semiactive.config.TrainingMethod;
import dev.semiactive.loop.ActiveLearningLoop;
import dev.semiactive.loop.Experiment;
import dev.semiactive.loop.ExperimentReport;
import dev.semiactive.pipeline.CheckpointEvaluation;
import dev.semiactive.pipeline.PretextRun;
import dev.semiactive.pipeline.RunReport;
import dev.semiactive.pipeline.TrainingRun;
import dev.semiactive.train.Checkpoint;
import dev.semiactive.train.Json;
import dev.semiactive.train.MetricsLog;
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
 * comparison can be read while the rest runs. With {@link Builder#optPretext} each seed first gets its own
 * colourization pretext ({@code <comparison>/pretext-<steps>steps-<bins>bins-s<seed>/}), every arm of that seed
 * starting from it, so that the pretext is part of what a seed samples and one command makes the whole table.
 *
 * <p>Kept results ({@code --results DIR}): a run folder holds checkpoints and a project store (~100 MB an arm) and
 * stays on the machine that ran it. The results folder keeps only what the table is made of (each arm's
 * {@code config.yaml}, {@code rounds.json}, {@code finished.json}, report and manifest; {@code full.json} with the
 * reference's config), small enough to commit. An arm finished there with the same settings is read from there
 * and not run again, on any machine; every arm this command finishes, and the table, are copied there.
 */
public final class Comparison {
    private static final Logger LOG = LoggerFactory.getLogger(Comparison.class);

    private final Path configFile;
    private final List<String> overrides;
    /** Per-method {@code key=value} overrides, applied after the preset's and the arm's own (e.g. s4al's weight). */
    private final Map<ComparisonArm, List<String>> armOverrides;
    private final Map<Long, List<String>> seedOverrides;
    /** Settings that make an arm what it is, or name where it runs: not settable per arm. */
    static final java.util.Set<String> ARM_KEYS = java.util.Set.of("al.strategy", "train.method", "run.seed", "run.name", "run.output_dir");
    private final List<ComparisonArm> arms;
    private final List<Long> seeds;
    private final Path fullReference;
    private final Path results;
    private final ArmRunner runner;
    /** Steps of each seed's own colourization pretext, the arms' {@code model.init}; 0 = none. */
    private final int pretextSteps;
    private final int pretextBins;
    private final PretextRunner pretextRunner;
    /** Whether this comparison only writes the table from what is finished, training nothing. */
    private final boolean reportOnly;
    /** Under which training seeds (and settings) each finished arm's last round is trained again ({@link LastRoundRetraining}). */
    private final LastRoundRetraining.Plan retraining;
    private final RetrainRunner retrainRunner;
    /** The report's name: its files are NAME.md, NAME.png and NAME.json ({@link ComparisonReport#files}). */
    private final String reportName;
    /** Files of a seed's pretext that the results folder keeps (no checkpoint). */
    static final List<String> KEPT_PRETEXT_FILES = List.of(PretextRun.FILE, MetricsLog.FILE, RunReport.FILE, RunReport.CURVES, "manifest.json");
    /** Files of a finished arm that the results folder keeps (the table needs the first two). */
    static final List<String> KEPT_ARM_FILES = List.of("config.yaml", ExperimentReport.ROUNDS_JSON, Experiment.FINISHED,
            ExperimentReport.FILE, ExperimentReport.MIOU_CHART, ExperimentReport.PLAR_CHART, "manifest.json");
    /** The evaluated full reference, in the comparison folder and the results folder. */
    public static final String FULL_JSON = "full.json";
    /** The full reference's resolved config, next to {@link #FULL_JSON}: a kept reference is reused only for the same one. */
    public static final String FULL_CONFIG = "full-config.yaml";

    /**
     * Runs one arm: the real {@link Experiment} by default, {@link ScheduleReference} for {@code full-schedule}; tests
     * substitute a fake.
     */
    @FunctionalInterface
    public interface ArmRunner {
        void run(ComparisonArm arm, SemiactiveConfig armConfig);
    }

    /** Trains one arm's last round again under a training seed: {@link LastRoundRetraining} by default; tests substitute a fake. */
    @FunctionalInterface
    public interface RetrainRunner {
        void run(ComparisonArm arm, SemiactiveConfig armConfig, long trainingSeed);
    }

    /** Trains (or resumes, or finds finished) one seed's pretext: {@link PretextRun} by default; tests substitute a fake. */
    @FunctionalInterface
    public interface PretextRunner {
        void run(SemiactiveConfig pretextConfig, int bins, Path dir);
    }

    private static void runPretext(SemiactiveConfig c, int bins, Path dir) {
        RunReport.write(dir, PretextRun.run(c, bins, dir));
    }

    private static void runArm(ComparisonArm arm, SemiactiveConfig c) {
        if (arm == ComparisonArm.FULL_SCHEDULE) ScheduleReference.run(c);
        else Experiment.builder().setConfig(c).optCheckResume(false).build().run();   // requireSameSettings holds arms to compare's rule
    }

    /**
     * One finished experiment arm: its metrics per round, from its {@code rounds.json}, and the figures of its last round
     * trained again, by training seed ({@code retrain.json}; empty without {@code --retrain-seeds}).
     */
    public record ArmResult(ComparisonArm arm, long seed, Path dir, Map<Integer, Map<String, JsonNode>> rounds,
                            Map<Long, Map<String, JsonNode>> retrained) {
        public ArmResult(ComparisonArm arm, long seed, Path dir, Map<Integer, Map<String, JsonNode>> rounds) {
            this(arm, seed, dir, rounds, Map.of());
        }
    }

    /**
     * The full-supervision reference: mIoU of its final checkpoint on the preset's validation split.
     *
     * @param note where a kept figure comes from when its run folder is not at hand (full.json's {@code note}), or null
     */
    public record FullResult(Path checkpoint, double miou, long steps, String note) {
        public FullResult(Path checkpoint, double miou, long steps) {
            this(checkpoint, miou, steps, null);
        }

        Map<String, Object> toJson() {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("checkpoint", checkpoint.toString());
            m.put("miou", miou);
            m.put("steps", steps);
            if (note != null) m.put("note", note);
            return m;
        }

        static FullResult read(Path file) {
            try {
                JsonNode n = Json.MAPPER.readTree(file.toFile());
                if (!n.path("miou").isNumber() || !n.path("steps").isNumber() || !n.path("checkpoint").isTextual())
                    throw new IOException("needs checkpoint, miou and steps");
                return new FullResult(Path.of(n.get("checkpoint").asText()), n.get("miou").asDouble(), n.get("steps").asLong(),
                        n.path("note").isTextual() ? n.get("note").asText() : null);
            } catch (IOException e) {
                throw new SemiactiveException("cannot read " + file + ": " + e.getMessage() + " (delete it to evaluate the reference again)", e);
            }
        }
    }

    /**
     * Everything the report needs.
     *
     * @param report     the table in the run folder
     * @param keptReport its copy in {@code --results}, or null without one
     */
    public record Result(Path dir, SemiactiveConfig preset, List<ArmResult> arms, FullResult full, Path report, Path keptReport) {
    }

    private Comparison(Builder b) {
        this.configFile = Objects.requireNonNull(b.configFile, "setConfigFile");
        this.overrides = List.copyOf(b.overrides);
        this.arms = List.copyOf(b.arms);
        this.armOverrides = Map.copyOf(b.armOverrides);
        for (ComparisonArm a : armOverrides.keySet()) {
            if (!a.isExperiment() || !arms.contains(a))
                throw new ConfigException("--arm-set names method '" + a + "', which this comparison does not run: use one of "
                        + arms.stream().filter(ComparisonArm::isExperiment).map(ComparisonArm::configName).toList());
            for (String o : armOverrides.get(a)) {
                String key = o.contains("=") ? o.substring(0, o.indexOf('=')).trim() : o;
                if (ARM_KEYS.contains(key))
                    throw new ConfigException("--arm-set " + a + ":" + o + ": " + key + " is what makes the arm (or names its folder) and "
                            + "cannot be set per method; set it for every arm with --set, or choose another method");
            }
        }
        this.seedOverrides = Map.copyOf(b.seedOverrides);
        for (var e : seedOverrides.entrySet())
            for (String o : e.getValue()) {
                String key = o.contains("=") ? o.substring(0, o.indexOf('=')).trim() : o;
                if (ARM_KEYS.contains(key))
                    throw new ConfigException("--seed-set " + e.getKey() + ":" + o + ": " + key + " is what makes an arm (or names its folder) and "
                            + "cannot be set per seed");
            }
        this.seeds = List.copyOf(b.seeds);
        this.fullReference = b.fullReference;
        this.results = b.results;
        this.runner = b.runner != null ? b.runner : Comparison::runArm;
        this.pretextSteps = b.pretextSteps;
        this.pretextBins = b.pretextBins;
        this.pretextRunner = b.pretextRunner != null ? b.pretextRunner : Comparison::runPretext;
        this.reportOnly = b.reportOnly;
        this.retraining = new LastRoundRetraining.Plan(b.retrainSeeds, b.retrainSettings);
        this.reportName = ComparisonReport.requireName(b.reportName);
        List<String> settings = retraining.settings();
        this.retrainRunner = b.retrainRunner != null ? b.retrainRunner : (arm, c, t) -> LastRoundRetraining.run(arm, c, t, settings);
        if (new java.util.HashSet<>(retraining.seeds()).size() != retraining.seeds().size())
            throw new ConfigException("--retrain-seeds " + retraining.seeds() + " names a seed twice: list each training seed once");
        if (retraining.seeds().isEmpty() && !settings.isEmpty())
            throw new ConfigException("--retrain-set " + String.join(" ", settings) + " without --retrain-seeds retrains nothing: add the training seeds, e.g. --retrain-seeds 1045");
        if (pretextSteps < 0) throw new ConfigException("--pretext-steps must be 0 (no pretext) or more, got " + pretextSteps);
        if (pretextBins < 2 || pretextBins > 254) throw new ConfigException("--pretext-bins must be between 2 and 254, got " + pretextBins);
        if (pretextSteps > 0)
            seedOverrides.forEach((seed, o) -> o.forEach(s -> {
                if ((s.contains("=") ? s.substring(0, s.indexOf('=')) : s).trim().equals("model.init"))
                    throw new ConfigException("--seed-set " + seed + ":" + s + ": --pretext-steps makes each seed's model.init; "
                            + "leave out one of the two");
            }));
        if (arms.isEmpty()) throw new SemiactiveException("no methods to compare: pass --methods, e.g. random,tsf-plar");
    }

    public static Builder builder() {
        return new Builder();
    }

    public Result run() {
        SemiactiveConfig preset = ConfigLoader.load(configFile, overrides);
        Path dir = preset.run().resolvedOutputDir();
        List<Long> seedList = seeds.isEmpty() ? List.of(preset.run().seed()) : seeds;
        for (long s : seedOverrides.keySet())
            if (!seedList.contains(s))
                throw new ConfigException("--seed-set names seed " + s + ", which this comparison does not run: use one of " + seedList);
        if (!retraining.settings().isEmpty()) {
            // a bad value found now, not inside the first retraining after an arm's hour of training
            List<String> all = new ArrayList<>(overrides);
            all.addAll(retraining.settings());
            try {
                ConfigLoader.load(configFile, all);
            } catch (ConfigException e) {
                throw new ConfigException("--retrain-set " + String.join(" ", retraining.settings()) + ": " + e.getMessage(), e);
            }
        }
        for (long t : retraining.seeds())
            if (retraining.settings().isEmpty() && seedList.contains(t))
                throw new ConfigException("--retrain-seeds names " + t + ", a seed of the comparison (" + seedList + "), whose arms trained under it "
                        + "already: pick training seeds outside it, e.g. " + (1000 + seedList.get(0)));
        if (pretextSteps > 0 && preset.model().init() != null)
            throw new ConfigException("--pretext-steps makes each seed's model.init, but " + configFile + " (or --set) sets model.init="
                    + preset.model().init() + ": leave out one of the two");
        Map<Long, List<String>> seedSettings = seedSettings(dir, seedList);
        if (arms.contains(ComparisonArm.FULL) && fullReference == null)
            throw new SemiactiveException("method 'full' needs the reference: pass --full with its config (e.g. "
                    + "configs/camvid-cpu-full.yaml) or its run folder, or leave 'full' out of --methods");
        // Check every arm folder before running any: a conflict found after an hour of training is an hour lost.
        List<SemiactiveConfig> configs = new ArrayList<>();
        List<ComparisonArm> experimentArms = arms.stream().filter(ComparisonArm::isExperiment).toList();
        for (long seed : seedList)
            for (ComparisonArm arm : experimentArms) {
                SemiactiveConfig c = armConfig(preset, dir, arm, seed, seedSettings.getOrDefault(seed, List.of()));
                requireSameSettings(c);
                configs.add(c);
            }
        writeManifest(dir, preset, seedList, seedSettings);
        List<String> leftOut = new ArrayList<>();
        FullResult full = arms.contains(ComparisonArm.FULL) ? full(preset, dir) : null;
        if (arms.contains(ComparisonArm.FULL) && full == null) leftOut.add("full");
        List<ArmResult> armResults = new ArrayList<>();
        java.util.Set<Long> pretexts = new java.util.HashSet<>();
        Path report = null;
        int i = 0;
        for (long seed : seedList)
            for (ComparisonArm arm : experimentArms) {
                SemiactiveConfig c = configs.get(i++);
                Path armDir = c.run().resolvedOutputDir();
                Path kept = keptArm(c);
                if (Files.isRegularFile(armDir.resolve(Experiment.FINISHED))) {
                    LOG.info("compare: {} seed {} already finished in {}: reused", arm, seed, armDir);
                } else if (kept != null) {
                    LOG.info("compare: {} seed {} finished in {} with the same settings: reused, not run", arm, seed, kept);
                    armDir = kept;
                } else if (reportOnly) {
                    LOG.info("compare: {} seed {} not finished in {}: left out of the table (--report-only trains nothing)", arm, seed, armDir);
                    leftOut.add(arm + " seed " + seed);
                    continue;
                } else {
                    // the pretext only when an arm of its seed trains: arms finished or kept need none
                    if (pretextSteps > 0 && pretexts.add(seed)) pretext(seed, pretextDir(dir, seed));
                    LOG.info("compare: {} seed {} ({}) in {}", arm, seed, arm.describe(), armDir);
                    runner.run(arm, c);
                }
                var rounds = readRounds(armDir);
                if (results != null && !armDir.equals(kept) && Files.isRegularFile(armDir.resolve(Experiment.FINISHED)))
                    keep(armDir, rounds.keySet(), results.resolve(armDir.getFileName()));
                armResults.add(new ArmResult(arm, seed, armDir, rounds, retrained(arm, c, kept)));
                report = writeReport(dir, preset, seedList, armResults, full, seedSettings, leftOut);
            }
        if (report == null || !leftOut.isEmpty()) report = writeReport(dir, preset, seedList, armResults, full, seedSettings, leftOut);
        // writeReport copies the report into --results under the same name
        return new Result(dir, preset, armResults, full, report, results == null ? null : results.resolve(report.getFileName()));
    }

    /**
     * {@code <run folder>/manifest.json}: how this comparison was asked for (the preset as resolved, --set, the methods,
     * seeds, per-arm and per-seed settings, pretext, retraining, where results are kept), with the versions and seed of
     * any manifest; each arm, pretext and reference writes its own beside it. Not copied into --results: a kept table
     * is rewritten byte for byte, and this file's time and host would change it.
     */
    private void writeManifest(Path dir, SemiactiveConfig preset, List<Long> seedList, Map<Long, List<String>> seedSettings) {
        com.fasterxml.jackson.databind.node.ObjectNode asked = dev.semiactive.train.Json.MAPPER.createObjectNode();
        asked.put("config_file", configFile.toString());
        asked.set("preset", ConfigWriter.toTree(preset));
        asked.set("overrides", dev.semiactive.train.Json.MAPPER.valueToTree(overrides));
        asked.set("methods", dev.semiactive.train.Json.MAPPER.valueToTree(arms.stream().map(ComparisonArm::configName).toList()));
        asked.set("seeds", dev.semiactive.train.Json.MAPPER.valueToTree(seedList));
        Map<String, List<String>> perArm = new TreeMap<>();
        armOverrides.forEach((a, o) -> perArm.put(a.configName(), o));
        asked.set("arm_settings", dev.semiactive.train.Json.MAPPER.valueToTree(perArm));
        asked.set("seed_settings", dev.semiactive.train.Json.MAPPER.valueToTree(new TreeMap<>(seedSettings)));
        asked.put("pretext_steps", pretextSteps);
        asked.put("pretext_bins", pretextBins);
        asked.set("retrain_seeds", dev.semiactive.train.Json.MAPPER.valueToTree(retraining.seeds()));
        asked.set("retrain_settings", dev.semiactive.train.Json.MAPPER.valueToTree(retraining.settings()));
        asked.put("full", fullReference == null ? null : fullReference.toString());
        asked.put("results", results == null ? null : results.toString());
        asked.put("report_only", reportOnly);
        // writeAtomically makes the folder
        dev.semiactive.train.RunManifest.builder().setConfig(asked).setSeed(seedList.get(0)).build().write(dir);
    }

    /**
     * The arm's last round trained again under each of {@code --retrain-seeds}: read where the arm ran or from its kept
     * copy when done, else trained where the arm ran (and kept), unless {@code --report-only}; an arm whose run folder is
     * not here (only its kept copy) cannot be, and the report names what is missing.
     */
    private Map<Long, Map<String, JsonNode>> retrained(ComparisonArm arm, SemiactiveConfig c, Path kept) {
        Map<Long, Map<String, JsonNode>> out = new TreeMap<>();
        Path runDir = c.run().resolvedOutputDir();
        boolean here = Files.isRegularFile(runDir.resolve(Experiment.FINISHED));
        List<String> settings = retraining.settings();
        for (long t : retraining.seeds()) {
            // where the arm ran, only its own retrainings count (a kept copy's may be of an earlier run of the arm)
            var done = here ? LastRoundRetraining.read(runDir, t, settings)
                    : kept != null ? LastRoundRetraining.read(kept, t, settings) : java.util.Optional.<Map<String, JsonNode>>empty();
            if (done.isEmpty() && here && !reportOnly) {
                retrainRunner.run(arm, c, t);
                done = LastRoundRetraining.read(runDir, t, settings);
            }
            // kept whenever it is done here, also when an earlier comparison without --results trained it
            if (here && results != null && done.isPresent())   // where the arm ran, done came from its own folder
                keepRetraining(runDir, t, settings, results.resolve(runDir.getFileName()));
            if (done.isPresent()) out.put(t, done.get());
            else LOG.info("compare: {} seed {}: last round not trained again under training seed {} ({})", arm, c.run().seed(), t,
                    reportOnly ? "--report-only trains nothing" : "its models are not in " + runDir);
        }
        return out;
    }

    /** Copies a finished retraining's figures and training log into the results folder's copy of the arm. */
    private static void keepRetraining(Path armDir, long trainingSeed, List<String> settings, Path target) {
        Path from = LastRoundRetraining.runDir(armDir, LastRoundRetraining.retrainedRound(armDir), trainingSeed, settings);
        Path to = target.resolve(armDir.relativize(from));
        for (String f : List.of(LastRoundRetraining.FILE, MetricsLog.FILE))
            if (Files.isRegularFile(from.resolve(f))) copy(from.resolve(f), to.resolve(f));
    }

    /** The table in the comparison folder, and a copy in the results folder. */
    private Path writeReport(Path dir, SemiactiveConfig preset, List<Long> seeds, List<ArmResult> arms, FullResult full,
                             Map<Long, List<String>> seedSettings, List<String> leftOut) {
        Path report = ComparisonReport.write(dir, preset, seeds, arms, full, armOverrides, seedSettings, leftOut, retraining, reportName);
        if (results != null)
            for (String f : ComparisonReport.files(reportName))
                copy(dir.resolve(f), results.resolve(f));
        return report;
    }

    /**
     * The results folder's copy of this arm when it is finished and was made with the same settings (all but
     * {@code run.name} and {@code run.output_dir}, which name where it ran); null otherwise (a kept arm with other
     * settings is rerun and then replaced).
     */
    private Path keptArm(SemiactiveConfig c) {
        if (results == null) return null;
        Path kept = results.resolve(c.run().resolvedOutputDir().getFileName());
        if (!Files.isRegularFile(kept.resolve(Experiment.FINISHED)) || !Files.isRegularFile(kept.resolve("config.yaml"))) return null;
        List<String> diff = settingsDiff(kept.resolve("config.yaml"), c);
        if (diff.isEmpty()) return kept;
        LOG.warn("compare: {} was made with other settings ({}): running the arm again, its result will replace that one", kept,
                String.join(", ", diff.subList(0, Math.min(3, diff.size()))));
        return null;
    }

    /** Copies a finished arm's small files (KEPT_ARM_FILES, and each round's training metrics) into the results folder. */
    private static void keep(Path armDir, java.util.Set<Integer> rounds, Path target) {
        for (String f : KEPT_ARM_FILES) {
            Path from = armDir.resolve(f);
            if (Files.isRegularFile(from)) copy(from, target.resolve(f));
        }
        for (int round : rounds) {
            Path metrics = roundMetrics(armDir, round);
            if (Files.isRegularFile(metrics)) copy(metrics, roundMetrics(target, round));
        }
    }

    /** A round's training log ({@code rounds/round-NN/metrics.jsonl}; absent for round 0, which trains nothing). */
    static Path roundMetrics(Path armDir, int round) {
        return ActiveLearningLoop.roundDir(armDir, round).resolve(MetricsLog.FILE);
    }

    private static void copy(Path from, Path to) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(from);
        } catch (IOException e) {
            throw new SemiactiveException("cannot read " + from + ": " + e.getMessage(), e);
        }
        Json.writeAtomically(to, out -> out.write(bytes));
    }

    /**
     * Each seed's own settings: its {@code --seed-set} ones, after {@code model.init} at the seed's pretext when
     * {@code --pretext-steps} asks for one (each seed its own, so seeds stay independent samples).
     */
    private Map<Long, List<String>> seedSettings(Path dir, List<Long> seedList) {
        if (pretextSteps == 0) return seedOverrides;
        Map<Long, List<String>> all = new java.util.LinkedHashMap<>();
        for (long seed : seedList) {
            List<String> o = new ArrayList<>();
            o.add("model.init=" + pretextDir(dir, seed));
            o.addAll(seedOverrides.getOrDefault(seed, List.of()));
            all.put(seed, o);
        }
        return all;
    }

    /**
     * A seed's pretext folder in the comparison's: named by its steps and bins, so that another pretext is another
     * {@code model.init} (and arms made on one are never reused for the other).
     */
    Path pretextDir(Path dir, long seed) {
        return dir.resolve("pretext-" + pretextSteps + "steps-" + pretextBins + "bins-s" + seed);
    }

    /**
     * Trains the seed's pretext (resumed when killed; a finished one only loads) with the preset's data, model and
     * schedule, the seed's own settings and the pretext's steps, and keeps its small files in the results folder.
     */
    private void pretext(long seed, Path pretextDir) {
        List<String> all = new ArrayList<>(overrides);
        all.addAll(seedOverrides.getOrDefault(seed, List.of()));
        all.add("run.seed=" + seed);
        all.add("train.steps=" + pretextSteps);
        LOG.info("compare: colourization pretext of seed {} ({} steps, {} bins) in {}", seed, pretextSteps, pretextBins, pretextDir);
        pretextRunner.run(ConfigLoader.load(configFile, all), pretextBins, pretextDir);
        if (results != null)
            for (String f : KEPT_PRETEXT_FILES) {
                Path from = pretextDir.resolve(f);
                if (Files.isRegularFile(from)) copy(from, results.resolve(pretextDir.getFileName()).resolve(f));
            }
    }

    /** The preset with the arm's two settings, its method's and its seed's own settings, the seed and the arm's own folder. */
    private SemiactiveConfig armConfig(SemiactiveConfig preset, Path dir, ComparisonArm arm, long seed, List<String> seedSettings) {
        String folder = arm.configName() + "-s" + seed;
        List<String> all = new ArrayList<>(overrides);
        all.addAll(arm.overrides());
        all.addAll(armOverrides.getOrDefault(arm, List.of()));
        all.addAll(seedSettings);
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
        List<String> diff = settingsDiff(saved, c);
        if (!diff.isEmpty())
            throw new SemiactiveException(dir + " was run with other settings (" + String.join(", ", diff.subList(0, Math.min(3, diff.size())))
                    + "): delete that folder to rerun the arm, or give the comparison another run.name");
    }

    /**
     * The settings that differ between a saved config and {@code c}, as "key old -> new", leaving out
     * {@code run.name} and {@code run.output_dir}: they say where a run was made, not how.
     */
    static List<String> settingsDiff(Path saved, SemiactiveConfig c) {
        SemiactiveConfig savedConfig = ConfigLoader.loadSaved(saved);
        List<String> diff = new ArrayList<>(ConfigWriter.differences(savedConfig, c));
        diff.removeIf(d -> d.startsWith("run.name ") || d.startsWith("run.output_dir "));
        if (sameStartInItsComparison(savedConfig, c)) diff.removeIf(d -> d.startsWith("model.init "));
        if (c.train().method() == TrainingMethod.SUPERVISED && !ActiveLearningLoop.usesPlar(c))
            diff.removeIf(Comparison::unusedBySupervisedArms);
        return diff;
    }

    /**
     * Whether both arms start from the same folder of their own comparison's run folder (a {@code --pretext-steps}
     * pretext, whose name holds its steps, bins and seed; the rest of what makes it is the arm's compared settings):
     * then the arm on another machine, or under another run folder, is made the same way.
     */
    private static boolean sameStartInItsComparison(SemiactiveConfig a, SemiactiveConfig b) {
        Path initA = a.model().init(), initB = b.model().init();
        if (initA == null || initB == null) return false;
        Path dirA = a.run().resolvedOutputDir().toAbsolutePath().normalize().getParent();
        Path dirB = b.run().resolvedOutputDir().toAbsolutePath().normalize().getParent();
        Path relA = initA.toAbsolutePath().normalize(), relB = initB.toAbsolutePath().normalize();
        return dirA != null && dirB != null && relA.startsWith(dirA) && relB.startsWith(dirB)
                && dirA.relativize(relA).equals(dirB.relativize(relB));
    }

    /**
     * Settings a supervised arm without PLAR never reads: the semi-supervised weights, the EMD and PLAR. So
     * tuning tsf-plar in the preset does not rerun random, entropy and coreset. {@code tsf.threshold} stays:
     * pool scoring's error-mask diagnostics use it in every arm.
     */
    static boolean unusedBySupervisedArms(String difference) {
        return (difference.startsWith("tsf.") && !difference.startsWith("tsf.threshold ")) || difference.startsWith("plar.");
    }

    /**
     * The reference: trained (or resumed) from its config when not finished, then evaluated on the preset's val split;
     * with {@code --report-only} an unfinished one that is not kept is null (left out).
     */
    private FullResult full(SemiactiveConfig preset, Path dir) {
        Path runDir = fullReference;
        SemiactiveConfig fullConfig = null;
        if (Files.isRegularFile(fullReference)) {
            fullConfig = ConfigLoader.load(fullReference, List.of());
            runDir = fullConfig.run().resolvedOutputDir();
            FullResult kept = keptFull(fullConfig);
            boolean finished = finished(runDir, fullConfig.train().steps());
            if (!finished && kept != null) {
                LOG.info("compare: full reference kept in {} ({} steps, val mIoU {}): reused, not trained", results,
                        kept.steps(), String.format("%.2f%%", 100 * kept.miou()));
                saveFull(dir, kept, fullConfig);
                return kept;
            }
            if (!finished && reportOnly) {
                LOG.info("compare: the full reference {} is not finished: left out of the table (--report-only trains nothing)", fullReference);
                return null;
            }
            if (!finished) {
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
        FullResult result = new FullResult(checkpoint, eval.matrix().meanIoU(), steps);
        saveFull(dir, result, fullConfig);
        return result;
    }

    /** The results folder's reference when it was made from the same config (but where it ran); else null. */
    private FullResult keptFull(SemiactiveConfig fullConfig) {
        if (results == null || !Files.isRegularFile(results.resolve(FULL_JSON)) || !Files.isRegularFile(results.resolve(FULL_CONFIG)))
            return null;
        List<String> diff = settingsDiff(results.resolve(FULL_CONFIG), fullConfig);
        if (diff.isEmpty()) return FullResult.read(results.resolve(FULL_JSON));
        LOG.warn("compare: the full reference kept in {} was made with other settings ({}): not used", results,
                String.join(", ", diff.subList(0, Math.min(3, diff.size()))));
        return null;
    }

    /** full.json (and, when the reference came from a config, full-config.yaml) in the comparison and results folders. */
    private void saveFull(Path dir, FullResult full, SemiactiveConfig fullConfig) {
        for (Path to : results == null ? List.of(dir) : List.of(dir, results)) {
            Json.writeAtomically(to.resolve(FULL_JSON), full.toJson());
            if (fullConfig != null) ConfigWriter.writeYaml(fullConfig, to.resolve(FULL_CONFIG));
        }
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
        private Map<ComparisonArm, List<String>> armOverrides = Map.of();
        private Map<Long, List<String>> seedOverrides = Map.of();
        private List<Long> seeds = List.of();
        private Path fullReference;
        private Path results;
        private ArmRunner runner;
        private int pretextSteps;
        private int pretextBins = 16;
        private PretextRunner pretextRunner;
        private boolean reportOnly;
        private List<Long> retrainSeeds = List.of();
        private List<String> retrainSettings = List.of();
        private RetrainRunner retrainRunner;
        private String reportName = ComparisonReport.DEFAULT_NAME;

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

        /**
         * {@code key=value} overrides of one method's experiment only, e.g. s4al's consistency weight when the preset
         * switches the shared {@code tsf.lambda_ts} off. The arm's kept result is reused only with the same ones.
         */
        public Builder optArmOverrides(Map<ComparisonArm, List<String>> overrides) {
            this.armOverrides = overrides;
            return this;
        }

        /**
         * {@code key=value} overrides of one seed's arms only (after the method's own), e.g. each seed's own pretext as
         * {@code model.init}, so that seeds stay independent. The arm's kept result is reused only with the same ones.
         */
        public Builder optSeedOverrides(Map<Long, List<String>> overrides) {
            this.seedOverrides = overrides;
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

        /**
         * Kept results: arms (and the full reference) finished there with the same settings are reused, not
         * run; what this comparison finishes is copied there (small files only). Default: none.
         */
        public Builder optResults(Path dir) {
            this.results = dir;
            return this;
        }

        public Builder optRunner(ArmRunner runner) {
            this.runner = runner;
            return this;
        }

        /**
         * Each seed's own colourization pretext of {@code steps} steps and {@code bins} colour bins ({@code semiactive
         * pretrain}), trained in the comparison folder before that seed's first arm that trains, and every arm of the
         * seed started from it ({@code model.init}). Default: none (steps 0).
         */
        public Builder optPretext(int steps, int bins) {
            this.pretextSteps = steps;
            this.pretextBins = bins;
            return this;
        }

        public Builder optPretextRunner(PretextRunner runner) {
            this.pretextRunner = runner;
            return this;
        }

        /**
         * Writes the table from the arms (and full reference) already finished, in the run folder or kept, and trains
         * nothing: no arm, pretext or reference. Arms not finished are left out and named in the report's header. For
         * reading the table while other arms of the comparison still run. Default: false.
         */
        public Builder optReportOnly(boolean reportOnly) {
            this.reportOnly = reportOnly;
            return this;
        }

        /**
         * Training seeds under which every finished arm's last round is trained again ({@link LastRoundRetraining}), where
         * the arm ran; the report adds each arm's mean over its trainings and the gaps on those means. Default: none.
         */
        public Builder optRetrainSeeds(List<Long> seeds) {
            this.retrainSeeds = seeds;
            return this;
        }

        /**
         * Settings of the round's training ({@code train.*}, {@code tsf.*}, {@code augment.*}) that the retrainings change
         * besides the seed, e.g. {@code train.steps=500}: each set has its own folders, and the report's means leave the
         * arm's own training (made under its settings) out. Default: none.
         */
        public Builder optRetrainSettings(List<String> settings) {
            this.retrainSettings = settings;
            return this;
        }

        /**
         * The report's name: its files are NAME.md, NAME.png and NAME.json, in the run folder and the results folder.
         * A table of a subset (a screen of one seed, a retraining under other settings) gets a name of its own, so that
         * it does not replace the full table kept beside the same arms. Default: {@code comparison}.
         */
        public Builder optReportName(String name) {
            this.reportName = name;
            return this;
        }

        public Builder optRetrainRunner(RetrainRunner runner) {
            this.retrainRunner = runner;
            return this;
        }

        public Comparison build() {
            return new Comparison(this);
        }
    }
}
