package dev.semiactive.compare;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semiactive.SemiactiveException;
import dev.semiactive.config.AlConfig;
import dev.semiactive.config.ConfigWriter;
import dev.semiactive.config.SemiactiveConfig;
import dev.semiactive.config.TrainingMethod;
import dev.semiactive.data.SegmentationDataset;
import dev.semiactive.loop.ActiveLearningLoop;
import dev.semiactive.loop.Experiment;
import dev.semiactive.loop.ExperimentReport;
import dev.semiactive.pipeline.Components;
import dev.semiactive.pipeline.RunReport;
import dev.semiactive.pipeline.TrainingRun;
import dev.semiactive.train.Checkpoint;
import dev.semiactive.train.Json;
import dev.semiactive.train.RunManifest;
import dev.semiactive.train.TrainingResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The full-supervision reference under the arms' own schedule, method {@code full-schedule}: SPEC "Benchmarks"
 * defines full as "the same model and schedule trained on 100% of the labels". Every pool pixel is labelled from
 * the start; then the rounds an experiment arm trains run unchanged: {@code train.steps} steps each, warm-started
 * from the round before (a new poly schedule per round), each round's model evaluated on the validation split
 * as the arms' are. Its round r stands beside the arms' round r, which trained the same steps on
 * {@link #schedulePercents the r-th budget}; rounds.json records that budget as {@code schedule_percent} (and the 100%
 * it really trained on as {@code train_labelled_percent}). Without it, "% of full" compares an arm's few hundred steps
 * with a reference trained for thousands, and mixes the cost of labels with the cost of training.
 *
 * <p>Same folder layout as an experiment arm ({@code config.yaml}, {@code rounds/round-NN/}, {@code rounds.json},
 * {@code manifest.json}, {@code report.md}, {@code finished.json} at the end), so the comparison keeps and reuses it
 * the same way. Resumable: a round recorded in rounds.json is not trained again; a killed round resumes from its
 * checkpoint.
 */
