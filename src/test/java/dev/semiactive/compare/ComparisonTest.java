package dev.semiactive.compare;

import dev.semiactive.SemiactiveException;
import dev.semiactive.config.ConfigException;
import dev.semiactive.config.ConfigWriter;
import dev.semiactive.config.SemiactiveConfig;
import dev.semiactive.config.TrainingMethod;
import dev.semiactive.loop.Experiment;
import dev.semiactive.loop.ExperimentReport;
import dev.semiactive.pipeline.PretextRun;
import dev.semiactive.train.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ComparisonTest {
    private static final String PRESET = """
            run: {name: cmp, seed: 7}
            data: {format: synthetic, train_split: train, val_split: val, synthetic: {images: 4, width: 32, height: 32, classes: 3}}
            model: {backbone: tiny}
            train: {method: supervised, steps: 5, batch_size: 2, round_streams: true}
            al: {initial_fraction: 0.01, round_fraction: 0.01, budget: 0.03}
            """;

    /** Stands in for the experiment: records the config it got, writes config.yaml and rounds.json like the real one. */
    private static final class FakeExperiments implements Comparison.ArmRunner {
        final List<SemiactiveConfig> ran = new ArrayList<>();
        /** Whether the fake writes finished.json at the end, as the real experiment does. */
        boolean finish;
        /** Extra mIoU of the tsf-plar arms per seed above 7, so their gap to a baseline differs by seed. */
        double methodSeedBonus;
        /** The initHash each arm's manifest records, by method name; none = no manifest, as before it was recorded. */
        final Map<String, String> initHashes = new LinkedHashMap<>();

        @Override
        public void run(ComparisonArm arm, SemiactiveConfig c) {
            ran.add(c);
            Path dir = c.run().resolvedOutputDir();
            ConfigWriter.writeYaml(c, dir.resolve("config.yaml"));
            if (arm == ComparisonArm.FULL_SCHEDULE) {
                // every label, round r repeating the arms' round r: 40 + 2r points, seed 8 one point above seed 7
                Map<String, Object> rounds = new LinkedHashMap<>();
                for (int r = 1; r <= 3; r++)
                    rounds.put(Integer.toString(r), Map.of(ScheduleReference.SCHEDULE_PERCENT, (double) r, "train_labelled_percent", 100.0,
                            "mIoU", 0.40 + 0.02 * r + (c.run().seed() - 7) * 0.01));
                Json.writeAtomically(dir.resolve(ExperimentReport.ROUNDS_JSON), rounds);
                if (finish) Json.writeAtomically(dir.resolve(Experiment.FINISHED), Map.of("last_round", 3));
                return;
            }
            String initHash = initHashes.get(arm.toString());
            if (initHash != null)
                Json.writeAtomically(dir.resolve("manifest.json"), Map.of("seed", c.run().seed(), "initHash", initHash,
                        "config", Map.of("model", Map.of("init", String.valueOf(c.model().init())))));
            // mIoU grows with the budget; tsf-plar is 5 points above the others, seed 8 one point above seed 7
            double bonus = c.al().strategy().configName().startsWith("tsf-plar") ? 0.05 + methodSeedBonus * (c.run().seed() - 7) : 0;
            double seedBonus = (c.run().seed() - 7) * 0.01;
            Map<String, Object> rounds = new LinkedHashMap<>();
            // the tsf-plar arms record what each round labelled: round 0 (all void, left out of the mix), then 60/30/10
            Map<String, Object> round0 = new LinkedHashMap<>(Map.of("labelled_percent", 1.0));
            if (bonus > 0) round0.put("round_class_pixels", classPixels(0, 0, 100));
            rounds.put("0", round0);
            for (int r = 1; r <= 3; r++) {
                Map<String, Object> m = new LinkedHashMap<>(bonus > 0
                        ? Map.of("train_labelled_percent", r + 0.004 * r, "mIoU", 0.30 + 0.02 * r + bonus + seedBonus, "plar_accuracy", 0.8)
                        : Map.of("train_labelled_percent", r + 0.004 * r, "mIoU", 0.30 + 0.02 * r + bonus + seedBonus));
                if (bonus > 0) m.put("round_class_pixels", classPixels(60 * r, 30 * r, 10 * r));
                m.put("per_class_iou", List.of(0.9, 0.1 * r + bonus + seedBonus)); // Sky, Tree
                rounds.put(Integer.toString(r), m);
            }
            // a last round that topped up a few pixels (experiments before 2026-12-03) lands on the same budget as round 3; round 3,
            // whose steps full-schedule's round 3 repeats, stays the figure there (its model is 0.1 points below the top-up's)
            rounds.put("4", Map.of("train_labelled_percent", 3.013, "mIoU", 0.36 + bonus + seedBonus + 0.001, "per_class_iou", List.of(0.0, 0.0)));
            Json.writeAtomically(dir.resolve(ExperimentReport.ROUNDS_JSON), rounds);
            if (bonus > 0) {
                // the semi-supervised arm's training log of round 1: two windows, S-F disagreement 10% and 20%
                Path log = Comparison.roundMetrics(dir, 1);
                try {
                    Files.createDirectories(log.getParent());
                    Files.writeString(log, """
                            {"kind":"train","step":20,"sf_disagreement":0.1,"reliable_ratio":0.5}
                            {"kind":"train","step":40,"sf_disagreement":0.2,"reliable_ratio":0.7}
                            {"kind":"val","step":40,"mIoU":0.3}
                            """);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            if (finish) Json.writeAtomically(dir.resolve(Experiment.FINISHED), Map.of("last_round", 3));
        }
    }

    private static Map<String, Long> classPixels(long sky, long tree, long none) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("Sky", sky);
        m.put("Tree", tree);
        m.put("void", none);
        return m;
    }

    private static Path preset(Path dir) throws Exception {
        Path file = dir.resolve("preset.yaml");
        Files.writeString(file, PRESET);
        return file;
    }

    /** The comparison of these arms over these seeds (the preset's seed when none), run by {@code fake} in {@code dir/out}. */
    private static Comparison.Result compare(Path dir, String out, FakeExperiments fake, List<Long> seeds, ComparisonArm... arms)
            throws Exception {
        return Comparison.builder().setConfigFile(preset(dir)).optOverrides(List.of("run.output_dir=" + dir.resolve(out)))
                .optArms(List.of(arms)).optSeeds(seeds).optRunner(fake).build().run();
    }

    @Test
    void eachMethodIsThePresetWithItsStrategyAndTrainingInItsOwnFolder(@TempDir Path dir) throws Exception {
        FakeExperiments fake = new FakeExperiments();
        Comparison.Result r = Comparison.builder().setConfigFile(preset(dir))
                .optOverrides(List.of("run.output_dir=" + dir.resolve("out")))
                .optArms(List.of(ComparisonArm.RANDOM, ComparisonArm.S4AL, ComparisonArm.TSF_PLAR)).optSeeds(List.of(7L, 8L))
                .optRunner(fake).build().run();
        assertThat(fake.ran).hasSize(6);
        SemiactiveConfig s4al = fake.ran.get(1);
        assertThat(s4al.al().strategy().configName()).isEqualTo("s4al");
        assertThat(s4al.train().method().configName()).isEqualTo("mean-teacher");
        assertThat(s4al.run().resolvedOutputDir()).isEqualTo(dir.resolve("out/s4al-s7"));
        assertThat(fake.ran.get(2).train().method().configName()).isEqualTo("tsf");
        assertThat(fake.ran.get(3).run().seed()).isEqualTo(8);
        assertThat(fake.ran).allSatisfy(c -> assertThat(c.train().steps()).isEqualTo(5));
        // the comparison's own manifest says how it was asked for; each arm writes its own
        var manifest = dev.semiactive.train.RunManifest.read(r.dir());
        assertThat(manifest.seed()).isEqualTo(7);
        assertThat(manifest.versions()).containsKeys("djl", "engine", "java", "semiactive");
        assertThat(manifest.config().get("methods")).extracting(com.fasterxml.jackson.databind.JsonNode::asText)
                .containsExactly("random", "s4al", "tsf-plar");
        assertThat(manifest.config().get("seeds").toString()).isEqualTo("[7,8]");
        assertThat(manifest.config().at("/preset/train/steps").asInt()).isEqualTo(5);
        assertThat(manifest.config().get("overrides").get(0).asText()).isEqualTo("run.output_dir=" + dir.resolve("out"));

        String md = Files.readString(r.report());
        assertThat(md).contains("| 1.0% | 2.0% | 3.0% |");               // budgets rounded to 0.1 points
        // the last column is the mean of the row's budgets, so the curve's figure comes from the report
        assertThat(md).contains("| 1.0% | 2.0% | 3.0% | curve mean |\n|---|---|---|---|---|---|\n");
        assertThat(md).contains("| random | random + supervised training | 32.50 ± 0.71 | 34.50 ± 0.71 | 36.50 ± 0.71 | 34.50 |\n");
        assertThat(md).contains("| tsf-plar | tsf-plar + tsf training | 37.50 ± 0.71 |");
        assertThat(md).contains("no full reference");
        assertThat(md).contains("vs random at 3.0%: +5.00 mIoU points: target >= +3: **met**");
        assertThat(md).contains("vs entropy: not checked");
        assertThat(r.dir().resolve(ComparisonReport.CHART)).isRegularFile();
        var cell = Json.MAPPER.readTree(r.dir().resolve(ComparisonReport.JSON).toFile()).at("/miou_by_budget/tsf-plar/3.0");
        assertThat(cell.get("seeds").asInt()).isEqualTo(2);
        assertThat(cell.fieldNames()).toIterable().containsExactly("mean", "sd", "seeds", "per_seed");   // same results, same bytes
    }

    @Test
    void aFinishedArmIsRerunOnlyThroughItsExperimentAndOtherSettingsAreRefused(@TempDir Path dir) throws Exception {
        Path preset = preset(dir);
        List<String> out = List.of("run.output_dir=" + dir.resolve("out"));
        FakeExperiments fake = new FakeExperiments();
        Comparison.builder().setConfigFile(preset).optOverrides(out).optArms(List.of(ComparisonArm.RANDOM)).optRunner(fake).build().run();
        // same settings again: accepted (the real experiment then finds its rounds done)
        Comparison.builder().setConfigFile(preset).optOverrides(out).optArms(List.of(ComparisonArm.RANDOM)).optRunner(fake).build().run();
        assertThat(fake.ran).hasSize(2);
        // other steps: refused before anything runs, naming the folder, the key and the fix
        List<String> changed = new ArrayList<>(out);
        changed.add("train.steps=9");
        assertThatThrownBy(() -> Comparison.builder().setConfigFile(preset).optOverrides(changed).optArms(List.of(ComparisonArm.RANDOM))
                .optRunner(fake).build().run())
                .isInstanceOf(SemiactiveException.class)
                .hasMessageContaining("random-s7 was run with other settings (train.steps 5 -> 9)")
                .hasMessageContaining("delete that folder");
        assertThat(fake.ran).hasSize(2);
    }

    @Test
    void settingsASupervisedArmNeverReadsDoNotRerunIt(@TempDir Path dir) throws Exception {
        Path preset = preset(dir);
        List<String> out = List.of("run.output_dir=" + dir.resolve("out"));
        FakeExperiments fake = new FakeExperiments();
        List<ComparisonArm> arms = List.of(ComparisonArm.RANDOM, ComparisonArm.TSF_PLAR);
        Comparison.builder().setConfigFile(preset).optOverrides(out).optArms(arms).optRunner(fake).build().run();
        List<String> tuned = new ArrayList<>(out);
        tuned.add("tsf.lambda_cps=0.5");
        tuned.add("plar.margin=0.2");
        // random trains supervised without PLAR: its folder is still good
        Comparison.builder().setConfigFile(preset).optOverrides(tuned).optArms(List.of(ComparisonArm.RANDOM)).optRunner(fake).build().run();
        // tsf-plar reads both: refused
        assertThatThrownBy(() -> Comparison.builder().setConfigFile(preset).optOverrides(tuned).optArms(List.of(ComparisonArm.TSF_PLAR))
                .optRunner(fake).build().run())
                .hasMessageContaining("tsf-plar-s7 was run with other settings").hasMessageContaining("lambda_cps");
        // the confidence threshold feeds every arm's error-mask diagnostics: a change reruns random too
        List<String> threshold = new ArrayList<>(out);
        threshold.add("tsf.threshold=0.9");
        assertThatThrownBy(() -> Comparison.builder().setConfigFile(preset).optOverrides(threshold).optArms(List.of(ComparisonArm.RANDOM))
                .optRunner(fake).build().run())
                .hasMessageContaining("random-s7 was run with other settings (tsf.threshold");
    }

    @Test
    void fullNeedsItsReferenceAndUnknownMethodsAreNamed(@TempDir Path dir) throws Exception {
        Path preset = preset(dir);
        assertThatThrownBy(() -> Comparison.builder().setConfigFile(preset).optRunner(new FakeExperiments()).build().run())
                .hasMessageContaining("method 'full' needs the reference: pass --full");
        assertThatThrownBy(() -> ComparisonArm.of("badge")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown method 'badge'").hasMessageContaining("tsf-plar");
    }

    @Test
    void gapsToTheBaselinesArePairedBySeedAndTheSpreadVariantIsChecked(@TempDir Path dir) throws Exception {
        FakeExperiments fake = new FakeExperiments();
        fake.methodSeedBonus = 0.02;
        Comparison.Result r = compare(dir, "out", fake, List.of(7L, 8L), ComparisonArm.RANDOM, ComparisonArm.TSF_PLAR_SPREAD);
        String md = Files.readString(r.report());
        // seed 7: +5 points over random at every budget; seed 8: +7 (the method's extra 2 points on top of the seed's 1)
        assertThat(md).contains("- tsf-plar-spread vs random at 3.0%: +6.00 mIoU points: target >= +3: **met**; per seed +5.00 (7) +7.00 (8)"
                // two seeds: t = 12.706 on one degree of freedom, sd 1.41 -> 6 ± 12.71
                + "; 95% interval of the mean over the seeds -6.71 to +18.71, it holds +3.00: 2 seeds cannot settle it\n");
        assertThat(md).contains("| tsf-plar-spread | random | +6.00 ± 1.41 | +6.00 ± 1.41 | +6.00 ± 1.41 | +6.00 |");
        assertThat(md).contains("The curve, seed by seed (against 0: whether the method leads at all):\n\n"
                + "- tsf-plar-spread vs random, mean over the budgets each seed reached: per seed +5.00 (7) +7.00 (8); "
                + "95% interval of the mean over the seeds -6.71 to +18.71, it holds +0.00: 2 seeds cannot settle it\n");
        assertThat(md).contains("- tsf-plar-spread vs entropy: not checked");
        // what each arm labelled: rounds after 0 only, mean over seeds; random's rounds.json has no such metric
        assertThat(md).contains("| method | Sky | Tree | void |\n|---|---|---|---|\n| tsf-plar-spread | 60.0 | 30.0 | 10.0 |\n");
        assertThat(md).contains("Not recorded (rounds.json from before `round_class_pixels`").contains("random (seed 7), random (seed 8)");
        assertThat(md).doesNotContain("| tsf-plar-spread | entropy |");
        // per-class IoU of round 3 (not the top-up round 4 on the same budget), mean over seeds, named by what tsf-plar labelled
        assertThat(md).contains("| method | budget % | seeds | Sky | Tree |\n|---|---|---|---|---|\n"
                + "| random | 3.0 | 2 | 90.0 | 30.5 |\n| tsf-plar-spread | 3.0 | 2 | 90.0 | 36.5 |\n");
    }

    /** The class-weighted arms: their loss setting reaches their runs only, and random-weighted joins the baselines. */
    @Test
    void theWeightedArmsAreCheckedAgainstTheWeightedRandomToo(@TempDir Path dir) throws Exception {
        FakeExperiments fake = new FakeExperiments();
        Comparison.Result r = compare(dir, "out", fake, List.of(), ComparisonArm.RANDOM, ComparisonArm.RANDOM_WEIGHTED,
                ComparisonArm.TSF_PLAR_WEIGHTED);
        assertThat(fake.ran).extracting(c -> c.train().classWeightPower()).containsExactly(0.0, 0.5, 0.5);
        assertThat(fake.ran.get(1).run().resolvedOutputDir()).isEqualTo(dir.resolve("out/random-weighted-s7"));
        String md = Files.readString(r.report());
        assertThat(md).contains("- tsf-plar-weighted vs random at 3.0%: +5.00 mIoU points: target >= +3: **met**")
                .contains("- tsf-plar-weighted vs random-weighted at 3.0%: +5.00 mIoU points: target >= +3: **met**")
                .contains("| tsf-plar-weighted | random-weighted | +5.00 |");
        assertThat(ComparisonArm.TSF_PLAR_SPREAD.trainingSettings()).isEmpty();
        assertThat(ComparisonArm.TSF_PLAR_WEIGHTED.trainingSettings()).containsExactly("train.class_weight_power=0.5");
        // against full-schedule (its own loss, the preset's), the share says it compares two recipes
        Comparison.Result withReference = compare(dir, "out2", new FakeExperiments(), List.of(), ComparisonArm.FULL_SCHEDULE,
                ComparisonArm.TSF_PLAR_WEIGHTED, ComparisonArm.TSF_PLAR_SPREAD);
        String ref = Files.readString(withReference.report());
        assertThat(ref).contains("(tsf-plar-weighted trains with train.class_weight_power=0.5 and full-schedule without: this share "
                + "compares two training recipes");
        assertThat(ref).doesNotContain("(tsf-plar-spread trains with");
        // with the loss in the preset, full-schedule trains with it too: no caveat
        Comparison.Result inPreset = Comparison.builder().setConfigFile(preset(dir))
                .optOverrides(List.of("run.output_dir=" + dir.resolve("out3"), "train.class_weight_power=0.5"))
                .optArms(List.of(ComparisonArm.FULL_SCHEDULE, ComparisonArm.TSF_PLAR_WEIGHTED)).optRunner(new FakeExperiments()).build().run();
        assertThat(Files.readString(inPreset.report())).contains("tsf-plar-weighted at 3.0% of pixels").doesNotContain("trains with");
    }

    @Test
    void aLoneSeedHasNoPerSeedGapsAndNoMethodArmNoTargetsNorDiagnostics(@TempDir Path dir) throws Exception {
        FakeExperiments fake = new FakeExperiments();
        Comparison.Result r = compare(dir, "out", fake, List.of(), ComparisonArm.RANDOM, ComparisonArm.TSF_PLAR);
        String md = Files.readString(r.report());
        assertThat(md).contains("- tsf-plar vs random at 3.0%: +5.00 mIoU points: target >= +3: **met**\n");
        assertThat(md).contains("| tsf-plar | random | +5.00 | +5.00 | +5.00 | +5.00 |");

        Comparison.Result baselinesOnly = compare(dir, "out2", new FakeExperiments(), List.of(), ComparisonArm.RANDOM);
        String other = Files.readString(baselinesOnly.report());
        assertThat(other).contains("- not checked: no tsf-plar result at or below 8.0% yet");
        assertThat(other).doesNotContain("Gaps to the baselines");
        // supervised arms have no diagnostics: no empty table
        assertThat(md).contains("## Diagnostics per budget");
        assertThat(other).doesNotContain("## Diagnostics per budget");
    }

    @Test
    void aMethodsOwnSettingsReachOnlyItsRunsAndAreListedInTheReport(@TempDir Path dir) throws Exception {
        FakeExperiments fake = new FakeExperiments();
        Comparison.Result r = Comparison.builder().setConfigFile(preset(dir)).optOverrides(List.of("run.output_dir=" + dir.resolve("out")))
                .optArms(List.of(ComparisonArm.RANDOM, ComparisonArm.S4AL))
                .optArmOverrides(Map.of(ComparisonArm.S4AL, List.of("tsf.lambda_ts=0.5", "train.steps=7"))).optRunner(fake).build().run();
        assertThat(fake.ran.get(0).tsf().lambdaTs()).isEqualTo(1.0);   // the preset's default
        assertThat(fake.ran.get(0).train().steps()).isEqualTo(5);
        assertThat(fake.ran.get(1).tsf().lambdaTs()).isEqualTo(0.5);
        assertThat(fake.ran.get(1).train().steps()).isEqualTo(7);
        assertThat(fake.ran.get(1).run().resolvedOutputDir()).isEqualTo(dir.resolve("out/s4al-s7"));
        assertThat(Files.readString(r.report())).contains("- s4al only: tsf.lambda_ts=0.5, train.steps=7\n")
                .contains("| s4al | s4al (tsf.lambda_ts=0.5, tsf.ema_decay=0.99, train.steps=7) + mean-teacher training |");
        // an arm's own setting given another value says the value it ran with, not its default
        assertThat(ComparisonArm.TSF_PLAR_BALANCED.describe(List.of("al.class_balance=0.25")))
                .isEqualTo("tsf-plar-spread (al.class_balance=0.25) + tsf training");
        assertThat(ComparisonArm.TSF_PLAR_DIVERSE.describe(List.of("al.diversity=2", "train.steps=9")))
                .isEqualTo("tsf-plar-spread (al.class_balance=0.5, al.diversity=2, train.steps=9) + tsf training");
        // every TSF arm is the method whose targets are checked, a variant added later included (diverse once was not)
        assertThat(ComparisonReport.CHECKED).containsExactly(ComparisonArm.TSF_PLAR, ComparisonArm.TSF_PLAR_SPREAD,
                ComparisonArm.TSF_PLAR_MIX, ComparisonArm.TSF_PLAR_BALANCED, ComparisonArm.TSF_PLAR_IMPURITY, ComparisonArm.TSF_PLAR_DIVERSE,
                ComparisonArm.TSF_PLAR_WEIGHTED);
        assertThat(ComparisonArm.of("tsf-plar-impurity").overrides())
                .containsExactly("al.strategy=tsf-plar-spread", "train.method=tsf", "al.class_balance=0.5", "al.impurity=1.0");
    }

    @Test
    void aSeedsOwnSettingsReachOnlyThatSeedsArmsAndAreListedInTheReport(@TempDir Path dir) throws Exception {
        FakeExperiments fake = new FakeExperiments();
        Comparison.Result r = Comparison.builder().setConfigFile(preset(dir)).optOverrides(List.of("run.output_dir=" + dir.resolve("out")))
                .optArms(List.of(ComparisonArm.RANDOM, ComparisonArm.S4AL)).optSeeds(List.of(7L, 8L))
                .optArmOverrides(Map.of(ComparisonArm.S4AL, List.of("train.steps=7")))
                .optSeedOverrides(Map.of(8L, List.of("train.steps=9", "model.init=pretext-s8"))).optRunner(fake).build().run();
        assertThat(fake.ran).extracting(c -> String.valueOf(c.model().init())).containsExactly("null", "null", "pretext-s8", "pretext-s8");
        assertThat(fake.ran).extracting(c -> c.run().seed() + " " + c.al().strategy().configName() + " " + c.train().steps())
                .containsExactly("7 random 5", "7 s4al 7", "8 random 9", "8 s4al 9");   // the seed's setting after the method's
        assertThat(Files.readString(r.report())).contains("- s4al only: train.steps=7\n").contains("- seed 8 only: train.steps=9, model.init=pretext-s8\n");

        // a kept arm is reused only with its seed's settings: seed 8 without them is another run, refused in its folder
        assertThatThrownBy(() -> Comparison.builder().setConfigFile(preset(dir)).optOverrides(List.of("run.output_dir=" + dir.resolve("out")))
                .optArms(List.of(ComparisonArm.RANDOM)).optSeeds(List.of(7L, 8L)).optRunner(fake).build().run())
                .isInstanceOf(SemiactiveException.class).hasMessageContaining("random-s8 was run with other settings (").hasMessageContaining("train.steps 9 -> 5");
    }

    /** Stands in for `semiactive pretrain`: records what it was asked and writes the pretext's bins file. */
    private static final class FakePretexts implements Comparison.PretextRunner {
        final List<String> ran = new ArrayList<>();

        @Override
        public void run(SemiactiveConfig c, int bins, Path dir) {
            ran.add("seed " + c.run().seed() + ", " + c.train().steps() + " steps, batch " + c.train().batchSize() + ", " + bins + " bins in "
                    + dir.getParent().getFileName() + "/" + dir.getFileName());
            Json.writeAtomically(dir.resolve(PretextRun.FILE), Map.of("bins", bins));
        }
    }

    @Test
    void eachSeedsArmsStartFromItsOwnPretextWhichKeptArmsDoNotNeed(@TempDir Path dir) throws Exception {
        FakeExperiments fake = new FakeExperiments();
        fake.finish = true;
        FakePretexts pretexts = new FakePretexts();
        Path kept = dir.resolve("kept");
        List<ComparisonArm> arms = List.of(ComparisonArm.RANDOM, ComparisonArm.S4AL);
        Comparison.Result r = Comparison.builder().setConfigFile(preset(dir)).optOverrides(List.of("run.output_dir=" + dir.resolve("runs-a")))
                .optArms(arms).optSeeds(List.of(7L, 8L)).optSeedOverrides(Map.of(8L, List.of("train.batch_size=1"))).optPretext(3, 4)
                .optResults(kept).optRunner(fake).optPretextRunner(pretexts).build().run();
        // one pretext a seed, with the seed's own settings and the pretext's steps, in the comparison's folder
        assertThat(pretexts.ran).containsExactly("seed 7, 3 steps, batch 2, 4 bins in runs-a/pretext-3steps-4bins-s7",
                "seed 8, 3 steps, batch 1, 4 bins in runs-a/pretext-3steps-4bins-s8");
        assertThat(fake.ran).extracting(c -> c.run().seed() + " " + c.al().strategy().configName() + " " + c.model().init() + " " + c.train().steps())
                .containsExactly("7 random " + dir.resolve("runs-a/pretext-3steps-4bins-s7") + " 5", "7 s4al " + dir.resolve("runs-a/pretext-3steps-4bins-s7") + " 5",
                        "8 random " + dir.resolve("runs-a/pretext-3steps-4bins-s8") + " 5", "8 s4al " + dir.resolve("runs-a/pretext-3steps-4bins-s8") + " 5");
        assertThat(kept.resolve("pretext-3steps-4bins-s8").resolve(PretextRun.FILE)).isRegularFile();
        assertThat(Files.readString(r.report())).contains("- seed 7 only: model.init=" + dir.resolve("runs-a/pretext-3steps-4bins-s7") + "\n")
                .contains("- seed 8 only: model.init=" + dir.resolve("runs-a/pretext-3steps-4bins-s8") + ", train.batch_size=1\n");

        // another machine, another run folder: the kept arms started from the same pretext of their comparison, so they are
        // reused, and no pretext is trained for arms that do not train
        Comparison.builder().setConfigFile(preset(dir)).optOverrides(List.of("run.output_dir=" + dir.resolve("runs-b")))
                .optArms(arms).optSeeds(List.of(7L, 8L)).optSeedOverrides(Map.of(8L, List.of("train.batch_size=1"))).optPretext(3, 4)
                .optResults(kept).optRunner(fake).optPretextRunner(pretexts).build().run();
        assertThat(pretexts.ran).hasSize(2);
        assertThat(fake.ran).hasSize(4);
        // a longer pretext is another start: seed 7's arms run again, on their own new pretext
        Comparison.builder().setConfigFile(preset(dir)).optOverrides(List.of("run.output_dir=" + dir.resolve("runs-c")))
                .optArms(arms).optSeeds(List.of(7L)).optPretext(6, 4).optResults(kept).optRunner(fake).optPretextRunner(pretexts).build().run();
        assertThat(pretexts.ran).last().isEqualTo("seed 7, 6 steps, batch 2, 4 bins in runs-c/pretext-6steps-4bins-s7");
        assertThat(fake.ran).hasSize(6);
        assertThat(fake.ran.get(5).model().init()).isEqualTo(dir.resolve("runs-c/pretext-6steps-4bins-s7"));
    }

    @Test
    void aPretextIsTheArmsModelInitSoTheTwoAreNotGivenTogether(@TempDir Path dir) throws Exception {
        Path preset = preset(dir);
        FakePretexts pretexts = new FakePretexts();
        assertThatThrownBy(() -> Comparison.builder().setConfigFile(preset).optOverrides(List.of("model.init=runs/p")).optArms(List.of(ComparisonArm.RANDOM))
                .optPretext(3, 4).optRunner(new FakeExperiments()).optPretextRunner(pretexts).build().run())
                .isInstanceOf(ConfigException.class)
                .hasMessage("--pretext-steps makes each seed's model.init, but " + preset + " (or --set) sets model.init=runs/p: leave out one of the two");
        assertThatThrownBy(() -> Comparison.builder().setConfigFile(preset).optArms(List.of(ComparisonArm.RANDOM))
                .optSeedOverrides(Map.of(7L, List.of("model.init=runs/p"))).optPretext(3, 4).build())
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("--seed-set 7:model.init=runs/p: --pretext-steps makes each seed's model.init");
        assertThatThrownBy(() -> Comparison.builder().setConfigFile(preset).optPretext(-1, 16).build())
                .isInstanceOf(ConfigException.class).hasMessage("--pretext-steps must be 0 (no pretext) or more, got -1");
        assertThatThrownBy(() -> Comparison.builder().setConfigFile(preset).optPretext(10, 1).build())
                .isInstanceOf(ConfigException.class).hasMessage("--pretext-bins must be between 2 and 254, got 1");
        assertThat(pretexts.ran).isEmpty();
    }

    @Test
    void aSeedsOwnSettingsMustNameARunSeedAndCannotRedefineIt(@TempDir Path dir) throws Exception {
        Path preset = preset(dir);
        assertThatThrownBy(() -> Comparison.builder().setConfigFile(preset).optArms(List.of(ComparisonArm.RANDOM)).optSeeds(List.of(7L))
                .optSeedOverrides(Map.of(9L, List.of("train.steps=3"))).build().run())
                .isInstanceOf(ConfigException.class).hasMessage("--seed-set names seed 9, which this comparison does not run: use one of [7]");
        assertThatThrownBy(() -> Comparison.builder().setConfigFile(preset).optArms(List.of(ComparisonArm.RANDOM))
                .optSeedOverrides(Map.of(7L, List.of("run.output_dir=elsewhere"))).build())
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("--seed-set 7:run.output_dir=elsewhere: run.output_dir is what makes an arm");
    }

    @Test
    void theMixArmIsSpreadWithARandomShareInItsOwnFolderAndIsChecked(@TempDir Path dir) throws Exception {
        FakeExperiments fake = new FakeExperiments();
        Comparison.Result r = compare(dir, "out", fake, List.of(), ComparisonArm.TSF_PLAR_SPREAD, ComparisonArm.TSF_PLAR_MIX);
        assertThat(fake.ran.get(0).al().randomShare()).isZero();
        SemiactiveConfig mix = fake.ran.get(1);
        assertThat(mix.al().strategy().configName()).isEqualTo("tsf-plar-spread");
        assertThat(mix.al().randomShare()).isEqualTo(ComparisonArm.MIX_SHARE);
        assertThat(mix.train().method()).isEqualTo(TrainingMethod.TSF);
        assertThat(mix.run().resolvedOutputDir()).isEqualTo(dir.resolve("out/tsf-plar-mix-s7"));
        assertThat(ComparisonArm.TSF_PLAR_MIX.describe()).isEqualTo("tsf-plar-spread (al.random_share=0.25) + tsf training");
        assertThat(Files.readString(r.report())).contains("- tsf-plar-mix vs random: not checked");
        // the issue's methods with tsf-plar as the SPEC gives it and as the benchmarks run it (balanced); the screens are asked for by name
        assertThat(ComparisonArm.DEFAULT).containsExactly(ComparisonArm.FULL, ComparisonArm.FULL_SCHEDULE, ComparisonArm.RANDOM,
                ComparisonArm.ENTROPY, ComparisonArm.CORESET, ComparisonArm.S4AL, ComparisonArm.TSF_PLAR, ComparisonArm.TSF_PLAR_BALANCED);
        assertThat(ComparisonArm.TSF_PLAR_WEIGHTED.overrides()).containsExactly("al.strategy=tsf-plar-spread", "train.method=tsf",
                "train.class_weight_power=0.5");
        assertThat(ComparisonArm.RANDOM_WEIGHTED.overrides()).containsExactly("al.strategy=random", "train.method=supervised",
                "train.class_weight_power=0.5");
        assertThat(ComparisonArm.baselines(List.of(ComparisonArm.RANDOM))).containsExactly(ComparisonArm.RANDOM,
                ComparisonArm.ENTROPY, ComparisonArm.CORESET);
        assertThat(ComparisonArm.baselines(List.of(ComparisonArm.RANDOM_WEIGHTED))).endsWith(ComparisonArm.RANDOM_WEIGHTED);
        assertThat(ComparisonArm.TSF_PLAR_BALANCED.overrides()).containsExactly("al.strategy=tsf-plar-spread", "train.method=tsf",
                "al.class_balance=0.5");
    }

    @Test
    void s4alRunsItsMeanTeacherTermAtTheSpecsWeightsWhereThePresetSwitchesTheTermOff(@TempDir Path dir) throws Exception {
        FakeExperiments fake = new FakeExperiments();
        Comparison.Result r = Comparison.builder().setConfigFile(preset(dir))
                .optOverrides(List.of("run.output_dir=" + dir.resolve("out"), "tsf.lambda_ts=0", "tsf.ema_decay=0.9"))
                .optArms(List.of(ComparisonArm.S4AL, ComparisonArm.TSF_PLAR)).optRunner(fake).build().run();
        assertThat(fake.ran.get(0).tsf().lambdaTs()).isEqualTo(1.0);
        assertThat(fake.ran.get(0).tsf().emaDecay()).isEqualTo(0.99);
        assertThat(fake.ran.get(1).tsf().lambdaTs()).isEqualTo(0.0);   // the preset's, for the tsf arm
        assertThat(fake.ran.get(1).tsf().emaDecay()).isEqualTo(0.9);
        assertThat(Files.readString(r.report()))
                .contains("| s4al | s4al (tsf.lambda_ts=1.0, tsf.ema_decay=0.99) + mean-teacher training |");
        // the same settings given again with --arm-set (the kept commands do) describe the arm the same way
        assertThat(ComparisonArm.S4AL.describe(List.of("tsf.lambda_ts=1.0", "tsf.ema_decay=0.99")))
                .isEqualTo(ComparisonArm.S4AL.describe());
    }

    @Test
    void aMethodsOwnSettingsMustNameARunMethodAndCannotRedefineIt(@TempDir Path dir) throws Exception {
        Path preset = preset(dir);
        assertThatThrownBy(() -> Comparison.builder().setConfigFile(preset).optArms(List.of(ComparisonArm.RANDOM))
                .optArmOverrides(Map.of(ComparisonArm.S4AL, List.of("tsf.lambda_ts=0.5"))).build())
                .isInstanceOf(ConfigException.class).hasMessage("--arm-set names method 's4al', which this comparison does not run: use one of [random]");
        assertThatThrownBy(() -> Comparison.builder().setConfigFile(preset).optArms(List.of(ComparisonArm.RANDOM))
                .optArmOverrides(Map.of(ComparisonArm.RANDOM, List.of("train.method=tsf"))).build())
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("--arm-set random:train.method=tsf: train.method is what makes the arm");
    }

    @Test
    void shareOfFullAndTheTargetsAreChecked(@TempDir Path dir) throws Exception {
        FakeExperiments fake = new FakeExperiments();
        Comparison.Result r = compare(dir, "out", fake, List.of(), ComparisonArm.ENTROPY, ComparisonArm.TSF_PLAR);
        Path report = ComparisonReport.write(r.dir(), r.preset(), List.of(7L), r.arms(),
                new Comparison.FullResult(dir.resolve("full"), 0.40, 3000));
        String md = Files.readString(report);
        assertThat(md).contains("| full | 100% of labels, supervised | 40.00 | 40.00 | 40.00 | 40.00 |\n");
        // tsf-plar at 3.0%: 41.0 mIoU (round 3, not the top-up round's 41.1) = 102.5% of full of 40; entropy 36.0 = 90.0%
        assertThat(md).contains("| tsf-plar | 92.5 | 97.5 | 102.5 | 97.5 |\n");
        assertThat(md).contains("| entropy | 80.0 | 85.0 | 90.0 |");
        assertThat(md).contains("= 102.5% of full (40.00): target >= 95%: **met**");
        // what `compare` prints for the arm: the same round 3, not the top-up round 4 after it
        Comparison.ArmResult tsf = r.arms().stream().filter(a -> a.arm() == ComparisonArm.TSF_PLAR).findFirst().orElseThrow();
        assertThat(tsf.rounds()).containsKey(4);
        assertThat(ComparisonReport.figureAtLastBudget(tsf).orElseThrow().get("mIoU").asDouble()).isCloseTo(0.41, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void headroomBelowTheMarginOrAtNoneIsReadAsSuch() {
        // seed 7: full-schedule 30, 31 at 1%, 2%; random 29, 29; seed 8 at 1% only: 32 against 30.
        // at 2%: +2.00 (seed 7); over the curve: mean(+1.50 at 1%, +2.00 at 2%) = +1.75
        Map<ComparisonArm, Map<Long, Map<Double, Double>>> bySeed = Map.of(
                ComparisonArm.FULL_SCHEDULE, Map.of(7L, Map.of(1.0, 30.0, 2.0, 31.0), 8L, Map.of(1.0, 32.0)),
                ComparisonArm.RANDOM, Map.of(7L, Map.of(1.0, 29.0, 2.0, 29.0), 8L, Map.of(1.0, 30.0)));
        assertThat(ComparisonReport.curveGap(bySeed, ComparisonArm.FULL_SCHEDULE, ComparisonArm.RANDOM).orElseThrow()).isEqualTo(1.75);
        assertThat(ComparisonReport.headroom(bySeed, ComparisonArm.RANDOM, 2.0)).contains("  (headroom: full-schedule is +2.00 over random at 2.0% "
                + "and +1.75 over the curve; below +3 over the curve: every label in the same training gains less than the target asks of "
                + "the choice of labels, so the schedule, not the labels, limits the model here)\n");
        // full-schedule below the baseline over the curve (seed 7 only: -1.00 at 1%, -0.50 at 2%): no room at all, said as such
        Map<ComparisonArm, Map<Long, Map<Double, Double>>> below = Map.of(
                ComparisonArm.FULL_SCHEDULE, Map.of(7L, Map.of(1.0, 30.0, 2.0, 31.0)),
                ComparisonArm.ENTROPY, Map.of(7L, Map.of(1.0, 31.0, 2.0, 31.5)));
        assertThat(ComparisonReport.headroom(below, ComparisonArm.ENTROPY, 2.0)).contains("  (headroom: full-schedule is -0.50 over entropy at 2.0% "
                + "and -0.75 over the curve; not above 0 over the curve: every label in the same training does no better than entropy's labels, "
                + "so a gain over entropy here cannot come from choosing labels alone: it needs a better training)\n");
        // exactly level is no room either
        assertThat(ComparisonReport.headroom(Map.of(ComparisonArm.FULL_SCHEDULE, below.get(ComparisonArm.FULL_SCHEDULE),
                ComparisonArm.ENTROPY, below.get(ComparisonArm.FULL_SCHEDULE)), ComparisonArm.ENTROPY, 2.0).orElseThrow())
                .contains("+0.00 over the curve; not above 0 over the curve");
        // no line without full-schedule at that budget, and none against full-schedule itself
        assertThat(ComparisonReport.headroom(bySeed, ComparisonArm.RANDOM, 3.0)).isEmpty();
        assertThat(ComparisonReport.headroom(bySeed, ComparisonArm.FULL_SCHEDULE, 2.0)).isEmpty();
        assertThat(ComparisonReport.headroom(Map.of(ComparisonArm.RANDOM, bySeed.get(ComparisonArm.RANDOM)), ComparisonArm.RANDOM, 2.0)).isEmpty();
    }

    @Test
    void theHeadroomOverABaselineIsSaidOnceWhenSeveralMethodsAreChecked(@TempDir Path dir) throws Exception {
        FakeExperiments fake = new FakeExperiments();
        Comparison.Result r = compare(dir, "out", fake, List.of(7L), ComparisonArm.FULL_SCHEDULE, ComparisonArm.RANDOM,
                ComparisonArm.TSF_PLAR, ComparisonArm.TSF_PLAR_BALANCED);
        String md = Files.readString(ComparisonReport.write(r.dir(), r.preset(), List.of(7L), r.arms(), null));
        // both methods are checked against random at 3%, and the line about random's headroom follows the first only
        assertThat(md).contains("- tsf-plar vs random at 3.0%: +5.00 mIoU points: target >= +3: **met**\n"
                + "  (headroom: full-schedule is +10.00 over random at 3.0% and +10.00 over the curve)\n");
        assertThat(md).contains("- tsf-plar-balanced vs random at 3.0%: +5.00 mIoU points: target >= +3: **met**\n- ");
        assertThat(md.split("\\(headroom: ", -1)).hasSize(2);
    }

    @Test
    void theReportNamesASeedWhoseArmsRanOnTwoCpus(@TempDir Path dir) throws Exception {
        FakeExperiments fake = new FakeExperiments();
        Comparison.Result r = compare(dir, "out", fake, List.of(7L), ComparisonArm.RANDOM, ComparisonArm.TSF_PLAR);
        String cpu = "AMD EPYC, family 25 model 17, 2 cores";
        for (Comparison.ArmResult arm : r.arms()) {
            dev.semiactive.train.RunManifest m = dev.semiactive.train.RunManifest.builder()
                    .setConfig(Json.MAPPER.valueToTree(Map.of("steps", 10))).setSeed(7).build();
            new dev.semiactive.train.RunManifest(m.formatVersion(), m.config(), 7, Map.of("cpu", cpu), m.datasetHash(), m.labelSpaceHash(),
                    m.labelSetHash(), m.initHash(), m.round(), m.gitCommit(), m.host(), m.createdAt(), List.of()).write(arm.dir());
            cpu = "AMD EPYC, family 26 model 2, 2 cores";
        }
        String md = Files.readString(ComparisonReport.write(r.dir(), r.preset(), List.of(7L), r.arms(), null));
        assertThat(md).contains("- seed 7: the arms ran on more than one CPU (manifest versions.cpu: random on AMD EPYC, family 25 "
                + "model 17, 2 cores; tsf-plar on AMD EPYC, family 26 model 2, 2 cores)");
    }

    @Test
    void aShareThatRoundsToTheTargetIsPrintedWithTheDigitsThatDecideIt() {
        assertThat(ComparisonReport.shareText(94.997)).isEqualTo("94.997");
        assertThat(ComparisonReport.shareText(95.04)).isEqualTo("95.040");
        assertThat(ComparisonReport.shareText(95.0)).isEqualTo("95.0");
        assertThat(ComparisonReport.shareText(93.32)).isEqualTo("93.3");
    }

    @Test
    void theShareTargetIsCheckedAgainstFullUnderTheSameSchedulePairedBySeed(@TempDir Path dir) throws Exception {
        FakeExperiments fake = new FakeExperiments();
        Comparison.Result r = compare(dir, "out", fake, List.of(7L, 8L), ComparisonArm.FULL_SCHEDULE, ComparisonArm.RANDOM,
                ComparisonArm.TSF_PLAR);
        // the reference runs per seed in its own folder, supervised, like an arm
        assertThat(fake.ran.get(0).run().resolvedOutputDir()).isEqualTo(dir.resolve("out/full-schedule-s7"));
        assertThat(fake.ran.get(0).train().method().configName()).isEqualTo("supervised");
        String md = Files.readString(ComparisonReport.write(r.dir(), r.preset(), List.of(7L, 8L), r.arms(),
                new Comparison.FullResult(dir.resolve("full"), 0.50, 3000)));
        // it stands at the budget whose steps it repeated, not at the 100% it trained on
        assertThat(md).contains("| full-schedule | 100% of labels, supervised, the arms' rounds of steps | 42.50 ± 0.71 | 44.50 ± 0.71 | 46.50 ± 0.71 |");
        assertThat(md).doesNotContain("100.0%");
        // random at 1%: 32/42 (seed 7) and 33/43 (seed 8) -> 76.19 and 76.74 -> 76.5
        assertThat(md).contains("## % of full under the same schedule").contains("| random | 76.5 |");
        // random: 32/42 33/43, 34/44 35/45, 36/46 37/47 -> 76.47, 77.53, 78.49 -> curve mean 77.5; full-schedule has no row
        assertThat(md).contains("| random | 76.5 | 77.5 | 78.5 | 77.5 |\n").doesNotContain("| full-schedule | 100.0");
        // tsf-plar at 3% (round 3, the steps of full-schedule's round 3): 41/46 = 89.13% and 42/47 = 89.36%
        assertThat(md).contains("- tsf-plar at 3.0% of pixels: 41.50 mIoU = 89.2% of full-schedule (46.50, every label in the same rounds of "
                + "steps): target >= 95%: **missed**; per seed 89.1% (7) 89.4% (8)"
                // mean 89.25, sd 0.164, half-width 12.706 * 0.164 / sqrt 2 = 1.47
                + "; 95% interval of the mean over the seeds 87.8% to 90.7%, wholly below 95.0%: the seeds settle it\n"
                // random at 3%: 36/46 and 37/47 -> 78.26% and 78.72%
                + "  (the baselines at 3.0%: random 78.5% of full-schedule)\n"
                + "- tsf-plar at 3.0% of pixels: 41.50 mIoU = 83.0% of full (50.00, its own schedule): target >= 95%: **missed**\n");
        // the headroom over random, paired by seed: 10 points at every budget, both seeds
        assertThat(md).contains("The full-schedule rows are the headroom")
                .contains("| full-schedule | random | +10.00 ± 0.00 | +10.00 ± 0.00 | +10.00 ± 0.00 | +10.00 |");
        // and under the target against random, the same headroom at the target's budget and over the curve; above +3, no warning
        assertThat(md).contains("- tsf-plar vs random at 3.0%: +5.00 mIoU points: target >= +3: **met**; per seed +5.00 (7) +5.00 (8)")
                .contains("  (headroom: full-schedule is +10.00 over random at 3.0% and +10.00 over the curve)\n");
        var json = Json.MAPPER.readTree(r.dir().resolve(ComparisonReport.JSON).toFile()).at("/miou_by_budget");
        assertThat(json.at("/tsf-plar/3.0/share_of_full_schedule").asDouble()).isCloseTo(0.8925, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(json.at("/full-schedule/3.0").has("share_of_full_schedule")).isFalse();
        // full-schedule on seed 7 only: both means over seed 7, and the line says so (not tsf-plar's 41.50 over two seeds)
        List<Comparison.ArmResult> partial = r.arms().stream()
                .filter(a -> !(a.arm() == ComparisonArm.FULL_SCHEDULE && a.seed() == 8L)).toList();
        String partialMd = Files.readString(ComparisonReport.write(dir.resolve("partial"), r.preset(), List.of(7L, 8L), partial, null));
        assertThat(partialMd).contains("- tsf-plar at 3.0% of pixels: 41.00 mIoU = 89.1% of full-schedule (46.00, every label in the same "
                + "rounds of steps over seed 7, those full-schedule ran): target >= 95%: **missed**\n");
        // tsf-plar at 3%: 41 (seed 7) and 42 (seed 8), as fractions
        assertThat(json.at("/tsf-plar/3.0/per_seed/7").asDouble()).isCloseTo(0.41, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(json.at("/tsf-plar/3.0/per_seed/8").asDouble()).isCloseTo(0.42, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void theTargetVerdictSaysWhetherTheSeedsSettleIt() {
        assertThat(ComparisonReport.t975(2)).isEqualTo(4.303);
        // past the table, the expansion: 2.0211 at 40 degrees of freedom, 1.9799 at 120
        assertThat(ComparisonReport.t975(40)).isCloseTo(2.0211, org.assertj.core.data.Offset.offset(2e-4));
        assertThat(ComparisonReport.t975(120)).isCloseTo(1.9799, org.assertj.core.data.Offset.offset(2e-4));
        assertThatThrownBy(() -> ComparisonReport.t975(0)).hasMessageContaining("degrees of freedom must be >= 1");
        // the committed CamVid gaps to random at 8%: mean 2.52, sd 0.75, t 4.303 on 2 degrees of freedom -> ± 1.87
        assertThat(ComparisonReport.intervalText(List.of(2.17, 3.38, 2.00), 3, "%+.2f", ""))
                .isEqualTo("; 95% interval of the mean over the seeds +0.65 to +4.39, it holds +3.00: 3 seeds cannot settle it");
        assertThat(ComparisonReport.intervalText(List.of(4.0, 4.5, 5.0), 3, "%+.2f", "")).endsWith("wholly at or above +3.00: the seeds settle it");
        assertThat(ComparisonReport.intervalText(List.of(1.0, 1.2), 3, "%+.2f", "")).endsWith("wholly below +3.00: the seeds settle it");
        assertThat(ComparisonReport.intervalText(List.of(9.0), 3, "%+.2f", "")).isEmpty();
    }

    @Test
    void theScheduleReferenceTrainsTheRoundsTheArmsTrain() {
        var al = dev.semiactive.config.AlConfig.defaults();
        assertThat(ScheduleReference.schedulePercents(al)).containsExactly(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0);
        var uneven = new dev.semiactive.config.AlConfig(al.region(), al.cell(), al.strategy(), al.oracle(), al.oracleMode(), 0.01, 0.01, 0.025, null, 0, 0, 0, 0);
        assertThat(ScheduleReference.schedulePercents(uneven)).containsExactly(1.0, 2.0, 2.5);
        // round 0 larger than a round: round r trains on initial + (r - 1) x round, not r x round, nor the two swapped
        var bigStart = new dev.semiactive.config.AlConfig(al.region(), al.cell(), al.strategy(), al.oracle(), al.oracleMode(), 0.02, 0.01, 0.05, null, 0, 0, 0, 0);
        assertThat(ScheduleReference.schedulePercents(bigStart)).containsExactly(2.0, 3.0, 4.0, 5.0);
        var capped = new dev.semiactive.config.AlConfig(al.region(), al.cell(), al.strategy(), al.oracle(), al.oracleMode(), 0.01, 0.01, 0.08, 2, 0, 0, 0, 0);
        assertThat(ScheduleReference.schedulePercents(capped)).containsExactly(1.0, 2.0);
        var still = new dev.semiactive.config.AlConfig(al.region(), al.cell(), al.strategy(), al.oracle(), al.oracleMode(), 0.01, 0.0, 0.08, null, 0, 0, 0, 0);
        assertThat(ScheduleReference.schedulePercents(still)).containsExactly(1.0);
        var none = new dev.semiactive.config.AlConfig(al.region(), al.cell(), al.strategy(), al.oracle(), al.oracleMode(), 0.01, 0.01, 0.08, 0, 0, 0, 0, 0);
        assertThat(ScheduleReference.schedulePercents(none)).isEmpty();
    }

    @Test
    void finishedArmsAreReusedAndKeptResultsServeAnotherMachine(@TempDir Path dir) throws Exception {
        Path preset = preset(dir);
        Path kept = dir.resolve("kept");
        FakeExperiments fake = new FakeExperiments();
        fake.finish = true;
        List<ComparisonArm> arms = List.of(ComparisonArm.RANDOM, ComparisonArm.TSF_PLAR);
        // first machine: runs both arms, copies their small files and the table into the results folder
        Comparison.builder().setConfigFile(preset).optOverrides(List.of("run.output_dir=" + dir.resolve("runs-a"))).optArms(arms)
                .optResults(kept).optRunner(fake).build().run();
        assertThat(fake.ran).hasSize(2);
        for (String f : List.of("config.yaml", ExperimentReport.ROUNDS_JSON, Experiment.FINISHED))
            assertThat(kept.resolve("tsf-plar-s7").resolve(f)).isRegularFile();
        assertThat(kept.resolve(ComparisonReport.FILE)).isRegularFile();
        assertThat(Comparison.roundMetrics(kept.resolve("tsf-plar-s7"), 1)).isRegularFile();
        // finished in its own folder: not run again
        Comparison.builder().setConfigFile(preset).optOverrides(List.of("run.output_dir=" + dir.resolve("runs-a"))).optArms(arms)
                .optRunner(fake).build().run();
        assertThat(fake.ran).hasSize(2);
        // another machine (another run folder, nothing in it): both arms come from the results folder
        Comparison.Result r = Comparison.builder().setConfigFile(preset).optOverrides(List.of("run.output_dir=" + dir.resolve("runs-b")))
                .optArms(arms).optResults(kept).optRunner(fake).build().run();
        assertThat(fake.ran).hasSize(2);
        assertThat(r.arms()).extracting(Comparison.ArmResult::dir).containsExactly(kept.resolve("random-s7"), kept.resolve("tsf-plar-s7"));
        assertThat(Files.readString(r.report())).contains("| tsf-plar | tsf-plar + tsf training | 37.00 |")
                // diagnostics of round 1 (1.0%): PLAR accuracy from rounds.json, S-F disagreement and reliable share from the kept log
                .contains("| tsf-plar | 1.0 | - | - | 80.0 | - | - | - | 15.0 | 60.0 | - |")
                // at 3.0% round 3 stands for the run (PLAR accuracy 80%), not the top-up round after it (no PLAR figures)
                .contains("| tsf-plar | 3.0 | - | - | 80.0 | - | - | - | - | - | - |");
        // a table of a subset under a name of its own: the full table kept beside the same arms stays as it was
        String table = Files.readString(kept.resolve(ComparisonReport.FILE));
        Comparison.Result screen = Comparison.builder().setConfigFile(preset).optOverrides(List.of("run.output_dir=" + dir.resolve("runs-b")))
                .optArms(List.of(ComparisonArm.TSF_PLAR)).optResults(kept).optRunner(fake).optReportName("screen-1").build().run();
        assertThat(screen.report().getFileName().toString()).isEqualTo("screen-1.md");
        for (String f : List.of("screen-1.md", "screen-1.png", "screen-1.json")) assertThat(kept.resolve(f)).isRegularFile();
        assertThat(Files.readString(kept.resolve("screen-1.md"))).contains("(screen-1.png)").doesNotContain("| random |");
        assertThat(Files.readString(kept.resolve(ComparisonReport.FILE))).isEqualTo(table);
        for (String bad : List.of("", "../up", "a b", "-x"))
            assertThatThrownBy(() -> Comparison.builder().setConfigFile(preset).optReportName(bad).build())
                    .isInstanceOf(ConfigException.class).hasMessageStartingWith("--report-name '" + bad + "': a report's name is letters");
        // every arm ran under train.round_streams (the preset's): no replay to warn of; an arm without it is named
        assertThat(Files.readString(r.report())).doesNotContain("train.round_streams");
        Files.writeString(kept.resolve("random-s7/config.yaml"), Files.readString(kept.resolve("random-s7/config.yaml"))
                .replace("round_streams: true", "round_streams: false"));
        assertThat(ComparisonReport.replayLine(r.arms())).hasValueSatisfying(line -> assertThat(line)
                .startsWith("trained without `train.round_streams` (every round under its seed's streams): random s7. A round on the same"));
        Files.writeString(kept.resolve("random-s7/config.yaml"), Files.readString(kept.resolve("random-s7/config.yaml"))
                .replace("round_streams: false", "round_streams: true"));
        // other settings: the kept arm is not reused; the arm runs and its result replaces the kept one
        Comparison.builder().setConfigFile(preset).optOverrides(List.of("run.output_dir=" + dir.resolve("runs-b"), "train.steps=9"))
                .optArms(List.of(ComparisonArm.RANDOM)).optResults(kept).optRunner(fake).build().run();
        assertThat(fake.ran).hasSize(3);
        assertThat(Files.readString(kept.resolve("random-s7/config.yaml"))).contains("steps: 9");
    }

    @Test
    void aKeptFullReferenceIsReusedOnlyForTheSameConfig(@TempDir Path dir) throws Exception {
        Path kept = Files.createDirectories(dir.resolve("kept"));
        Path fullConfig = dir.resolve("full.yaml");
        String full = """
                run: {name: cmp-full, seed: 7, output_dir: %s}
                data: {format: synthetic, train_split: train, val_split: val, synthetic: {images: 4, width: 32, height: 32, classes: 3}}
                model: {backbone: tiny}
                train: {method: supervised, steps: 3000, batch_size: 2}
                """;
        Files.writeString(fullConfig, full.formatted(dir.resolve("never-trained")));
        // the kept reference was made from the same config somewhere else
        Files.writeString(kept.resolve(Comparison.FULL_CONFIG), full.formatted("/elsewhere/cmp-full"));
        Json.writeAtomically(kept.resolve(Comparison.FULL_JSON), Map.of("checkpoint", "/elsewhere/cmp-full/checkpoints/latest",
                "miou", 0.40, "steps", 3000, "note", "measured on another machine"));
        Comparison.Result r = Comparison.builder().setConfigFile(preset(dir)).optOverrides(List.of("run.output_dir=" + dir.resolve("out")))
                .optArms(List.of(ComparisonArm.FULL, ComparisonArm.TSF_PLAR)).optFullReference(fullConfig).optResults(kept)
                .optRunner(new FakeExperiments()).build().run();
        assertThat(r.full().miou()).isEqualTo(0.40);
        assertThat(Files.readString(r.report())).contains("| full | 100% of labels, supervised | 40.00 |")
                .contains("val mIoU 40.00% (measured on another machine)");
        assertThat(dir.resolve("never-trained")).doesNotExist();
        assertThat(r.dir().resolve(Comparison.FULL_JSON)).isRegularFile();
    }

    /** Stands in for the last round trained again: retrain.json where the real one writes it, the tsf-plar arms 2 points lower. */
    private static final class FakeRetraining implements Comparison.RetrainRunner {
        final List<String> ran = new ArrayList<>();
        /** The --retrain-set settings the comparison runs with: where it looks for the figures. */
        List<String> settings = List.of();

        @Override
        public void run(ComparisonArm arm, SemiactiveConfig c, long trainingSeed) {
            ran.add(arm + " " + c.run().seed() + " " + trainingSeed);
            Path dir = c.run().resolvedOutputDir();
            double own = Comparison.readRounds(dir).get(3).get("mIoU").asDouble();
            double miou = own - (arm == ComparisonArm.TSF_PLAR ? 0.02 : 0) + 0.01 * Math.floorMod(trainingSeed - 1001, 1000);
            Json.writeAtomically(LastRoundRetraining.runDir(dir, 3, trainingSeed, settings).resolve(LastRoundRetraining.FILE),
                    Map.of("round", 3, "training_seed", trainingSeed, "mIoU", miou, "arm_finished_at", LastRoundRetraining.finishedAt(dir)));
        }
    }

    @Test
    void retrainingsUnderChangedSettingsLeaveTheArmsOwnTrainingOutOfTheMean(@TempDir Path dir) throws Exception {
        FakeExperiments fake = new FakeExperiments();
        fake.finish = true;
        FakeRetraining retrain = new FakeRetraining();
        retrain.settings = List.of("train.steps=9");
        // the comparison's own seed is a training seed like another once the settings change
        Comparison.Result r = Comparison.builder().setConfigFile(preset(dir)).optOverrides(List.of("run.output_dir=" + dir.resolve("runs")))
                .optArms(List.of(ComparisonArm.RANDOM, ComparisonArm.TSF_PLAR)).optRunner(fake).optRetrainSeeds(List.of(1001L, 7L))
                .optRetrainSettings(List.of("train.steps=9")).optRetrainRunner(retrain).build().run();
        assertThat(retrain.ran).containsExactly("random 7 1001", "random 7 7", "tsf-plar 7 1001", "tsf-plar 7 7");
        // own 41 and 36; retrained 39, 45 and 36, 42: means over the two retrainings alone
        assertThat(Files.readString(r.report())).contains("`run.seed` = 1001, 7 and `train.steps=9`:")
                .contains("left out of the mean")
                .contains("| tsf-plar | 7 | 3 | 41.00 | 39.00 | 45.00 | 42.00 ± 4.24 (2) |\n")
                .contains("| random | 7 | 3 | 36.00 | 36.00 | 42.00 | 39.00 ± 4.24 (2) |\n")
                .contains("- tsf-plar vs random: seed 7 +3.00 (standard error 4.24 from the trainings' spread; one training each: +5.00)\n");
        assertThat(LastRoundRetraining.runDir(dir.resolve("runs/random-s7"), 3, 7, List.of("train.steps=9")).resolve(LastRoundRetraining.FILE))
                .isRegularFile();
        // one retraining under changed settings: a mean of one, no standard error
        Comparison.Result one = Comparison.builder().setConfigFile(preset(dir)).optOverrides(List.of("run.output_dir=" + dir.resolve("runs")))
                .optArms(List.of(ComparisonArm.RANDOM, ComparisonArm.TSF_PLAR)).optRunner(fake).optRetrainSeeds(List.of(1001L))
                .optRetrainSettings(List.of("train.steps=9")).optRetrainRunner(retrain).build().run();
        assertThat(Files.readString(one.report())).contains("| random | 7 | 3 | 36.00 | 36.00 | 36.00 (1) |\n")
                .contains("- tsf-plar vs random: seed 7 +3.00 (no standard error: one training on a side; one training each: +5.00)\n");
        // a bad value is refused before anything runs, not inside the first retraining
        FakeExperiments never = new FakeExperiments();
        assertThatThrownBy(() -> Comparison.builder().setConfigFile(preset(dir)).optOverrides(List.of("run.output_dir=" + dir.resolve("runs-e")))
                .optArms(List.of(ComparisonArm.RANDOM)).optRunner(never).optRetrainSeeds(List.of(1001L)).optRetrainSettings(List.of("train.steps=-1"))
                .build().run())
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("--retrain-set train.steps=-1: ").hasMessageContaining("train.steps");
        assertThat(never.ran).isEmpty();
        assertThatThrownBy(() -> Comparison.builder().setConfigFile(preset(dir)).optArms(List.of(ComparisonArm.RANDOM))
                .optRetrainSettings(List.of("train.steps=9")).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("without --retrain-seeds retrains nothing");
        assertThatThrownBy(() -> Comparison.builder().setConfigFile(preset(dir)).optArms(List.of(ComparisonArm.RANDOM))
                .optRetrainSeeds(List.of(1001L)).optRetrainSettings(List.of("data.root=elsewhere")).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("changes only the round's training");
    }

    @Test
    void lastRoundsTrainedAgainAreAveragedWithTheArmsOwnAndKeptForAnotherMachine(@TempDir Path dir) throws Exception {
        Path preset = preset(dir);
        Path kept = dir.resolve("kept");
        FakeExperiments fake = new FakeExperiments();
        fake.finish = true;
        FakeRetraining retrain = new FakeRetraining();
        List<ComparisonArm> arms = List.of(ComparisonArm.RANDOM, ComparisonArm.TSF_PLAR);
        Comparison.Result r = Comparison.builder().setConfigFile(preset).optOverrides(List.of("run.output_dir=" + dir.resolve("runs-a")))
                .optArms(arms).optResults(kept).optRunner(fake).optRetrainSeeds(List.of(1001L, 1002L)).optRetrainRunner(retrain).build().run();
        assertThat(retrain.ran).containsExactly("random 7 1001", "random 7 1002", "tsf-plar 7 1001", "tsf-plar 7 1002");
        assertThat(r.arms().get(1).retrained()).containsOnlyKeys(1001L, 1002L);
        String md = Files.readString(r.report());
        // own 41 (tsf-plar) and 36 (random) at round 3; retrained 39, 40 and 36, 37
        assertThat(md).contains("## The last round trained again under other training seeds")
                .contains("`run.seed` = 1001, 1002:")
                .contains("| method | seed | round | own | t1001 | t1002 | mean ± sd (trainings) |\n")
                .contains("| random | 7 | 3 | 36.00 | 36.00 | 37.00 | 36.33 ± 0.58 (3) |\n")
                .contains("| tsf-plar | 7 | 3 | 41.00 | 39.00 | 40.00 | 40.00 ± 1.00 (3) |\n")
                .contains("- tsf-plar vs random: seed 7 +3.67 (standard error 0.67 from the trainings' spread; one training each: +5.00)\n")
                .doesNotContain("Not trained again");
        assertThat(Json.MAPPER.readTree(r.dir().resolve(ComparisonReport.JSON).toFile()).at("/last_round_retrained/tsf-plar/7/mean").asDouble())
                .isCloseTo(0.40, org.assertj.core.data.Offset.offset(1e-9));
        Path keptFile = LastRoundRetraining.runDir(kept.resolve("tsf-plar-s7"), 3, 1002).resolve(LastRoundRetraining.FILE);
        assertThat(keptFile).isRegularFile();
        assertThat(Files.readString(kept.resolve(ComparisonReport.FILE))).isEqualTo(md);

        // done where the arms ran: read, not trained again
        Comparison.builder().setConfigFile(preset).optOverrides(List.of("run.output_dir=" + dir.resolve("runs-a"))).optArms(arms)
                .optRunner(fake).optRetrainSeeds(List.of(1001L, 1002L)).optRetrainRunner(retrain).build().run();
        assertThat(retrain.ran).hasSize(4);

        // another machine: arms and retrainings from the kept copies; a third training seed cannot train without the models
        Comparison.Result b = Comparison.builder().setConfigFile(preset).optOverrides(List.of("run.output_dir=" + dir.resolve("runs-b")))
                .optArms(arms).optResults(kept).optRunner(fake).optRetrainSeeds(List.of(1001L, 1002L, 1003L)).optRetrainRunner(retrain)
                .build().run();
        assertThat(fake.ran).hasSize(2);
        assertThat(retrain.ran).hasSize(4);
        assertThat(Files.readString(b.report())).contains("| tsf-plar | 7 | 3 | 41.00 | 39.00 | 40.00 | - | 40.00 ± 1.00 (3) |\n")
                .contains("Not trained again under 1003 (its models are not where this comparison ran, or --report-only): every arm of seed 7.\n");

        // two seeds, retrained by a comparison without --results, then kept by one with it
        Path runsC = dir.resolve("runs-c");
        Comparison.builder().setConfigFile(preset).optOverrides(List.of("run.output_dir=" + runsC)).optArms(arms).optSeeds(List.of(7L, 8L))
                .optRunner(fake).optRetrainSeeds(List.of(1001L, 1002L)).optRetrainRunner(retrain).build().run();
        assertThat(retrain.ran).hasSize(12);
        Path kept2 = dir.resolve("kept2");
        Comparison.Result c = Comparison.builder().setConfigFile(preset).optOverrides(List.of("run.output_dir=" + runsC)).optArms(arms)
                .optSeeds(List.of(7L, 8L)).optResults(kept2).optRunner(fake).optRetrainSeeds(List.of(1001L, 1002L)).optRetrainRunner(retrain)
                .build().run();
        assertThat(retrain.ran).hasSize(12);
        assertThat(LastRoundRetraining.read(kept2.resolve("random-s8"), 1002)).isPresent();
        assertThat(Files.readString(c.report())).contains("- tsf-plar vs random: seed 7 +3.67 (standard error 0.67 from the trainings' "
                + "spread; one training each: +5.00); seed 8 +3.67 (standard error 0.67 from the trainings' spread; one training each: +5.00); "
                + "over the 2 seeds +3.67 ± 0.00; 95% interval of the mean over the seeds +3.67 to +3.67, wholly at or above +3.00: the seeds settle it\n");
        // the arm run again here (another finished_at): the kept retrainings are of the run before; where the arm ran only its own
        // count (trained again), and on a machine with the kept copy alone a retraining made for another run is not read
        Json.writeAtomically(runsC.resolve("random-s7").resolve(Experiment.FINISHED), Map.of("last_round", 3, "finished_at", "2026-12-05T01:00:00Z"));
        Comparison.builder().setConfigFile(preset).optOverrides(List.of("run.output_dir=" + runsC)).optArms(List.of(ComparisonArm.RANDOM))
                .optResults(kept2).optRunner(fake).optRetrainSeeds(List.of(1001L)).optRetrainRunner(retrain).build().run();
        assertThat(retrain.ran).hasSize(13).last().isEqualTo("random 7 1001");
        Json.writeAtomically(kept2.resolve("random-s7").resolve(Experiment.FINISHED), Map.of("last_round", 3, "finished_at", "2026-12-05T02:00:00Z"));
        String elsewhere = Files.readString(Comparison.builder().setConfigFile(preset).optOverrides(List.of("run.output_dir=" + dir.resolve("runs-d")))
                .optArms(List.of(ComparisonArm.RANDOM)).optResults(kept2).optRunner(fake).optRetrainSeeds(List.of(1001L)).optRetrainRunner(retrain)
                .build().run().report());
        assertThat(retrain.ran).hasSize(13);
        assertThat(elsewhere).contains("Not trained again under 1001 (its models are not where this comparison ran, or --report-only): every arm of seed 7.\n");
    }

    @Test
    void armsNotTrainedAgainAreNamedByWholeSeedWhereTheyCan() {
        var n = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        Map<Integer, Map<String, com.fasterxml.jackson.databind.JsonNode>> rounds = Map.of(3, Map.of("train_labelled_percent", n.numberNode(3.0),
                "mIoU", n.numberNode(0.36)));
        Map<Long, Map<String, com.fasterxml.jackson.databind.JsonNode>> once = Map.of(1001L, Map.of("round", n.numberNode(3), "mIoU", n.numberNode(0.34)));
        List<Comparison.ArmResult> results = List.of(
                new Comparison.ArmResult(ComparisonArm.RANDOM, 7, Path.of("r7"), rounds),
                new Comparison.ArmResult(ComparisonArm.TSF_PLAR, 7, Path.of("t7"), rounds),
                new Comparison.ArmResult(ComparisonArm.RANDOM, 8, Path.of("r8"), rounds, once),
                new Comparison.ArmResult(ComparisonArm.TSF_PLAR, 8, Path.of("t8"), rounds));
        StringBuilder md = new StringBuilder();
        // these arms have no config.yaml that says train.round_streams: their own last round may have replayed the round
        // before's batches, so it is shown in brackets and left out of the mean
        ComparisonReport.retrainedTable(md, results, new LastRoundRetraining.Plan(List.of(1001L), List.of()));
        assertThat(md.toString()).contains("| random | 8 | 3 | (36.00) | 34.00 | 34.00 (1) |\n")
                .contains("An own figure in brackets is left out of the mean: its arm ran without `train.round_streams`")
                .contains("Not trained again under 1001 (its models are not where this comparison ran, or --report-only): every arm of seed 7; "
                        + "tsf-plar of seed 8.\n")
                // seed 8's random is its retraining (34.00), the rest one training each (36.00): tsf-plar +0.00 (7) and +2.00 (8)
                .contains("Over the seeds, each seed's figure its mean over its trainings where it was trained again and its one training "
                        + "elsewhere (the last round):\n\n- tsf-plar vs random: +1.00 over seeds +0.00 (7) +2.00 (8); 95% interval");
    }

    @Test
    void theOwnLastRoundCountsInTheMeanOnlyWhereTheArmRanUnderRoundStreams(@TempDir Path dir) throws Exception {
        var n = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        Map<Integer, Map<String, com.fasterxml.jackson.databind.JsonNode>> rounds = Map.of(3, Map.of("train_labelled_percent", n.numberNode(3.0),
                "mIoU", n.numberNode(0.40)));
        Map<Long, Map<String, com.fasterxml.jackson.databind.JsonNode>> again = Map.of(1001L, Map.of("round", n.numberNode(3), "mIoU", n.numberNode(0.30)),
                1002L, Map.of("round", n.numberNode(3), "mIoU", n.numberNode(0.32)));
        Path streams = Files.createDirectories(dir.resolve("streams")), replay = Files.createDirectories(dir.resolve("replay"));
        Files.writeString(streams.resolve("config.yaml"), PRESET);
        Files.writeString(replay.resolve("config.yaml"), PRESET.replace(", round_streams: true", ""));
        assertThat(ComparisonReport.streams(streams)).isEqualTo(ComparisonReport.Streams.ROUND);
        assertThat(ComparisonReport.streams(replay)).isEqualTo(ComparisonReport.Streams.RUN);
        assertThat(ComparisonReport.streams(dir.resolve("absent"))).isEqualTo(ComparisonReport.Streams.RUN);
        List<Comparison.ArmResult> results = List.of(new Comparison.ArmResult(ComparisonArm.TSF_PLAR, 7, streams, rounds, again),
                new Comparison.ArmResult(ComparisonArm.RANDOM, 7, replay, rounds, again));
        StringBuilder md = new StringBuilder();
        var json = ComparisonReport.retrainedTable(md, results, new LastRoundRetraining.Plan(List.of(1001L, 1002L), List.of()));
        assertThat(md.toString()).contains("| tsf-plar | 7 | 3 | 40.00 | 30.00 | 32.00 | 34.00 ± 5.29 (3) |\n")
                .contains("| random | 7 | 3 | (40.00) | 30.00 | 32.00 | 31.00 ± 1.41 (2) |\n")
                .contains("- tsf-plar vs random: seed 7 +3.00 (");
        assertThat(((Map<?, ?>) ((Map<?, ?>) json.get("random")).get("7")).get("own_in_mean")).isEqualTo(false);
        // without the option, a last round on more images than the round before shuffled another list: nothing replayed, it counts
        Map<Integer, Map<String, com.fasterxml.jackson.databind.JsonNode>> grew = Map.of(
                2, Map.of("train_labelled_percent", n.numberNode(2.0), "mIoU", n.numberNode(0.35), "train_labelled_images", n.numberNode(9)),
                3, Map.of("train_labelled_percent", n.numberNode(3.0), "mIoU", n.numberNode(0.40), "train_labelled_images", n.numberNode(11)));
        Map<Integer, Map<String, com.fasterxml.jackson.databind.JsonNode>> same = Map.of(
                2, Map.of("train_labelled_percent", n.numberNode(2.0), "mIoU", n.numberNode(0.35), "train_labelled_images", n.numberNode(11)),
                3, Map.of("train_labelled_percent", n.numberNode(3.0), "mIoU", n.numberNode(0.40), "train_labelled_images", n.numberNode(11)));
        StringBuilder byImages = new StringBuilder();
        ComparisonReport.retrainedTable(byImages, List.of(new Comparison.ArmResult(ComparisonArm.ENTROPY, 7, replay, grew, again),
                new Comparison.ArmResult(ComparisonArm.RANDOM, 7, replay, same, again)), new LastRoundRetraining.Plan(List.of(1001L, 1002L), List.of()));
        assertThat(byImages.toString()).contains("| entropy | 7 | 3 | 40.00 | 30.00 | 32.00 | 34.00 ± 5.29 (3) |\n")
                .contains("| random | 7 | 3 | (40.00) | 30.00 | 32.00 | 31.00 ± 1.41 (2) |\n");
        // keyed by image, the last round replayed the views of the images it had even where it added images: bracketed
        Path keyed = Files.createDirectories(dir.resolve("keyed"));
        Files.writeString(keyed.resolve("config.yaml"), PRESET.replace("round_streams: true", "image_streams: true"));
        assertThat(ComparisonReport.streams(keyed)).isEqualTo(ComparisonReport.Streams.IMAGE);
        List<Comparison.ArmResult> keyedArms = List.of(new Comparison.ArmResult(ComparisonArm.ENTROPY, 7, keyed, grew, again),
                new Comparison.ArmResult(ComparisonArm.RANDOM, 7, streams, grew, again));
        StringBuilder byKey = new StringBuilder();
        ComparisonReport.retrainedTable(byKey, keyedArms, new LastRoundRetraining.Plan(List.of(1001L, 1002L), List.of()));
        assertThat(byKey.toString()).contains("| entropy | 7 | 3 | (40.00) | 30.00 | 32.00 | 31.00 ± 1.41 (2) |\n")
                .contains("| random | 7 | 3 | 40.00 | 30.00 | 32.00 | 34.00 ± 5.29 (3) |\n")
                .contains("or under `train.image_streams`, so it may have replayed that round's batches or views");
        assertThat(ComparisonReport.replayLine(keyedArms)).hasValue("trained under `train.image_streams`: entropy s7. Each round showed "
                + "the images it had with the views of the round before, whatever its strategy added; a retraining under another seed draws "
                + "new views, so those arms' own last rounds are not counted with their retrainings");
        assertThat(ComparisonReport.replayLine(List.of(keyedArms.get(1)))).isEmpty();
        // retrained under other settings, no own figure counts, and none is bracketed: the text says it is left out
        StringBuilder other = new StringBuilder();
        ComparisonReport.retrainedTable(other, results, new LastRoundRetraining.Plan(List.of(1001L, 1002L), List.of("train.steps=9")));
        assertThat(other.toString()).contains("| tsf-plar | 7 | 3 | 40.00 | 30.00 | 32.00 | 31.00 ± 1.41 (2) |\n")
                .doesNotContain("in brackets");
    }

    @Test
    void retrainSeedsMustBeNewAndEachGivenOnce(@TempDir Path dir) throws Exception {
        Path preset = preset(dir);
        assertThatThrownBy(() -> Comparison.builder().setConfigFile(preset).optArms(List.of(ComparisonArm.RANDOM))
                .optRetrainSeeds(List.of(1001L, 1001L)).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("names a seed twice");
        assertThatThrownBy(() -> Comparison.builder().setConfigFile(preset).optOverrides(List.of("run.output_dir=" + dir.resolve("out")))
                .optArms(List.of(ComparisonArm.RANDOM)).optSeeds(List.of(7L, 8L)).optRetrainSeeds(List.of(8L))
                .optRunner(new FakeExperiments()).build().run())
                .isInstanceOf(ConfigException.class).hasMessageContaining("--retrain-seeds names 8, a seed of the comparison")
                .hasMessageContaining("e.g. 1007");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    /** --report-only: the table from the arms finished (in the run folder or kept); nothing trains, what is not finished is named. */
    @Test
    void reportOnlyWritesTheTableFromWhatIsFinishedAndTrainsNothing(@TempDir Path dir) throws Exception {
        Path preset = preset(dir);
        Path kept = Files.createDirectories(dir.resolve("kept"));
        List<String> out = List.of("run.output_dir=" + dir.resolve("out"));
        FakeExperiments finishing = new FakeExperiments();
        finishing.finish = true;
        // random seed 7 finished in the run folder, tsf-plar seed 7 in another run folder and kept
        Comparison.builder().setConfigFile(preset).optOverrides(out).optArms(List.of(ComparisonArm.RANDOM)).optRunner(finishing).build().run();
        Comparison.builder().setConfigFile(preset).optOverrides(List.of("run.output_dir=" + dir.resolve("elsewhere")))
                .optArms(List.of(ComparisonArm.TSF_PLAR)).optResults(kept).optRunner(finishing).build().run();
        // random seed 8 was killed in its round 3: rounds written, not finished
        Comparison.builder().setConfigFile(preset).optOverrides(out).optArms(List.of(ComparisonArm.RANDOM)).optSeeds(List.of(8L))
                .optRunner(new FakeExperiments()).build().run();
        Path fullConfig = dir.resolve("full.yaml");
        Files.writeString(fullConfig, """
                run: {name: cmp-full, seed: 7, output_dir: %s}
                data: {format: synthetic, train_split: train, val_split: val, synthetic: {images: 4, width: 32, height: 32, classes: 3}}
                model: {backbone: tiny}
                train: {method: supervised, steps: 3000, batch_size: 2}
                """.formatted(dir.resolve("full-never-trained")));

        Comparison.ArmRunner never = (arm, c) -> {
            throw new AssertionError("--report-only trained " + arm + " seed " + c.run().seed());
        };
        Comparison.Result r = Comparison.builder().setConfigFile(preset).optOverrides(out).optSeeds(List.of(7L, 8L))
                .optArms(List.of(ComparisonArm.FULL, ComparisonArm.RANDOM, ComparisonArm.TSF_PLAR)).optFullReference(fullConfig)
                .optResults(kept).optRunner(never).optReportOnly(true).build().run();
        assertThat(r.arms()).extracting(a -> a.arm() + " " + a.seed()).containsExactly("random 7", "tsf-plar 7");
        assertThat(r.full()).isNull();
        assertThat(dir.resolve("full-never-trained")).doesNotExist();
        String md = Files.readString(r.report());
        assertThat(md).contains("- not finished, left out of this table (--report-only): full, random seed 8, tsf-plar seed 8\n");
        assertThat(md).contains("| random | random + supervised training | 32.00 | 34.00 | 36.00 |");   // seed 7 only
        assertThat(md).contains("vs random at 3.0%: +5.00 mIoU points");
        assertThat(Files.readString(kept.resolve(ComparisonReport.FILE))).isEqualTo(md);
        // without the flag the same command trains what is missing
        assertThatThrownBy(() -> Comparison.builder().setConfigFile(preset).optOverrides(out).optSeeds(List.of(7L, 8L))
                .optArms(List.of(ComparisonArm.RANDOM, ComparisonArm.TSF_PLAR)).optResults(kept).optRunner(never).build().run())
                .hasMessageContaining("--report-only trained random seed 8");
    }

    @Test
    void armsOfASeedThatStartedFromDifferentWeightsUnderOneInitAreNamed(@TempDir Path dir) throws Exception {
        FakeExperiments fake = new FakeExperiments();
        fake.finish = true;
        // seed 7: random and tsf-plar from one pretext; seed 8: tsf-plar's pretext was trained again before it ran;
        // s4al recorded no hash (an arm from before manifests had one) and counts for neither
        fake.initHashes.put("random", "a".repeat(64));
        fake.initHashes.put("tsf-plar", "a".repeat(64));
        compare(dir, "out", fake, List.of(7L), ComparisonArm.RANDOM, ComparisonArm.TSF_PLAR, ComparisonArm.S4AL);
        fake.initHashes.put("tsf-plar", "b".repeat(64));
        Comparison.Result r = compare(dir, "out", fake, List.of(7L, 8L), ComparisonArm.RANDOM, ComparisonArm.TSF_PLAR, ComparisonArm.S4AL);
        String md = Files.readString(r.report());
        assertThat(md).contains("- seed 8 (model.init null): the arms started from different weights under one model.init (manifest initHash: "
                + "random from aaaaaaaaaaaa; tsf-plar from bbbbbbbbbbbb): it was trained again between them, so their gaps include the start\n");
        assertThat(md).doesNotContain("- seed 7 (");

        // a method given another init on purpose (--arm-set) is its own start, not a pretext trained again
        Comparison.Result own = Comparison.builder().setConfigFile(preset(dir)).optOverrides(List.of("run.output_dir=" + dir.resolve("other")))
                .optArms(List.of(ComparisonArm.RANDOM, ComparisonArm.TSF_PLAR)).optSeeds(List.of(8L))
                .optArmOverrides(Map.of(ComparisonArm.TSF_PLAR, List.of("model.init=" + dir.resolve("another-pretext")))).optRunner(fake).build().run();
        assertThat(Files.readString(own.report())).doesNotContain("the arms started from different weights");
    }

    /** A baseline on fewer seeds than the method: the target's gap is over the seeds both have, as the per-seed list. */
    @Test
    void theTargetGapIsPairedWhenABaselineHasFewerSeeds(@TempDir Path dir) throws Exception {
        Path preset = preset(dir);
        List<String> out = List.of("run.output_dir=" + dir.resolve("out"));
        FakeExperiments fake = new FakeExperiments();
        fake.finish = true;
        fake.methodSeedBonus = 0.02;
        Comparison.builder().setConfigFile(preset).optOverrides(out).optArms(List.of(ComparisonArm.TSF_PLAR)).optSeeds(List.of(7L, 8L))
                .optRunner(fake).build().run();
        Comparison.builder().setConfigFile(preset).optOverrides(out).optArms(List.of(ComparisonArm.RANDOM)).optSeeds(List.of(7L))
                .optRunner(fake).build().run();
        Comparison.Result r = Comparison.builder().setConfigFile(preset).optOverrides(out).optSeeds(List.of(7L, 8L))
                .optArms(List.of(ComparisonArm.RANDOM, ComparisonArm.TSF_PLAR)).optRunner(fake).optReportOnly(true).build().run();
        // seed 7: +5; seed 8 has no random: the means of all seeds would say +6.50
        assertThat(Files.readString(r.report())).contains("- tsf-plar vs random at 3.0%: +5.00 mIoU points: target >= +3: **met**\n");
    }

    @Test
    void theFitTableReadsEachRoundsSupervisedLossFromItsLog(@TempDir Path dir) throws Exception {
        var n = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        Map<Integer, Map<String, com.fasterxml.jackson.databind.JsonNode>> rounds = new TreeMap<>();
        for (int r = 1; r <= 2; r++)
            rounds.put(r, Map.of("train_labelled_percent", n.numberNode((double) r), "mIoU", n.numberNode(0.3)));
        // random logs "sup" (two windows, then a validation record without it), tsf-plar "sup_s"; seed 8's random has no log for round 2
        writeLog(Comparison.roundMetrics(dir.resolve("r7"), 1), "{\"kind\":\"train\",\"sup\":1.0}\n{\"kind\":\"train\",\"sup\":0.5}\n{\"kind\":\"val\",\"mIoU\":0.3}");
        writeLog(Comparison.roundMetrics(dir.resolve("r7"), 2), "{\"kind\":\"train\",\"sup\":0.4}");
        writeLog(Comparison.roundMetrics(dir.resolve("r8"), 1), "{\"kind\":\"train\",\"sup\":0.25}");
        writeLog(Comparison.roundMetrics(dir.resolve("t7"), 2), "{\"kind\":\"train\",\"sup_s\":0.9,\"sup_f\":5.0,\"loss\":7.0}");
        List<Comparison.ArmResult> results = List.of(
                new Comparison.ArmResult(ComparisonArm.RANDOM, 7, dir.resolve("r7"), rounds),
                new Comparison.ArmResult(ComparisonArm.TSF_PLAR, 7, dir.resolve("t7"), rounds),
                new Comparison.ArmResult(ComparisonArm.RANDOM, 8, dir.resolve("r8"), rounds));
        StringBuilder md = new StringBuilder();
        ComparisonReport.trainingFitTable(md, results);
        // random at 1%: seeds 7 (0.75) and 8 (0.25) -> 0.500; at 2% only seed 7; tsf-plar has no log for round 1
        assertThat(md.toString()).contains("| method | 1.0% | 2.0% |\n|---|---|---|\n| random | 0.500 | 0.400 |\n| tsf-plar | - | 0.900 |\n");
        // no arm with a log: no table
        StringBuilder none = new StringBuilder();
        ComparisonReport.trainingFitTable(none, List.of(new Comparison.ArmResult(ComparisonArm.RANDOM, 9, dir.resolve("absent"), rounds)));
        assertThat(none.toString()).isEmpty();
    }

    private static void writeLog(Path file, String lines) throws java.io.IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, lines + "\n");
    }
}
