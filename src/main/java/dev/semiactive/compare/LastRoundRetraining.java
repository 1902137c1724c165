package dev.semiactive.compare;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semiactive.SemiactiveException;
import dev.semiactive.config.ConfigException;
import dev.semiactive.config.ConfigLoader;
import dev.semiactive.config.ConfigWriter;
import dev.semiactive.config.SemiactiveConfig;
import dev.semiactive.data.SegmentationDataset;
import dev.semiactive.loop.ActiveLearningLoop;
import dev.semiactive.loop.Experiment;
import dev.semiactive.loop.ExperimentReport;
import dev.semiactive.loop.LabelledPool;
import dev.semiactive.pipeline.Components;
import dev.semiactive.pipeline.TrainingRun;
import dev.semiactive.store.ProjectStore;
import dev.semiactive.train.Checkpoint;
import dev.semiactive.train.Json;
import dev.semiactive.train.RunManifest;
import dev.semiactive.train.TrainingResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A finished arm's last round trained again under another training seed ({@code compare --retrain-seeds}): the same
 * start (round R-1's model, or {@code model.init} when R is 1), the same labels and PLAR refinements, the same steps;
 * only {@code run.seed} changes, and with it the order of the batches and the augmentations. The arm's own figure is
 * one draw of that training's luck; a few more draws say how much of a gap between two arms is the label sets and how
 * much the one training each got. The arm's folder is only read: the training goes to
 * {@code <arm>/retrain/round-RR-t<seed>/}, its figures to {@code retrain.json} there (resumable like any run: a killed
 * one resumes from its checkpoint, a finished one is not trained again).
 *
 * <p>It needs the arm's models and store, so it runs where the arm ran: a kept copy in a results folder holds neither,
 * only the figures of the retrainings done.
 */
public final class LastRoundRetraining {
    private static final Logger LOG = LoggerFactory.getLogger(LastRoundRetraining.class);
    /** The folder, in an arm's, of its retrainings. */
    public static final String DIR = "retrain";
    /** A retraining's figures, in its folder: written last, so its presence marks the retraining finished. */
    public static final String FILE = "retrain.json";

    private LastRoundRetraining() {
    }

    /**
     * What a comparison retrains: the training seeds, and settings of the round's training to change with them
     * ({@code --retrain-set}, e.g. {@code train.steps=500}; none = the arm's own settings, only the seed changes).
     */
    public record Plan(List<Long> seeds, List<String> settings) {
        public static final Plan NONE = new Plan(List.of(), List.of());

        public Plan {
            seeds = List.copyOf(seeds);
            settings = requireTrainingSettings(settings);
        }
    }

    /** The setting sections a retraining may change: the round's training only (not its data, labels, model or the arm's name). */
    static final List<String> TRAINING_SECTIONS = List.of("train.", "tsf.", "augment.");

    /**
     * {@code settings}, trimmed and sorted by key, each {@code KEY=VALUE} of the round's training ({@link #TRAINING_SECTIONS})
     * and each key once, else a ConfigException. Sorted, because the same settings in another order are the same training
     * and must find the same folder ({@link #runDir}); each key once, because sorted, a key given twice would no longer
     * say which value wins.
     */
    static List<String> requireTrainingSettings(List<String> settings) {
        java.util.TreeMap<String, String> out = new java.util.TreeMap<>();
        for (String raw : settings) {
            String setting = raw.trim();
            int eq = setting.indexOf('=');
            String key = eq <= 0 ? "" : setting.substring(0, eq).trim();
            if (eq <= 0 || TRAINING_SECTIONS.stream().noneMatch(key::startsWith) || key.equals("train.method"))
                throw new ConfigException("--retrain-set '" + raw + "': a retraining changes only the round's training, as KEY=VALUE with a key of "
                        + String.join(" ", TRAINING_SECTIONS.stream().map(k -> k + "*").toList()) + " (not train.method), e.g. train.steps=500");
            String value = setting.substring(eq + 1).trim();
            if (out.containsKey(key))
                throw new ConfigException("--retrain-set " + key + " is given twice (" + key + "=" + out.get(key) + ", " + key + "=" + value
                        + "): give each setting once");
            out.put(key, value);
        }
        return out.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    /** The arm's config with {@code settings} applied as --set applies them; a bad value is named as the --retrain-set the user gave. */
    private static SemiactiveConfig changedConfig(SemiactiveConfig armConfig, Path armDir, List<String> settings) {
        try {
            return ConfigLoader.parse(ConfigWriter.toYaml(armConfig), armDir.resolve("config.yaml").toString(), settings);
        } catch (ConfigException e) {
            String m = e.getMessage();
            throw m != null && m.startsWith("--set ") ? new ConfigException("--retrain-set " + m.substring("--set ".length()), e) : e;
        }
    }

    /** {@code <armDir>/retrain/round-RR-t<seed>}: the training run of round R under training seed {@code trainingSeed}. */
    public static Path runDir(Path armDir, int round, long trainingSeed) {
        return runDir(armDir, round, trainingSeed, List.of());
    }

    /**
     * As above, with changed settings: {@code round-RR-t<seed>-<tag>}, the tag the first 8 hex digits of the settings'
     * SHA-256, so that each set of settings has its own folder (the settings themselves are in its retrain.json).
     */
    public static Path runDir(Path armDir, int round, long trainingSeed, List<String> settings) {
        String name = String.format("round-%02d-t%d", round, trainingSeed);
        if (!settings.isEmpty()) name += "-" + tag(requireTrainingSettings(settings));   // " train.steps = 9" names train.steps=9's folder
        return armDir.resolve(DIR).resolve(name);
    }

    private static String tag(List<String> settings) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(String.join("\n", settings).getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest).substring(0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The round a finished arm's retrainings train: the one whose model is the arm's figure at its highest budget
     * ({@link ComparisonReport#roundPerBudget}), which is its last round, except in experiments from before 2026-12-03
     * that topped up a few pixels in one more round (the table's figure stays the round before it).
     */
    static int retrainedRound(Path armDir) {
        if (!Files.isRegularFile(armDir.resolve(Experiment.FINISHED)))
            throw new SemiactiveException(armDir + " is not finished (no " + Experiment.FINISHED + "): finish the arm before training its last round again");
        var perBudget = ComparisonReport.roundPerBudget(new Comparison.ArmResult(null, 0, armDir, Comparison.readRounds(armDir)));
        if (perBudget.isEmpty())
            throw new SemiactiveException(armDir.resolve(ExperimentReport.ROUNDS_JSON) + " has no evaluated round to train again: rerun the arm");
        return perBudget.lastEntry().getValue();
    }

    /**
     * Which run of the arm a retraining belongs to: its {@code finished.json}'s {@code finished_at} (empty when it has
     * none). An arm run again, and kept again, has another one, so the retrainings of the run before are not read as its.
     */
    static String finishedAt(Path armDir) {
        Path file = armDir.resolve(Experiment.FINISHED);
        try {
            return Json.MAPPER.readTree(file.toFile()).path("finished_at").asText("");
        } catch (IOException e) {
            throw new SemiactiveException("cannot read " + file + ": " + e.getMessage() + " (rerun the arm to rewrite it)", e);
        }
    }

    /**
     * Refuses a retraining whose labels are not those the arm's round trained on (its manifest's label-set hash): a
     * store changed since, or a copy from elsewhere, would score other labels under the arm's name.
     */
    private static void requireSameLabels(Path armDir, int round, String labelSet) {
        Path roundDir = ActiveLearningLoop.roundDir(armDir, round);
        String trained = RunManifest.readIfPresent(roundDir).map(RunManifest::labelSetHash).orElse(null);
        if (trained == null)
            throw new SemiactiveException(roundDir.resolve(RunManifest.FILE) + " is missing or has no label-set hash, so what round " + round
                    + " trained on cannot be checked: restore the round's folder, or run the arm again");
        if (!trained.equals(labelSet))
            throw new SemiactiveException(armDir + " now holds label set " + labelSet + " up to round " + (round - 1) + " but its round " + round
                    + " trained on " + trained + " (" + roundDir.resolve(RunManifest.FILE) + "): its store changed since; run the arm again");
    }

    /** The figures of the arm's last round trained under {@code trainingSeed}, when that retraining is finished there. */
    public static Optional<Map<String, JsonNode>> read(Path armDir, long trainingSeed) {
        return read(armDir, trainingSeed, List.of());
    }

    /** As above, under changed settings. */
    public static Optional<Map<String, JsonNode>> read(Path armDir, long trainingSeed, List<String> settings) {
        if (!Files.isRegularFile(armDir.resolve(Experiment.FINISHED))) return Optional.empty();
        int round = retrainedRound(armDir);
        Path file = runDir(armDir, round, trainingSeed, settings).resolve(FILE);
        if (!Files.isRegularFile(file)) return Optional.empty();
        Map<String, JsonNode> m = new TreeMap<>();
        try {
            Json.MAPPER.readTree(file.toFile()).fields().forEachRemaining(f -> m.put(f.getKey(), f.getValue()));
            if (!m.containsKey("mIoU") || !m.get("mIoU").isNumber() || !m.containsKey("round") || m.get("round").asInt() != round)
                throw new IOException("needs the mIoU of round " + round);
        } catch (IOException e) {
            throw new SemiactiveException("cannot read " + file + ": " + e.getMessage() + " (delete it; where the arm ran, the comparison trains it again)", e);
        }
        String madeFor = m.containsKey("arm_finished_at") ? m.get("arm_finished_at").asText() : null;
        if (!finishedAt(armDir).equals(madeFor)) {
            LOG.warn("compare: {} was made for a run of {} that finished at {}, not this one ({}): not read", file, armDir, madeFor,
                    finishedAt(armDir));
            return Optional.empty();
        }
        return Optional.of(m);
    }

    /**
     * Trains the last round of the finished arm in {@code armConfig}'s {@code run.output_dir} again under
     * {@code trainingSeed}, unless that is done already; writes its figures to {@code retrain.json}.
     *
     * @param armConfig the config the arm was made with (its data are opened with its own seed: a synthetic pool is
     *                  drawn from it)
     */
    public static void run(ComparisonArm arm, SemiactiveConfig armConfig, long trainingSeed) {
        run(arm, armConfig, trainingSeed, List.of());
    }

    /**
     * As above, with {@code settings} of the round's training changed too ({@link Plan#settings}): then the arm's own seed
     * is allowed (the same batches under other settings).
     */
    public static void run(ComparisonArm arm, SemiactiveConfig armConfig, long trainingSeed, List<String> settings) {
        Path armDir = armConfig.run().resolvedOutputDir();
        long armSeed = armConfig.run().seed();
        settings = requireTrainingSettings(settings);
        if (trainingSeed == armSeed && settings.isEmpty())
            throw new SemiactiveException("training seed " + trainingSeed + " is " + armDir + "'s own seed: its last round already trained "
                    + "under it; pick another seed");
        int round = retrainedRound(armDir);
        if (read(armDir, trainingSeed, settings).isPresent()) return;
        Path out = runDir(armDir, round, trainingSeed, settings);
        // the arm's config as it was made, with the changed settings applied the way --set applies them
        SemiactiveConfig changed = settings.isEmpty() ? armConfig : changedConfig(armConfig, armDir, settings);
        SemiactiveConfig config = changed.withSeed(trainingSeed).withOutputDir(out);
        LOG.info("compare: {} seed {}: round {} trained again under training seed {}{} in {}", arm, armSeed, round, trainingSeed,
                settings.isEmpty() ? "" : " and " + String.join(", ", settings), out);
        TrainingResult result;
        SegmentationDataset validation;
        String labelSet;
        if (arm == ComparisonArm.FULL_SCHEDULE) {
            TrainingRun.RunData data = ScheduleReference.data(armConfig);
            validation = data.validation();
            labelSet = TrainingRun.hashIds(data.labelled().ids());
            requireSameLabels(armDir, round, labelSet);
            result = ScheduleReference.trainRound(config, data, labelSet, armDir, round, out);
        } else {
            Path storeFile = armDir.resolve(Experiment.STORE);
            if (!Files.isRegularFile(storeFile))
                throw new SemiactiveException(armDir + " has no " + Experiment.STORE + " (a kept copy holds no store or models): train its last "
                        + "round again where the arm ran, or run the arm again here");
            var data = armConfig.data();
            SegmentationDataset pool = Components.open(data, data.trainSplit(), armSeed, true);
            validation = data.valSplit() == null ? null : Components.open(data, data.valSplit(), armSeed, true);
            if (validation == null)
                throw new SemiactiveException(armDir + " has no data.val_split: a retraining is scored on it, as the arm's rounds are");
            try (ProjectStore store = ProjectStore.open(storeFile)) {
                LabelledPool.register(store, pool);
                LabelledPool labelled = new LabelledPool(pool, store);
                labelSet = TrainingRun.hashIds(labelled.labelledRegionIds(round - 1));
                requireSameLabels(armDir, round, labelSet);
                result = ActiveLearningLoop.trainRound(config, labelled, validation, armDir, round, out);
            }
        }
        Map<String, Object> figures = ActiveLearningLoop.finalValidation(result, config.train().steps()).map(ActiveLearningLoop::metrics)
                .orElseGet(() -> ActiveLearningLoop.validate(Checkpoint.locate(Checkpoint.directory(out, Checkpoint.LATEST))
                        .orElseThrow(() -> new IllegalStateException("no model at " + out)), validation, config.train().batchSize()));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("round", round);
        json.put("arm_finished_at", finishedAt(armDir));
        json.put("arm_seed", armSeed);
        json.put("training_seed", trainingSeed);
        json.put("label_set_hash", labelSet);
        json.put("settings", settings);
        json.putAll(figures);
        json.put("finished_at", Instant.now().toString());
        Json.writeAtomically(out.resolve(FILE), json);
        LOG.info("compare: {} seed {}: round {} under training seed {}: val mIoU {}", arm, armSeed, round, trainingSeed,
                String.format("%.2f%%", 100 * ((Number) figures.get("mIoU")).doubleValue()));
    }
}