public final class ScheduleReference {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduleReference.class);
    /** The arms' budget (percent of pool pixels) that a reference round's schedule stands beside. */
    public static final String SCHEDULE_PERCENT = "schedule_percent";

    private ScheduleReference() {
    }

    /**
     * The share of pool pixels (percent) each training round of an experiment with these settings trains on:
     * element r-1 for round r. Round r trains on the labels of rounds before it: {@code initial_fraction} plus
     * {@code r-1} rounds of {@code round_fraction}, up to {@code budget}; the round that reaches the budget is the last
     * (it selects nothing), or round {@code al.rounds} when that comes first.
     */
    public static List<Double> schedulePercents(AlConfig al) {
        List<Double> out = new ArrayList<>();
        int maxRounds = al.rounds() == null ? Integer.MAX_VALUE : al.rounds();
        for (int r = 1; r <= maxRounds; r++) {
            double f = Math.min(al.budget(), al.initialFraction() + (r - 1) * al.roundFraction());
            out.add(Math.round(1e6 * 100 * f) / 1e6);   // 6.0, not 6.000000000000001, in rounds.json
            // the round that reaches the budget selects nothing more, and nor does one that can add nothing
            if (f >= al.budget() - 1e-12 || al.roundFraction() <= 0) break;
        }
        return out;
    }

    /** Runs (or resumes) the reference in {@code run.output_dir}; returns its rounds.json. */
    public static Path run(SemiactiveConfig config) {
        if (config.train().method() != TrainingMethod.SUPERVISED)
            throw new SemiactiveException("the full-schedule reference trains supervised on every label, but train.method is "
                    + config.train().method() + ": set train.method=supervised");
        if (config.data().valSplit() == null)
            throw new SemiactiveException("the full-schedule reference is evaluated on data.val_split, which is not set: set data.val_split");
        if (config.data().labelFraction() != 1.0)
            throw new SemiactiveException("data.label_fraction is " + config.data().labelFraction() + " but the full-schedule reference "
                    + "trains on every label: remove data.label_fraction");
        List<Double> schedule = schedulePercents(config.al());
        if (schedule.isEmpty())
            throw new SemiactiveException("al.rounds is 0, so the arms train nothing and the full-schedule reference has no round to match: "
                    + "set al.rounds >= 1 or remove it");
        Path dir = config.run().resolvedOutputDir();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new SemiactiveException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        ConfigWriter.writeYaml(config, dir.resolve("config.yaml"));
        // the training loop validates its last step, as in the arms' rounds: those are the round's figures
        TrainingRun.RunData runData = data(config);
        SegmentationDataset pool = runData.labelled();
        SegmentationDataset validation = runData.validation();
        String labelSet = TrainingRun.hashIds(pool.ids());
        Map<Integer, Map<String, Object>> rounds = readRounds(dir);
        int batch = config.train().batchSize();
        for (int r = 1; r <= schedule.size(); r++) {
            if (rounds.containsKey(r)) continue;
            Path runDir = ActiveLearningLoop.roundDir(dir, r);
            LOG.info("full-schedule: round {} of {}: {} steps on every label of {} (the arms' {}% round)", r, schedule.size(),
                    config.train().steps(), pool.describe(), String.format(Locale.ROOT, "%.1f", schedule.get(r - 1)));
            TrainingResult result = trainRound(config, runData, labelSet, dir, r, runDir);
            Path model = Checkpoint.locate(ActiveLearningLoop.checkpoint(dir, r)).orElseThrow(() -> new IllegalStateException(
                    "round has no model at " + runDir));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(SCHEDULE_PERCENT, schedule.get(r - 1));
            m.put("train_labelled_percent", 100.0);
            m.put("train_steps", (long) r * config.train().steps());
            // the training's own last-step validation when it ran one, else the checkpoint's (a resumed round)
            m.putAll(ActiveLearningLoop.finalValidation(result, config.train().steps()).map(ActiveLearningLoop::metrics)
                    .orElseGet(() -> ActiveLearningLoop.validate(model, validation, batch)));
            rounds.put(r, m);
            write(dir, config, pool, rounds, labelSet);
            LOG.info("full-schedule: round {}: val mIoU {}%", r, percent(m.get("mIoU")));
        }
        write(dir, config, pool, rounds, labelSet);
        int last = schedule.size();
        Map<String, Object> finished = new LinkedHashMap<>();
        finished.put("last_round", last);
        finished.put("final_miou", rounds.get(last).get("mIoU"));
        finished.put("train_labelled_percent", 100.0);
        finished.put("finished_at", Instant.now().toString());
        Json.writeAtomically(dir.resolve(Experiment.FINISHED), finished);
        return dir.resolve(ExperimentReport.ROUNDS_JSON);
    }

    /**
     * Trains round r of the reference in {@code dir} into {@code runDir}: every label, from round r-1's model (round 1:
     * {@code model.init} or the seeded initialisation). {@code runDir} is the round's own folder, or another one, under
     * a config with another {@code run.seed}, to train the same round again (the comparison's last-round retraining).
     */
    static TrainingResult trainRound(SemiactiveConfig config, TrainingRun.RunData data, String labelSet, Path dir, int round, Path runDir) {
        Path initial = round > 1 ? previousModel(dir, round - 1) : null;
        TrainingResult result = TrainingRun.run(config, data, runDir, initial, round, labelSet);
        RunReport.write(runDir, result);
        return result;
    }

    /** The reference's data: every pool image with its mask, and the validation split, opened with the run's seed. */
    static TrainingRun.RunData data(SemiactiveConfig config) {
        var data = config.data();
        long seed = config.run().seed();
        return new TrainingRun.RunData(Components.open(data, data.trainSplit(), seed, true), null,
                Components.open(data, data.valSplit(), seed, true));
    }

    /** The model a round warm-starts from: the round before it must have left one. */
    private static Path previousModel(Path dir, int round) {
        Path at = ActiveLearningLoop.checkpoint(dir, round);
        return Checkpoint.locate(at).orElseThrow(() -> new SemiactiveException(dir + " has round " + round + " recorded but no model at "
                + at + ": delete " + dir + " to run the reference again"));
    }

    /** rounds.json, manifest.json and a short report.md, after every round. */
    private static void write(Path dir, SemiactiveConfig config, SegmentationDataset pool, Map<Integer, Map<String, Object>> rounds,
                              String labelSet) {
        Map<String, Object> json = new LinkedHashMap<>();
        rounds.forEach((r, m) -> json.put(Integer.toString(r), m));
        Json.writeAtomically(dir.resolve(ExperimentReport.ROUNDS_JSON), json);
        RunManifest.builder().setConfig(ConfigWriter.toTree(config)).setSeed(config.run().seed()).optDataset(pool)
                .optRound(rounds.keySet().stream().max(Integer::compare).orElse(null)).optLabelSetHash(labelSet)
                .optInit(config.model().init(), dir).build().write(dir);
        StringBuilder md = new StringBuilder("# Full supervision under the arms' schedule: ").append(config.run().name()).append("\n\n");
        md.append(String.format(Locale.ROOT, "- every label of %s; %d steps a round, batch %d, warm start from the round before%n",
                pool.describe(), config.train().steps(), config.train().batchSize()));
        md.append("- round r trains the steps an arm's round r trains on the budget in the second column\n\n");
        md.append("| round | arms' budget % | steps so far | val mIoU % | pixel accuracy % |\n|---|---|---|---|---|\n");
        rounds.forEach((r, m) -> md.append(String.format(Locale.ROOT, "| %d | %.1f | %d | %s | %s |%n", r, ((Number) m.get(SCHEDULE_PERCENT)).doubleValue(),
                ((Number) m.get("train_steps")).longValue(), percent(m.get("mIoU")), percent(m.get("pixel_accuracy")))));
        byte[] text = md.toString().getBytes(StandardCharsets.UTF_8);
        Json.writeAtomically(dir.resolve(ExperimentReport.FILE), out -> out.write(text));
    }

    private static String percent(Object v) {
        return v instanceof Number n ? String.format(Locale.ROOT, "%.2f", 100 * n.doubleValue()) : "-";
    }

    /** The rounds already recorded (a resumed run skips them). */
    private static Map<Integer, Map<String, Object>> readRounds(Path dir) {
        Map<Integer, Map<String, Object>> out = new TreeMap<>();
        Comparison.readRounds(dir).forEach((r, m) -> {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put(k, json(v)));
            if (m.containsKey("mIoU")) out.put(r, copy);
        });
        return out;
    }

    private static Object json(JsonNode v) {
        if (v.isIntegralNumber()) return v.asLong();
        if (v.isNumber()) return v.asDouble();
        if (v.isNull()) return null;
        if (v.isArray()) {
            List<Object> l = new ArrayList<>();
            v.forEach(e -> l.add(json(e)));
            return l;
        }
        return v.isTextual() ? v.asText() : v;
    }
}
