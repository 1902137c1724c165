package dev.semiactive.compare;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semiactive.al.RoundRunner;
import dev.semiactive.config.ConfigException;
import dev.semiactive.config.ConfigWriter;
import dev.semiactive.config.SemiactiveConfig;
import dev.semiactive.pipeline.RunReport;
import dev.semiactive.train.Json;
import dev.semiactive.train.MetricsLog;
import dev.semiactive.train.RunManifest;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The comparison's table, plot and JSON: mIoU (mean and spread over seeds) and % of full at each budget
 * for every method (of the separate {@code full} reference, and of {@code full-schedule}'s model of the same round,
 * paired by seed, which is what the 95% target is checked against when it ran), the SPEC's targets checked at the 8% budget, the gaps to the baselines paired by seed, and
 * PLAR/EMD diagnostics per round.
 * A budget is the share of pool pixels a round's model was trained on ({@code train_labelled_percent}),
 * rounded to 0.1 points so that arms whose last region overshot a round's share by a few pixels line up.
 */
public final class ComparisonReport {
    /** The report's default name ({@code --report-name}): its files are NAME.md, NAME.png and NAME.json. */
    public static final String DEFAULT_NAME = "comparison";
    public static final String FILE = DEFAULT_NAME + ".md";
    public static final String CHART = DEFAULT_NAME + ".png";
    public static final String JSON = DEFAULT_NAME + ".json";

    /** The files of the report named {@code name}: its table, plot and JSON. */
    public static List<String> files(String name) {
        return List.of(name + ".md", name + ".png", name + ".json");
    }

    /** {@code name} when it can name a report's files (letters, digits, '.', '_' and '-'), else a ConfigException. */
    public static String requireName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*"))
            throw new ConfigException("--report-name '" + name + "': a report's name is letters, digits, '.', '_' and '-' (its files are NAME.md, "
                    + "NAME.png and NAME.json), e.g. steps500");
        return name;
    }

    /** SPEC: tsf-plar reaches this share of full at the target budget... */
    public static final double TARGET_SHARE = 0.95;
    /** ...at most this many percent of pixels... */
    public static final double TARGET_BUDGET = 8.0;
    /** ...and beats random, entropy and coreset there by this many mIoU points. */
    public static final double TARGET_MARGIN = 3.0;

    private ComparisonReport() {
    }

    /** mIoU % of one arm over its seeds at one budget. */
    record Cell(double mean, double spread, int seeds) {
        String text() {
            return text("%.2f");
        }

        /** With the mean's sign: a gap. */
        String signedText() {
            return text("%+.2f");
        }

        private String text(String meanFormat) {
            String m = String.format(Locale.ROOT, meanFormat, mean);
            return seeds > 1 ? m + String.format(Locale.ROOT, " ± %.2f", spread) : m;
        }
    }

    /** Per arm and budget, the mIoU % of each seed: {@link #miouBySeed} regrouped by budget. */
    static Map<ComparisonArm, Map<Double, List<Double>>> miouByBudget(Map<ComparisonArm, Map<Long, Map<Double, Double>>> bySeed) {
        Map<ComparisonArm, Map<Double, List<Double>>> out = new LinkedHashMap<>();
        bySeed.forEach((arm, seeds) -> seeds.values().forEach(m -> m.forEach((b, y) ->
                out.computeIfAbsent(arm, a -> new TreeMap<>()).computeIfAbsent(b, k -> new ArrayList<>()).add(y))));
        return out;
    }

    /**
     * The round that stands for a run at each budget: one per budget, the earlier one when two rounds land on the
     * same budget. Experiments made before 2026-12-03 trained one more round to top up the few regions left of
     * al.budget (0.003 points on CamVid); that round's model had 250 more steps than full-schedule's at the same
     * budget, so the earlier round, whose steps full-schedule's round of the same number repeats, is the figure.
     * Only rounds that trained and were evaluated count.
     */
    static TreeMap<Double, Integer> roundPerBudget(Comparison.ArmResult r) {
        TreeMap<Double, Integer> out = new TreeMap<>();
        r.rounds().forEach((round, m) -> {
            // the schedule reference trained on 100%: it stands at the budget whose round of steps it repeated
            Double x = m.containsKey(ScheduleReference.SCHEDULE_PERCENT) ? number(m, ScheduleReference.SCHEDULE_PERCENT)
                    : number(m, "train_labelled_percent");
            if (x != null && number(m, "mIoU") != null) out.merge(budget(x), round, Math::min);
        });
        return out;
    }

    /** The round's metrics that stand for an arm at its highest budget ({@link #roundPerBudget}); empty when none trained. */
    public static java.util.Optional<Map<String, JsonNode>> figureAtLastBudget(Comparison.ArmResult r) {
        return java.util.Optional.ofNullable(roundPerBudget(r).lastEntry()).map(e -> r.rounds().get(e.getValue()));
    }

    static double budget(double percent) {
        return Math.round(percent * 10) / 10.0;
    }

    /**
     * One line per seed and {@code model.init} whose arms started from different weights (their manifests'
     * {@code initHash}) although they name the same init folder: it was trained again between them (a new machine,
     * a pretext re-run), so their gaps mix the strategy with the start. Arms without a recorded hash (run before it
     * was recorded) are not counted; arms given another init on purpose ({@code --arm-set}) are another group.
     */
    static List<String> differentStarts(List<Comparison.ArmResult> results) {
        Map<String, Map<String, List<String>>> byStart = new TreeMap<>();
        for (Comparison.ArmResult r : results) {
            // no manifest (a kept arm from before they were kept), unreadable, or no hash recorded: nothing to compare
            RunManifest manifest = RunManifest.readIfPresent(r.dir()).orElse(null);
            String hash = manifest == null ? null : manifest.initHash();
            if (hash == null) continue;
            String start = "seed " + r.seed() + " (model.init " + manifest.config().path("model").path("init").asText() + ")";
            byStart.computeIfAbsent(start, k -> new TreeMap<>()).computeIfAbsent(hash, k -> new ArrayList<>()).add(r.arm().toString());
        }
        List<String> lines = new ArrayList<>();
        byStart.forEach((start, hashes) -> {
            if (hashes.size() < 2) return;
            List<String> groups = new ArrayList<>();
            hashes.forEach((hash, arms) -> groups.add(String.join(", ", arms) + " from " + hash.substring(0, 12)));
            lines.add(start + ": the arms started from different weights under one model.init (manifest initHash: "
                    + String.join("; ", groups) + "): it was trained again between them, so their gaps include the start");
        });
        return lines;
    }

    /**
     * One line per seed whose arms ran on more than one CPU (the manifest's {@code versions.cpu}, and that of every earlier
     * build of a resumed arm). oneDNN rounds by the CPU's kernels, and on CamVid another CPU alone moved one seeded arm by
     * 6.5 mIoU points at 8% (BENCHMARKS.md, seed 49), more than the gaps the report pairs by seed.
     */
    static List<String> differentCpus(List<Comparison.ArmResult> results) {
        Map<Long, Map<String, List<String>>> bySeed = new TreeMap<>();
        for (Comparison.ArmResult r : results) {
            RunManifest manifest = RunManifest.readIfPresent(r.dir()).orElse(null);
            if (manifest == null) continue;
            // this build and the earlier ones a resume kept: one CPU is named once per arm
            List<RunManifest.Build> builds = new ArrayList<>(List.of(manifest.build()));
            if (manifest.earlier() != null) builds.addAll(manifest.earlier());
            java.util.Set<String> cpus = new java.util.TreeSet<>();
            for (RunManifest.Build b : builds)
                if (b.versions() != null && b.versions().get("cpu") != null) cpus.add(b.versions().get("cpu"));
            for (String cpu : cpus)
                bySeed.computeIfAbsent(r.seed(), k -> new TreeMap<>()).computeIfAbsent(cpu, k -> new ArrayList<>()).add(r.arm().toString());
        }
        List<String> lines = new ArrayList<>();
        bySeed.forEach((seed, cpus) -> {
            if (cpus.size() < 2) return;
            List<String> groups = new ArrayList<>();
            cpus.forEach((cpu, arms) -> groups.add(String.join(", ", arms) + " on " + cpu));
            lines.add("seed " + seed + ": the arms ran on more than one CPU (manifest versions.cpu: " + String.join("; ", groups)
                    + "): another CPU rounds a seeded run differently, so their gaps include the machine");
        });
        return lines;
    }

    /** Student's t at 0.975 for 1 to 30 degrees of freedom (standard table values, to 3 decimals). */
    private static final double[] T_975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
            2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};

    /** The two-sided 95% quantile of Student's t; past the table, its Cornish-Fisher expansion around the normal's 1.96. */
    static double t975(int degreesOfFreedom) {
        if (degreesOfFreedom < 1) throw new IllegalArgumentException("degrees of freedom must be >= 1, got " + degreesOfFreedom);
        if (degreesOfFreedom <= T_975.length) return T_975[degreesOfFreedom - 1];
        double z = 1.959964;
        double v = degreesOfFreedom;
        return z + (z * z * z + z) / (4 * v) + (5 * Math.pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * v * v);
    }

    /**
     * The 95% confidence interval of the mean of paired per-seed figures, and whether it lies wholly on one side of
     * {@code target}. A verdict on the mean of three seeds can turn with one more seed; this says when it cannot.
     * Empty with fewer than two seeds.
     */
    static String intervalText(List<Double> perSeed, double target, String format, String unit) {
        if (perSeed.size() < 2) return "";
        Cell c = cell(perSeed);
        double half = t975(perSeed.size() - 1) * c.spread() / Math.sqrt(perSeed.size());
        String lo = String.format(Locale.ROOT, format, c.mean() - half) + unit;
        String hi = String.format(Locale.ROOT, format, c.mean() + half) + unit;
        String t = String.format(Locale.ROOT, format, target) + unit;
        String reading = c.mean() - half >= target ? "wholly at or above " + t + ": the seeds settle it"
                : c.mean() + half < target ? "wholly below " + t + ": the seeds settle it"
                : "it holds " + t + ": " + perSeed.size() + " seeds cannot settle it";
        return String.format(Locale.ROOT, "; 95%% interval of the mean over the seeds %s to %s, %s", lo, hi, reading);
    }

    static Cell cell(List<Double> values) {
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double sq = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        double sd = values.size() > 1 ? Math.sqrt(sq / (values.size() - 1)) : 0;
        return new Cell(mean, sd, values.size());
    }

    public static Path write(Path dir, SemiactiveConfig preset, List<Long> seeds, List<Comparison.ArmResult> results,
                             Comparison.FullResult full) {
        return write(dir, preset, seeds, results, full, Map.of(), Map.of(), List.of(), LastRoundRetraining.Plan.NONE, DEFAULT_NAME);
    }

    /**
     * As above, for arms some of which had settings of their own: a method's ({@code --arm-set}) or a seed's
     * ({@code --seed-set}), listed under the header; and the arms left out because they had not finished
     * ({@code --report-only}), named there too; with a {@code retraining} plan, the arms' last rounds trained again under it
     * ({@link #retrainedTable}); the files named {@code name} ({@link #files}).
     */
    public static Path write(Path dir, SemiactiveConfig preset, List<Long> seeds, List<Comparison.ArmResult> results,
                             Comparison.FullResult full, Map<ComparisonArm, List<String>> armOverrides,
                             Map<Long, List<String>> seedOverrides, List<String> leftOut, LastRoundRetraining.Plan retraining,
                             String name) {
        List<String> files = files(requireName(name));
        Map<ComparisonArm, Map<Long, Map<Double, Double>>> bySeed = miouBySeed(results);
        Map<ComparisonArm, Map<Double, List<Double>>> byBudget = miouByBudget(bySeed);
        TreeSet<Double> budgets = new TreeSet<>();
        byBudget.values().forEach(m -> budgets.addAll(m.keySet()));
        Double fullMiou = full == null ? null : 100 * full.miou();

        StringBuilder md = new StringBuilder();
        md.append("# Label-efficiency comparison: ").append(preset.run().name()).append("\n\n");
        md.append("- data: ").append(preset.data().format()).append(preset.data().root() == null ? "" : ":" + preset.data().root()).append(", pool ")
                .append(preset.data().trainSplit()).append(", validation ").append(preset.data().valSplit()).append('\n');
        md.append("- model: ").append(preset.model().backbone()).append(" x").append(preset.model().width()).append("; ")
                .append(preset.train().steps()).append(" steps per round (warm start), batch ").append(preset.train().batchSize()).append('\n');
        md.append(String.format(Locale.ROOT, "- active learning: %s regions of %d px; round 0 = %.2f%% random pixels, then %.2f%% per round, up to %.2f%%%n",
                preset.al().region(), preset.al().cell(), 100 * preset.al().initialFraction(), 100 * preset.al().roundFraction(),
                100 * preset.al().budget()));
        if (preset.model().init() != null) md.append("- model.init: ").append(preset.model().init()).append('\n');
        new TreeMap<>(armOverrides).forEach((arm, o) -> md.append("- ").append(arm).append(" only: ").append(String.join(", ", o)).append('\n'));
        new TreeMap<>(seedOverrides).forEach((seed, o) -> md.append("- seed ").append(seed).append(" only: ").append(String.join(", ", o)).append('\n'));
        md.append("- seeds: ").append(seeds).append("; cells are mean ± standard deviation over the seeds that reached that budget\n");
        differentStarts(results).forEach(line -> md.append("- ").append(line).append('\n'));
        differentCpus(results).forEach(line -> md.append("- ").append(line).append('\n'));
        replayLine(results).ifPresent(line -> md.append("- ").append(line).append('\n'));
        if (!leftOut.isEmpty())
            md.append("- not finished, left out of this table (--report-only): ").append(String.join(", ", leftOut)).append('\n');
        if (full != null)
            md.append(String.format(Locale.ROOT, "- full: %s (step %d), val mIoU %.2f%%%s%n", full.checkpoint(), full.steps(), fullMiou,
                    full.note() == null ? "" : " (" + full.note() + ")"));
        else
            md.append("- full: not given (--full), so no % of full\n");
        md.append("\n## Validation mIoU % by share of pool pixels labelled\n\n");
        md.append("![mIoU against labelled pixels](").append(files.get(1)).append(")\n\n");
        md.append("| method | training |");
        for (double b : budgets) md.append(String.format(Locale.ROOT, " %.1f%% |", b));
        md.append(" curve mean |\n|---|---|").append("---|".repeat(budgets.size() + 1)).append('\n');
        if (full != null)
            md.append(String.format(Locale.ROOT, "| full | %s |%s%n", ComparisonArm.FULL.describe(), (" %.2f |".formatted(fullMiou)).repeat(budgets.size() + 1)));
        for (var e : byBudget.entrySet()) {
            md.append("| ").append(e.getKey()).append(" | ").append(e.getKey().describe(armOverrides.getOrDefault(e.getKey(), List.of()))).append(" |");
            for (double b : budgets) {
                List<Double> v = e.getValue().get(b);
                md.append(' ').append(v == null ? "-" : cell(v).text()).append(" |");
            }
            md.append(curveText(e.getValue().values().stream().map(v -> cell(v).mean()).toList(), "%.2f")).append('\n');
        }
        if (full != null) {
            md.append("\n## % of full\n\n| method |");
            for (double b : budgets) md.append(String.format(Locale.ROOT, " %.1f%% |", b));
            md.append(" curve mean |\n|---|").append("---|".repeat(budgets.size() + 1)).append('\n');
            for (var e : byBudget.entrySet()) {
                md.append("| ").append(e.getKey()).append(" |");
                for (double b : budgets) {
                    List<Double> v = e.getValue().get(b);
                    md.append(v == null ? " - |" : String.format(Locale.ROOT, " %.1f |", 100 * cell(v).mean() / fullMiou));
                }
                md.append(curveText(e.getValue().values().stream().map(v -> 100 * cell(v).mean() / fullMiou).toList(), "%.1f")).append('\n');
            }
        }
        boolean schedule = bySeed.containsKey(ComparisonArm.FULL_SCHEDULE);
        if (schedule) {
            md.append("\n## % of full under the same schedule\n\n");
            md.append("Each arm's mIoU over full-schedule's at the same budget (every label, the same rounds of steps: SPEC's "
                    + "\"same model and schedule\"), per seed, then the mean over the seeds both reached it with.\n\n| method |");
            for (double b : budgets) md.append(String.format(Locale.ROOT, " %.1f%% |", b));
            md.append(" curve mean |\n|---|").append("---|".repeat(budgets.size() + 1)).append('\n');
            for (ComparisonArm arm : byBudget.keySet()) {
                if (arm == ComparisonArm.FULL_SCHEDULE) continue;
                md.append("| ").append(arm).append(" |");
                List<Double> means = new ArrayList<>();
                for (double b : budgets) {
                    List<Double> v = new ArrayList<>(scheduleShares(bySeed, arm, b).values());
                    if (!v.isEmpty()) means.add(cell(v).mean());
                    md.append(v.isEmpty() ? " - |" : String.format(Locale.ROOT, " %.1f |", cell(v).mean()));
                }
                md.append(curveText(means, "%.1f")).append('\n');
            }
        }
        md.append("\n## Targets (SPEC)\n\n");
        targets(md, byBudget, bySeed, fullMiou, arm -> ownTraining(arm, preset));
        gaps(md, budgets, bySeed);
        Map<String, Object> retrainedJson = retraining.seeds().isEmpty() ? null : retrainedTable(md, results, retraining);
        diagnosticsTable(md, results, byBudget.keySet());
        trainingFitTable(md, results);
        perClassTable(md, results);
        labelMixTable(md, results);
        md.append("\n## Runs\n\n| method | seed | folder | rounds |\n|---|---|---|---|\n");
        for (Comparison.ArmResult r : results)
            md.append("| ").append(r.arm()).append(" | ").append(r.seed()).append(" | ").append(r.dir()).append(" | ")
                    .append(r.rounds().size()).append(" |\n");

        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new dev.semiactive.SemiactiveException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        writeChart(byBudget, fullMiou, dir.resolve(files.get(1)));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("preset", preset.run().name());
        json.put("seeds", seeds);
        json.put("full_miou", fullMiou == null ? null : fullMiou / 100);
        Map<String, Object> arms = new LinkedHashMap<>();
        byBudget.forEach((arm, m) -> {
            Map<String, Object> a = new LinkedHashMap<>();
            m.forEach((b, v) -> {
                // ordered keys: the same results give the same bytes (Map.of's order changes from one JVM to the next)
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("mean", cell(v).mean() / 100);
                c.put("sd", cell(v).spread() / 100);
                c.put("seeds", v.size());
                // each seed's figure, so a reader can pair seeds or compute their own statistics
                Map<String, Double> perSeed = new LinkedHashMap<>();
                bySeed.getOrDefault(arm, Map.of()).forEach((seed, bySeedBudget) -> {
                    Double y = bySeedBudget.get(b);
                    if (y != null) perSeed.put(Long.toString(seed), y / 100);
                });
                c.put("per_seed", perSeed);
                List<Double> shares = new ArrayList<>(scheduleShares(bySeed, arm, b).values());
                if (arm != ComparisonArm.FULL_SCHEDULE && !shares.isEmpty()) c.put("share_of_full_schedule", cell(shares).mean() / 100);
                a.put(String.format(Locale.ROOT, "%.1f", b), c);
            });
            arms.put(arm.configName(), a);
        });
        json.put("miou_by_budget", arms);
        if (retrainedJson != null) json.put("last_round_retrained", retrainedJson);
        Json.writeAtomically(dir.resolve(files.get(2)), json);
        Path file = dir.resolve(files.get(0));
        byte[] text = md.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Json.writeAtomically(file, out -> out.write(text));
        return file;
    }

    /**
     * A table row's last cell: the mean of the row's per-budget means over the budgets it reached, so the curve's
     * figure comes from the report and not from a reader's own sums; "-" for a row that reached none.
     */
    static String curveText(List<Double> perBudgetMeans, String format) {
        return perBudgetMeans.isEmpty() ? " - |"
                : " " + String.format(Locale.ROOT, format, perBudgetMeans.stream().mapToDouble(Double::doubleValue).average().orElseThrow()) + " |";
    }

    /**
     * A share of full in percent, to one decimal, or to three where one decimal would print the target itself (94.997
     * would read "95.0%" beside "missed").
     */
    static String shareText(double percent) {
        String one = String.format(Locale.ROOT, "%.1f", percent);
        return one.equals(String.format(Locale.ROOT, "%.1f", 100 * TARGET_SHARE)) && percent != 100 * TARGET_SHARE
                ? String.format(Locale.ROOT, "%.3f", percent) : one;
    }

    /** The arm's {@code train.*} settings that the preset (and so full-schedule) does not have. */
    static List<String> ownTraining(ComparisonArm arm, SemiactiveConfig preset) {
        JsonNode tree = ConfigWriter.toTree(preset);
        List<String> own = new ArrayList<>();
        for (String setting : arm.trainingSettings()) {
            String key = setting.substring(0, setting.indexOf('='));
            String value = setting.substring(setting.indexOf('=') + 1);
            JsonNode there = tree.at("/" + key.replace('.', '/'));
            boolean same = there.isNumber() ? there.asDouble() == Double.parseDouble(value) : there.asText().equals(value);
            if (!same) own.add(setting);
        }
        return own;
    }

    /**
     * The method's arms whose targets are checked: every arm trained with TSF (tsf-plar and its variants), in table
     * order; derived, so that a new variant is checked without being listed here.
     */
    static final List<ComparisonArm> CHECKED = java.util.Arrays.stream(ComparisonArm.values()).filter(ComparisonArm::isMethod).toList();

    /**
     * The SPEC's two targets at the largest budget not above 8% that each of {@link #CHECKED} reached. With more
     * than one seed the gap to a baseline is also given per seed: the arms of one seed share round 0's labels and
     * its training, so the per-seed gap is free of the seed-to-seed spread that the means carry.
     */
    static void targets(StringBuilder md, Map<ComparisonArm, Map<Double, List<Double>>> byBudget,
                        Map<ComparisonArm, Map<Long, Map<Double, Double>>> bySeed, Double fullMiou,
                        Function<ComparisonArm, List<String>> ownTraining) {
        boolean any = false;
        // the headroom depends on the baseline and the budget only: said under the first method checked against them
        java.util.Set<String> headroomSaid = new java.util.HashSet<>();
        for (ComparisonArm arm : CHECKED) {
            Map<Double, List<Double>> mineByBudget = byBudget.get(arm);
            if (mineByBudget == null) continue;
            Double at = new TreeMap<>(mineByBudget).floorKey(TARGET_BUDGET);
            if (at == null) continue;
            any = true;
            double mine = cell(mineByBudget.get(at)).mean();
            Map<Long, Double> shares = scheduleShares(bySeed, arm, at);
            if (!shares.isEmpty()) {
                // SPEC: full is "the same model and schedule trained on 100% of the labels"
                double share = cell(new ArrayList<>(shares.values())).mean() / 100;
                // both means over the seeds the share pairs: with full-schedule on fewer seeds, the arm's mean over all of
                // its seeds would sit beside a reference over others
                List<Double> minePaired = new ArrayList<>();
                List<Double> fullPaired = new ArrayList<>();
                for (long seed : shares.keySet()) {
                    minePaired.add(bySeed.get(arm).get(seed).get(at));
                    fullPaired.add(bySeed.get(ComparisonArm.FULL_SCHEDULE).get(seed).get(at));
                }
                String subset = shares.size() < bySeed.get(arm).size()
                        ? (shares.size() == 1 ? " over seed " : " over seeds ") + shares.keySet().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", ")) + ", those full-schedule ran"
                        : "";
                md.append(String.format(Locale.ROOT, "- %s at %.1f%% of pixels: %.2f mIoU = %s%% of full-schedule (%.2f, every label in "
                                + "the same rounds of steps%s): target >= %.0f%%: **%s**", arm, at, cell(minePaired).mean(), shareText(100 * share),
                        cell(fullPaired).mean(), subset, 100 * TARGET_SHARE, share >= TARGET_SHARE ? "met" : "missed"));
                if (shares.size() > 1) {
                    md.append("; per seed");
                    shares.forEach((seed, p) -> md.append(String.format(Locale.ROOT, " %.1f%% (%d)", p, seed)));
                    md.append(intervalText(new ArrayList<>(shares.values()), 100 * TARGET_SHARE, "%.1f", "%"));
                }
                md.append('\n');
                // full-schedule trains with the preset's loss: an arm with its own training settings is not "the same schedule"
                List<String> own = ownTraining.apply(arm);
                if (!own.isEmpty())
                    md.append(String.format(Locale.ROOT, "  (%s trains with %s and full-schedule without: this share compares two "
                            + "training recipes, not only two label sets; run the comparison with the setting in the preset for "
                            + "a full-schedule trained the same way)%n", arm, String.join(", ", own)));
                // a share the baselines reach too says the schedule, not the labels, limits the model
                List<String> theirs = new ArrayList<>();
                for (ComparisonArm base : ComparisonArm.baselines(bySeed.keySet())) {
                    List<Double> b = new ArrayList<>(scheduleShares(bySeed, base, at).values());
                    if (!b.isEmpty()) theirs.add(String.format(Locale.ROOT, "%s %.1f%%", base, cell(b).mean()));
                }
                if (!theirs.isEmpty())
                    md.append(String.format(Locale.ROOT, "  (the baselines at %.1f%%: %s of full-schedule)%n", at, String.join(", ", theirs)));
            }
            if (fullMiou != null) {
                // the separate reference too: where the two verdicts differ, the difference is training, not labels
                double share = mine / fullMiou;
                md.append(String.format(Locale.ROOT, "- %s at %.1f%% of pixels: %.2f mIoU = %.1f%% of full (%.2f%s): target >= %.0f%%: **%s**%n",
                        arm, at, mine, 100 * share, fullMiou, shares.isEmpty() ? "" : ", its own schedule", 100 * TARGET_SHARE,
                        share >= TARGET_SHARE ? "met" : "missed"));
            } else if (shares.isEmpty()) md.append("- ").append(arm).append(" >= 95% of full: not checked (no full reference)\n");
            for (ComparisonArm base : ComparisonArm.baselines(byBudget.keySet())) {
                Map<Double, List<Double>> b = byBudget.get(base);
                List<Double> v = b == null ? null : b.get(at);
                if (v == null) {
                    md.append("- ").append(arm).append(" vs ").append(base).append(": not checked (no result at ").append(at).append("%)\n");
                    continue;
                }
                // paired by seed when both have seeds in common: with a baseline on fewer seeds (--report-only while arms
                // run), a difference of means would compare different seeds
                Map<Long, Double> perSeed = pairedGaps(bySeed, arm, base, at);
                double gap = perSeed.isEmpty() ? mine - cell(v).mean() : cell(new ArrayList<>(perSeed.values())).mean();
                md.append(String.format(Locale.ROOT, "- %s vs %s at %.1f%%: %+.2f mIoU points: target >= +%.0f: **%s**", arm, base, at, gap,
                        TARGET_MARGIN, gap >= TARGET_MARGIN ? "met" : "missed"));
                if (perSeed.size() > 1) {
                    md.append("; per seed");
                    perSeed.forEach((seed, g) -> md.append(String.format(Locale.ROOT, " %+.2f (%d)", g, seed)));
                    md.append(intervalText(new ArrayList<>(perSeed.values()), TARGET_MARGIN, "%+.2f", ""));
                }
                md.append('\n');
                if (headroomSaid.add(base + "@" + at)) headroom(bySeed, base, at).ifPresent(md::append);
            }
        }
        if (!any) md.append("- not checked: no ").append(ComparisonArm.TSF_PLAR).append(" result at or below ").append(TARGET_BUDGET).append("% yet\n");
    }

    /**
     * What every label gives over {@code base} in the same training (full-schedule's paired gap at {@code at} and over
     * the curve), as a line under a target: a gap the strategy is asked for that every label does not reach says the
     * training, not the choice of labels, limits the model (Dubai, BENCHMARKS.md); no gain at all says every label does no
     * better than the baseline's, so choosing labels alone cannot beat it. Empty without full-schedule.
     */
    static java.util.Optional<String> headroom(Map<ComparisonArm, Map<Long, Map<Double, Double>>> bySeed, ComparisonArm base, double at) {
        if (base == ComparisonArm.FULL_SCHEDULE) return java.util.Optional.empty();
        List<Double> now = new ArrayList<>(pairedGaps(bySeed, ComparisonArm.FULL_SCHEDULE, base, at).values());
        java.util.OptionalDouble curve = curveGap(bySeed, ComparisonArm.FULL_SCHEDULE, base);
        if (now.isEmpty() || curve.isEmpty()) return java.util.Optional.empty();
        double room = curve.getAsDouble();
        // no room at all reads differently from too little: then every label does no better than the baseline's labels
        String reading = room <= 0
                ? String.format(Locale.ROOT, "; not above 0 over the curve: every label in the same training does no better than %s's labels, "
                        + "so a gain over %s here cannot come from choosing labels alone: it needs a better training", base, base)
                : room < TARGET_MARGIN
                ? String.format(Locale.ROOT, "; below +%.0f over the curve: every label in the same training gains less than the target asks of "
                        + "the choice of labels, so the schedule, not the labels, limits the model here", TARGET_MARGIN)
                : "";
        return java.util.Optional.of(String.format(Locale.ROOT, "  (headroom: full-schedule is %+.2f over %s at %.1f%% and %+.2f over the curve%s)%n",
                cell(now).mean(), base, at, room, reading));
    }

    /**
     * {@code arm} minus {@code base} over the curve: the mean, over the budgets both reached on some seed, of the
     * per-budget mean of the gaps paired by seed (the gaps table's last column).
     */
    static java.util.OptionalDouble curveGap(Map<ComparisonArm, Map<Long, Map<Double, Double>>> bySeed, ComparisonArm arm, ComparisonArm base) {
        TreeSet<Double> budgets = new TreeSet<>();
        bySeed.getOrDefault(arm, Map.of()).values().forEach(m -> budgets.addAll(m.keySet()));
        return budgets.stream().map(b -> new ArrayList<>(pairedGaps(bySeed, arm, base, b).values())).filter(g -> !g.isEmpty())
                .mapToDouble(g -> cell(g).mean()).average();
    }

    /** Per arm and seed, the mIoU % at each budget (the round {@link #roundPerBudget} picks). */
    static Map<ComparisonArm, Map<Long, Map<Double, Double>>> miouBySeed(List<Comparison.ArmResult> results) {
        Map<ComparisonArm, Map<Long, Map<Double, Double>>> out = new LinkedHashMap<>();
        for (Comparison.ArmResult r : results)
            roundPerBudget(r).forEach((b, round) -> {
                Double y = number(r.rounds().get(round), "mIoU");
                if (y != null) out.computeIfAbsent(r.arm(), a -> new TreeMap<>()).computeIfAbsent(r.seed(), k -> new TreeMap<>()).put(b, 100 * y);
            });
        return out;
    }

    /** {@code arm} minus {@code base} at one budget, for each seed both reached it with. */
    static Map<Long, Double> pairedGaps(Map<ComparisonArm, Map<Long, Map<Double, Double>>> bySeed, ComparisonArm arm,
                                        ComparisonArm base, double budget) {
        Map<Long, Double> out = new TreeMap<>();
        Map<Long, Map<Double, Double>> mine = bySeed.getOrDefault(arm, Map.of());
        Map<Long, Map<Double, Double>> theirs = bySeed.getOrDefault(base, Map.of());
        mine.forEach((seed, m) -> {
            Double a = m.get(budget);
            Double b = theirs.getOrDefault(seed, Map.of()).get(budget);
            if (a != null && b != null) out.put(seed, a - b);
        });
        return out;
    }

    /** {@code arm}'s mIoU as a percentage of full-schedule's at one budget, for each seed both reached it with. */
    static Map<Long, Double> scheduleShares(Map<ComparisonArm, Map<Long, Map<Double, Double>>> bySeed, ComparisonArm arm, double budget) {
        Map<Long, Double> out = new TreeMap<>();
        Map<Long, Map<Double, Double>> full = bySeed.getOrDefault(ComparisonArm.FULL_SCHEDULE, Map.of());
        bySeed.getOrDefault(arm, Map.of()).forEach((seed, m) -> {
            Double a = m.get(budget);
            Double f = full.getOrDefault(seed, Map.of()).get(budget);
            if (a != null && f != null && f > 0) out.put(seed, 100 * a / f);
        });
        return out;
    }

    /**
     * The gap of each checked arm to each baseline at every budget, paired by seed (mean ± sd of the per-seed
     * gaps), and its mean over the budgets both reached: the curve's verdict, less noisy than one budget's. The same for
     * full-schedule, when it ran: the headroom over each baseline.
     */
    static void gaps(StringBuilder md, TreeSet<Double> budgets, Map<ComparisonArm, Map<Long, Map<Double, Double>>> bySeed) {
        List<ComparisonArm[]> pairs = new ArrayList<>();
        List<ComparisonArm> rows = new ArrayList<>(CHECKED);
        rows.add(ComparisonArm.FULL_SCHEDULE);
        for (ComparisonArm arm : rows)
            for (ComparisonArm base : ComparisonArm.baselines(bySeed.keySet()))
                if (bySeed.containsKey(arm) && bySeed.containsKey(base)) pairs.add(new ComparisonArm[]{arm, base});
        if (pairs.isEmpty()) return;
        md.append("\n## Gaps to the baselines, paired by seed\n\n");
        md.append("mIoU points of the method minus the baseline, per seed at each budget, then mean ± standard deviation over "
                + "the seeds both reached it with; the last column is the mean over those budgets.");
        if (bySeed.containsKey(ComparisonArm.FULL_SCHEDULE))
            md.append(" The full-schedule rows are the headroom: what every label, instead of the baseline's, adds in the same training; "
                    + "a strategy that only chooses labels is not expected to gain more than that.");
        md.append("\n\n| method | baseline |");
        for (double b : budgets) md.append(String.format(Locale.ROOT, " %.1f%% |", b));
        md.append(" curve mean |\n|---|---|").append("---|".repeat(budgets.size() + 1)).append('\n');
        for (ComparisonArm[] p : pairs) {
            ComparisonArm arm = p[0];
            ComparisonArm base = p[1];
            md.append("| ").append(arm).append(" | ").append(base).append(" |");
            for (double b : budgets) {
                List<Double> g = new ArrayList<>(pairedGaps(bySeed, arm, base, b).values());
                md.append(g.isEmpty() ? " - |" : " " + cell(g).signedText() + " |");
            }
            java.util.OptionalDouble curve = curveGap(bySeed, arm, base);
            md.append(curve.isEmpty() ? " - |" : String.format(Locale.ROOT, " %+.2f |", curve.getAsDouble())).append('\n');
        }
        // the curve mean of each seed on its own: whether the method leads over the whole curve, seed by seed
        List<String> curves = new ArrayList<>();
        for (ComparisonArm[] p : pairs) {
            if (p[0] == ComparisonArm.FULL_SCHEDULE) continue;
            Map<Long, List<Double>> perSeed = new TreeMap<>();
            for (double b : budgets)
                pairedGaps(bySeed, p[0], p[1], b).forEach((seed, g) -> perSeed.computeIfAbsent(seed, k -> new ArrayList<>()).add(g));
            if (perSeed.size() < 2) continue;
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "- %s vs %s, mean over the budgets each seed reached: per seed", p[0], p[1]));
            List<Double> means = new ArrayList<>();
            perSeed.forEach((seed, gaps) -> {
                double m = cell(gaps).mean();
                means.add(m);
                line.append(String.format(Locale.ROOT, " %+.2f (%d)", m, seed));
            });
            curves.add(line.append(intervalText(means, 0, "%+.2f", "")).toString());
        }
        if (!curves.isEmpty()) md.append("\nThe curve, seed by seed (against 0: whether the method leads at all):\n\n").append(String.join("\n", curves)).append('\n');
    }

    /**
     * One arm and seed's last round: the arm's own training's mIoU % and those of its retrainings, by training seed; the
     * own one counts in the mean only when the retrainings kept the arm's settings ({@code ownCounted}).
     */
    record Trainings(int round, double own, Map<Long, Double> again, boolean ownCounted) {
        List<Double> all() {
            List<Double> v = new ArrayList<>(ownCounted ? List.of(own) : List.of());
            v.addAll(again.values());
            return v;
        }

        Cell cell() {
            return ComparisonReport.cell(all());
        }

        /** The standard error of this mean: the spread of one training over the root of their number. */
        double standardError() {
            return cell().spread() / Math.sqrt(all().size());
        }
    }

    /**
     * The arms that trained every round under their seed's streams (no {@code train.round_streams}): in them a round on the
     * same labelled images as the round before replayed its batches, which favours arms whose labels reach every image
     * early; and those under {@code train.image_streams}, which replay the views of the images they had in every arm alike.
     * Empty when every arm ran under {@code round_streams}.
     */
    static java.util.Optional<String> replayLine(List<Comparison.ArmResult> results) {
        List<String> replaying = new ArrayList<>(), imageKeyed = new ArrayList<>();
        for (Comparison.ArmResult r : results) {
            Streams streams = streams(r.dir());
            if (streams == Streams.RUN) replaying.add(r.arm() + " s" + r.seed());
            else if (streams == Streams.IMAGE) imageKeyed.add(r.arm() + " s" + r.seed());
        }
        List<String> parts = new ArrayList<>();
        if (!replaying.isEmpty())
            parts.add("trained without `train.round_streams` (every round under its seed's streams): "
                    + (replaying.size() == results.size() ? "every arm" : String.join(", ", replaying)) + ". A round on the same labelled "
                    + "images as the round before replayed its batches, so arms whose labels reach every image early trained their later "
                    + "rounds on crops seen many times, and the others did not: a difference between arms that is not their labels "
                    + "(BENCHMARKS.md, \"The replay\")");
        if (!imageKeyed.isEmpty())
            parts.add("trained under `train.image_streams`: " + (imageKeyed.size() == results.size() ? "every arm" : String.join(", ", imageKeyed))
                    + ". Each round showed the images it had with the views of the round before, whatever its strategy added; a "
                    + "retraining under another seed draws new views, so those arms' own last rounds are not counted with their retrainings");
        return parts.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(String.join(". ", parts));
    }

    /** How an arm's rounds drew their random streams, from its config.yaml. */
    enum Streams {
        /** every round under {@code run.seed}, keyed by stream position: a round on the same images replays the last one */
        RUN,
        /** {@code train.round_streams}: each round under its own seed, so no round replays another */
        ROUND,
        /** {@code train.image_streams}: keyed by image, so every round replays the views of the images it had */
        IMAGE
    }

    /**
     * How the arm's rounds drew their streams ({@code train.round_streams}, {@code train.image_streams} in its config.yaml;
     * {@link Streams#RUN} without a config). Only under {@link Streams#ROUND} is its own last round a draw of the
     * retrainings' kind: otherwise it may have replayed the round before's batches or views, which no retraining does
     * (BENCHMARKS.md, "The replay").
     */
    static Streams streams(Path armDir) {
        Path file = armDir == null ? null : armDir.resolve("config.yaml");
        if (file == null || !Files.isRegularFile(file)) return Streams.RUN;
        try {
            // the two keys, read as written: a report of old arms must not fail on a config the loader has since outgrown
            JsonNode train = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(file.toFile()).path("train");
            if (train.path("round_streams").asBoolean(false)) return Streams.ROUND;
            return train.path("image_streams").asBoolean(false) ? Streams.IMAGE : Streams.RUN;
        } catch (IOException e) {
            throw new dev.semiactive.SemiactiveException("cannot read " + file + ": " + e.getMessage() + " (restore the arm's config.yaml)", e);
        }
    }

    /**
     * Whether round {@code round} trained on more images than the round before ({@code train_labelled_images}), so that
     * its batches were shuffled from another list and replayed nothing, whatever the streams. False when rounds.json
     * does not say (arms from before 2026-12-05).
     */
    static boolean newImages(Map<Integer, Map<String, JsonNode>> rounds, int round) {
        Double now = number(rounds.get(round), "train_labelled_images"), before = number(rounds.get(round - 1), "train_labelled_images");
        return now != null && before != null && !now.equals(before);
    }

    /**
     * Per arm and seed, the last round's trainings of the arms that have at least one retraining; the own training counts
     * in the mean when the retrainings kept the arm's settings ({@code sameSettings}) and the arm's last round replayed
     * nothing ({@link #streams}).
     */
    static Map<ComparisonArm, Map<Long, Trainings>> trainings(List<Comparison.ArmResult> results, boolean sameSettings) {
        Map<ComparisonArm, Map<Long, Trainings>> out = new LinkedHashMap<>();
        for (Comparison.ArmResult r : results) {
            if (r.retrained().isEmpty()) continue;
            Map<Long, Double> again = new TreeMap<>();
            int round = -1;
            for (var e : r.retrained().entrySet()) {
                round = e.getValue().get("round").asInt();
                again.put(e.getKey(), 100 * e.getValue().get("mIoU").asDouble());
            }
            Double own = number(r.rounds().get(round), "mIoU");
            if (own == null) continue;
            Streams streams = streams(r.dir());
            // keyed by position, a round on more images than the one before shuffled another list and replayed nothing;
            // keyed by image, it replayed the views of the images it had all the same
            boolean ownCounted = sameSettings && (streams == Streams.ROUND || streams == Streams.RUN && newImages(r.rounds(), round));
            out.computeIfAbsent(r.arm(), a -> new TreeMap<>()).put(r.seed(), new Trainings(round, 100 * own, again, ownCounted));
        }
        return out;
    }

    /**
     * Each arm's last round (its final label set, from the same start, the same steps) trained again under the training
     * seeds of {@code --retrain-seeds}, the mean over those trainings and the arm's own, and the gaps of the checked arms to
     * the baselines (and their share of full-schedule) on those means, paired by seed. One training's figure holds that
     * training's luck; the mean over several scores the label set. Returns the figures for comparison.json.
     */
    static Map<String, Object> retrainedTable(StringBuilder md, List<Comparison.ArmResult> results, LastRoundRetraining.Plan retraining) {
        List<Long> retrainSeeds = retraining.seeds();
        boolean sameSettings = retraining.settings().isEmpty();
        Map<ComparisonArm, Map<Long, Trainings>> byArm = trainings(results, sameSettings);
        md.append("\n## The last round trained again under other training seeds\n\n");
        md.append("Each arm's last round trained again with `run.seed` = ").append(retrainSeeds.stream().map(String::valueOf)
                .collect(java.util.stream.Collectors.joining(", ")));
        boolean someOwnLeftOut = byArm.values().stream().flatMap(m -> m.values().stream()).anyMatch(t -> !t.ownCounted());
        if (sameSettings)
            md.append(": the same start (the round before's model), the same labels and PLAR refinements, the same steps; only the "
                    + "training's own randomness (batch order, augmentation) changes. \"own\" is the arm's figure; the mean and standard "
                    + "deviation are over the own training and the retrainings: one training's figure holds that training's luck, the mean "
                    + "scores the label set.").append(someOwnLeftOut ? " An own figure in brackets is left out of the mean: its arm ran "
                    + "without `train.round_streams`, and its last round trained on the same labelled images as the round before (or its "
                    + "rounds.json does not say) or under `train.image_streams`, so it may have replayed that round's batches or views, "
                    + "which no retraining does (a draw of another kind; BENCHMARKS.md, \"The replay\")."
                    : "").append("\n\n");
        else
            md.append(" and `").append(String.join("`, `", retraining.settings())).append("`: the same start (the round before's model), the "
                    + "same labels and PLAR refinements, those settings changed. \"own\" is the arm's figure under its own settings, left out "
                    + "of the mean and standard deviation, which are over the retrainings.\n\n");
        md.append("| method | seed | round | own |");
        retrainSeeds.forEach(t -> md.append(" t").append(t).append(" |"));
        md.append(" mean ± sd (trainings) |\n|---|---|---|---|").append("---|".repeat(retrainSeeds.size() + 1)).append('\n');
        Map<String, Object> json = new LinkedHashMap<>();
        byArm.forEach((arm, bySeed) -> {
            Map<String, Object> armJson = new LinkedHashMap<>();
            bySeed.forEach((seed, t) -> {
                md.append(String.format(Locale.ROOT, t.ownCounted() || !sameSettings ? "| %s | %d | %d | %.2f |" : "| %s | %d | %d | (%.2f) |",
                        arm, seed, t.round(), t.own()));
                retrainSeeds.forEach(ts -> md.append(t.again().containsKey(ts) ? String.format(Locale.ROOT, " %.2f |", t.again().get(ts)) : " - |"));
                Cell c = t.cell();
                md.append(c.seeds() > 1 ? String.format(Locale.ROOT, " %.2f ± %.2f (%d) |%n", c.mean(), c.spread(), c.seeds())
                        : String.format(Locale.ROOT, " %.2f (1) |%n", c.mean()));
                Map<String, Object> seedJson = new LinkedHashMap<>();
                seedJson.put("round", t.round());
                seedJson.put("settings", retraining.settings());
                seedJson.put("own", t.own() / 100);
                seedJson.put("own_in_mean", t.ownCounted());
                Map<String, Double> again = new LinkedHashMap<>();
                t.again().forEach((ts, v) -> again.put(Long.toString(ts), v / 100));
                seedJson.put("by_training_seed", again);
                seedJson.put("mean", c.mean() / 100);
                seedJson.put("sd", c.spread() / 100);
                armJson.put(Long.toString(seed), seedJson);
            });
            json.put(arm.configName(), armJson);
        });
        List<String> lines = new ArrayList<>();
        for (ComparisonArm[] pair : checkedPairs(byArm.keySet())) {
            ComparisonArm arm = pair[0], base = pair[1];
            boolean share = base == ComparisonArm.FULL_SCHEDULE;
            StringBuilder line = new StringBuilder("- ").append(arm).append(share ? " as % of " : " vs ").append(base).append(':');
            List<Double> perSeed = new ArrayList<>();
            byArm.get(arm).forEach((seed, a) -> {
                Trainings b = byArm.get(base).get(seed);
                if (b == null) return;
                if (share) {
                    double v = 100 * a.cell().mean() / b.cell().mean();
                    perSeed.add(v);
                    line.append(String.format(Locale.ROOT, " seed %d %.1f%% (one training each: %.1f%%);", seed, v, 100 * a.own() / b.own()));
                } else {
                    double v = a.cell().mean() - b.cell().mean();
                    perSeed.add(v);
                    // one training has no spread: no standard error, rather than a 0.00 that reads as certainty
                    String se = a.all().size() < 2 || b.all().size() < 2 ? "no standard error: one training on a side"
                            : String.format(Locale.ROOT, "standard error %.2f from the trainings' spread",
                            Math.sqrt(a.standardError() * a.standardError() + b.standardError() * b.standardError()));
                    line.append(String.format(Locale.ROOT, " seed %d %+.2f (%s; one training each: %+.2f);", seed, v, se, a.own() - b.own()));
                }
            });
            if (perSeed.isEmpty()) continue;
            line.setLength(line.length() - 1);
            if (perSeed.size() > 1)
                line.append(String.format(Locale.ROOT, "; over the %d seeds %s", perSeed.size(), share ? String.format(Locale.ROOT, "%.1f%%", cell(perSeed).mean())
                        : cell(perSeed).signedText())).append(share ? intervalText(perSeed, 100 * TARGET_SHARE, "%.1f", "%")
                        : intervalText(perSeed, TARGET_MARGIN, "%+.2f", ""));
            lines.add(line.toString());
        }
        if (!lines.isEmpty())
            md.append("\nOn the means, paired by seed (the arms of a seed share round 0 and the start):\n\n").append(String.join("\n", lines)).append('\n');
        if (sameSettings) overTheSeeds(md, results, byArm);
        notTrainedAgain(md, results, retrainSeeds);
        return json;
    }

    /** Each checked arm present with each baseline present, then with full-schedule (a share, not a gap), in that order. */
    private static List<ComparisonArm[]> checkedPairs(java.util.Set<ComparisonArm> present) {
        List<ComparisonArm[]> pairs = new ArrayList<>();
        for (ComparisonArm arm : CHECKED) {
            if (!present.contains(arm)) continue;
            List<ComparisonArm> others = new ArrayList<>(ComparisonArm.baselines(present));
            others.add(ComparisonArm.FULL_SCHEDULE);
            for (ComparisonArm base : others) if (present.contains(base)) pairs.add(new ComparisonArm[]{arm, base});
        }
        return pairs;
    }

    /**
     * When only some seeds were trained again: the gaps over all the seeds, each seed's figure its mean over its trainings
     * where it has them and its one training elsewhere, so the table's per-seed reading uses what is known of each seed.
     */
    private static void overTheSeeds(StringBuilder md, List<Comparison.ArmResult> results, Map<ComparisonArm, Map<Long, Trainings>> byArm) {
        Map<ComparisonArm, Map<Long, Double>> figure = new LinkedHashMap<>();
        boolean someOnce = false;
        for (Comparison.ArmResult r : results) {
            Trainings t = byArm.getOrDefault(r.arm(), Map.of()).get(r.seed());
            Double v = t != null ? Double.valueOf(t.cell().mean())
                    : figureAtLastBudget(r).map(m -> number(m, "mIoU")).map(x -> 100 * x).orElse(null);
            if (v == null) continue;
            someOnce |= t == null;
            figure.computeIfAbsent(r.arm(), a -> new TreeMap<>()).put(r.seed(), v);
        }
        if (!someOnce || byArm.isEmpty()) return;
        List<String> lines = new ArrayList<>();
        for (ComparisonArm[] pair : checkedPairs(figure.keySet())) {
            ComparisonArm arm = pair[0], base = pair[1];
            boolean share = base == ComparisonArm.FULL_SCHEDULE;
            Map<Long, Double> perSeed = new TreeMap<>();
            figure.get(arm).forEach((seed, a) -> {
                Double b = figure.get(base).get(seed);
                if (b != null) perSeed.put(seed, share ? 100 * a / b : a - b);
            });
            if (perSeed.size() < 2) continue;
            List<Double> v = new ArrayList<>(perSeed.values());
            String format = share ? "%.1f%%" : "%+.2f";
            StringBuilder line = new StringBuilder("- ").append(arm).append(share ? " as % of " : " vs ").append(base).append(": ")
                    .append(String.format(Locale.ROOT, format, cell(v).mean())).append(" over seeds");
            perSeed.forEach((seed, g) -> line.append(' ').append(String.format(Locale.ROOT, format, g)).append(" (").append(seed).append(')'));
            line.append(share ? intervalText(v, 100 * TARGET_SHARE, "%.1f", "%") : intervalText(v, TARGET_MARGIN, "%+.2f", ""));
            lines.add(line.toString());
        }
        if (!lines.isEmpty())
            md.append("\nOver the seeds, each seed's figure its mean over its trainings where it was trained again and its one training "
                    + "elsewhere (the last round):\n\n").append(String.join("\n", lines)).append('\n');
    }

    /**
     * The arms not trained again under some of the training seeds, grouped by those seeds and then by seed ("every arm of
     * seeds 42, 43" when none of a seed's arms was): usually whole seeds whose models are on another machine.
     */
    private static void notTrainedAgain(StringBuilder md, List<Comparison.ArmResult> results, List<Long> retrainSeeds) {
        Map<String, Map<Long, List<String>>> byMissing = new LinkedHashMap<>();
        Map<Long, Integer> armsPerSeed = new TreeMap<>();
        for (Comparison.ArmResult r : results) {
            armsPerSeed.merge(r.seed(), 1, Integer::sum);
            List<Long> not = retrainSeeds.stream().filter(t -> !r.retrained().containsKey(t)).toList();
            if (!not.isEmpty())
                byMissing.computeIfAbsent(not.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", ")), k -> new TreeMap<>())
                        .computeIfAbsent(r.seed(), k -> new ArrayList<>()).add(r.arm().toString());
        }
        byMissing.forEach((trainingSeeds, bySeed) -> {
            List<Long> whole = bySeed.entrySet().stream().filter(e -> e.getValue().size() == armsPerSeed.get(e.getKey())).map(Map.Entry::getKey).toList();
            List<String> parts = new ArrayList<>();
            if (!whole.isEmpty())
                parts.add("every arm of seed" + (whole.size() > 1 ? "s " : " ") + whole.stream().map(String::valueOf)
                        .collect(java.util.stream.Collectors.joining(", ")));
            bySeed.forEach((seed, arms) -> {
                if (!whole.contains(seed)) parts.add(String.join(", ", arms) + " of seed " + seed);
            });
            md.append("\nNot trained again under ").append(trainingSeeds).append(" (its models are not where this comparison ran, or --report-only): ")
                    .append(String.join("; ", parts)).append(".\n");
        });
    }

    /** Pool-scoring figures from rounds.json, then the training figures of {@link #trainingMeans} (prefixed train_). */
    static final List<String> DIAGNOSTICS = List.of("error_flagged_fraction", "plar_refined_fraction", "plar_accuracy",
            "plar_teacher_accuracy", "emd_flagged_fraction", "emd_f1", "train_sf_disagreement", "train_reliable_ratio", "train_emd_flagged");

    /** {@link #trainingMeans}' key for the Student's supervised cross-entropy ({@code sup}, or {@code sup_s} in the semi-supervised methods). */
    static final String SUPERVISED_LOSS = "supervised_loss";

    /**
     * Mean over a round's logged training windows of the semi-supervised health signals and of the Student's supervised
     * loss ({@link #SUPERVISED_LOSS}); empty when there is no log.
     */
    static Map<String, JsonNode> trainingMeans(Path metricsFile) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (!Files.isRegularFile(metricsFile)) return out;
        List<JsonNode> records = new MetricsLog(metricsFile).read().stream().filter(r -> "train".equals(r.path("kind").asText())).toList();
        Map<String, java.util.function.Function<JsonNode, JsonNode>> figures = new LinkedHashMap<>();
        for (String k : List.of("sf_disagreement", "reliable_ratio", "emd_flagged")) figures.put(k, r -> r.path(k));
        figures.put(SUPERVISED_LOSS, r -> r.path("sup").isNumber() ? r.get("sup") : r.path("sup_s"));
        figures.forEach((k, figure) -> {
            var values = records.stream().map(figure).filter(JsonNode::isNumber).mapToDouble(JsonNode::asDouble).summaryStatistics();
            if (values.getCount() > 0) out.put(k, Json.MAPPER.getNodeFactory().numberNode(values.getAverage()));
        });
        return out;
    }

    /**
     * Per arm and budget, the scoring and training health figures. Each arm's figures are read once (its rounds and
     * round logs); arms that never scored the pool (random, the references) have none, and a comparison of only those
     * gets no table.
     */
    private static void diagnosticsTable(StringBuilder md, List<Comparison.ArmResult> results, Collection<ComparisonArm> arms) {
        Map<ComparisonArm, Map<Double, Map<String, List<Double>>>> byArm = new LinkedHashMap<>();
        for (ComparisonArm arm : arms) {
            Map<Double, Map<String, List<Double>>> diag = diagnostics(results, arm);
            if (!diag.isEmpty()) byArm.put(arm, diag);
        }
        if (byArm.isEmpty()) return;
        md.append("\n## Diagnostics per budget (mean over seeds)\n\n");
        md.append("Error mask share of unlabelled pool pixels, PLAR's refined share of the flagged ones and its accuracy, the EMD's "
                + "flagged share and F1, measured when each round scored the pool (rounds.json of each arm); then, from the "
                + "training of the round's model (mean over its logged windows, rounds/round-NN/metrics.jsonl): Student-Friend "
                + "disagreement, the share of unlabelled pixels whose pseudo-label the Student trained on (reliable), and the "
                + "EMD's flagged share. Arms that score the pool only; a dash where an arm has no such figure.\n\n");
        md.append("| method | budget % | flagged % | PLAR refined % | PLAR accuracy % | Teacher accuracy on those % | EMD flagged % | EMD F1 % "
                + "| S-F disagreement % | reliable % | EMD flagged in training % |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        byArm.forEach((arm, diag) -> diag.forEach((budget, figures) -> {
            md.append("| ").append(arm).append(String.format(Locale.ROOT, " | %.1f", budget));
            for (String k : DIAGNOSTICS) {
                List<Double> v = figures.get(k);
                md.append(v == null ? " | -" : String.format(Locale.ROOT, " | %.1f", 100 * cell(v).mean()));
            }
            md.append(" |\n");
        }));
    }

    /**
     * Per arm and budget, how well the round's model fits the labels it trained on ({@link #SUPERVISED_LOSS} of {@link #trainingMeans}), mean
     * over seeds. Two trainings on the same labels read against each other (a round that replays the round before's
     * batches fits them far better); across arms the labels differ, and an arm that labels hard regions fits worse.
     */
    static void trainingFitTable(StringBuilder md, List<Comparison.ArmResult> results) {
        Map<ComparisonArm, Map<Double, List<Double>>> byArm = new LinkedHashMap<>();
        java.util.SortedSet<Double> budgets = new java.util.TreeSet<>();
        for (Comparison.ArmResult r : results)
            roundPerBudget(r).forEach((budget, round) -> {
                JsonNode loss = trainingMeans(Comparison.roundMetrics(r.dir(), round)).get(SUPERVISED_LOSS);
                if (loss == null) return;
                budgets.add(budget);
                byArm.computeIfAbsent(r.arm(), a -> new TreeMap<>()).computeIfAbsent(budget, b -> new ArrayList<>()).add(loss.asDouble());
            });
        if (byArm.isEmpty()) return;
        md.append("\n## How well each round's model fits its labels\n\n");
        md.append("The Student's supervised cross-entropy on its labelled batches, mean over the round's logged training windows "
                + "(rounds/round-NN/metrics.jsonl), then over seeds. Read two trainings on the same labels against each other; "
                + "across arms the labels differ, and an arm that labels hard regions fits them worse.\n\n| method |");
        for (double b : budgets) md.append(String.format(Locale.ROOT, " %.1f%% |", b));
        md.append("\n|---|").append("---|".repeat(budgets.size())).append('\n');
        byArm.forEach((arm, byBudget) -> {
            md.append("| ").append(arm).append(" |");
            for (double b : budgets) {
                List<Double> v = byBudget.get(b);
                md.append(v == null ? " - |" : String.format(Locale.ROOT, " %.3f |", cell(v).mean()));
            }
            md.append('\n');
        });
    }

    /**
     * Per-class IoU of each arm's model at its highest budget (the round {@link #figureAtLastBudget} stands for), mean over
     * seeds: where an arm's mIoU comes from, and which classes the seeds disagree on. Class names are those its rounds
     * recorded what they labelled with ({@code round_class_pixels}, void left out), else "class i".
     */
    static void perClassTable(StringBuilder md, List<Comparison.ArmResult> results) {
        Map<ComparisonArm, Map<Double, List<double[]>>> byArm = new LinkedHashMap<>();
        int width = 0;
        for (Comparison.ArmResult r : results) {
            var last = roundPerBudget(r).lastEntry();
            if (last == null) continue;
            JsonNode iou = r.rounds().get(last.getValue()).get("per_class_iou");
            if (iou == null || !iou.isArray() || iou.isEmpty()) continue;
            double[] v = new double[iou.size()];
            for (int i = 0; i < v.length; i++) v[i] = iou.get(i).asDouble(Double.NaN);
            width = Math.max(width, v.length);
            byArm.computeIfAbsent(r.arm(), a -> new TreeMap<>()).computeIfAbsent(last.getKey(), b -> new ArrayList<>()).add(v);
        }
        if (byArm.isEmpty()) return;
        List<String> names = classNames(results);
        List<String> classes = new ArrayList<>();
        for (int i = 0; i < width; i++) classes.add(names != null && names.size() == width ? names.get(i) : "class " + i);
        md.append("\n## Per-class IoU at each arm's highest budget\n\n");
        md.append("IoU % of each class for the model that stands for an arm at its highest budget, mean over seeds (the spread of "
                + "a class over seeds is often larger than the gaps between arms).\n\n| method | budget % | seeds |");
        for (String c : classes) md.append(' ').append(c).append(" |");
        md.append("\n|---|---|---|").append("---|".repeat(width)).append('\n');
        int columns = width;
        byArm.forEach((arm, byBudget) -> byBudget.forEach((budget, seeds) -> {
            md.append("| ").append(arm).append(String.format(Locale.ROOT, " | %.1f | %d |", budget, seeds.size()));
            for (int i = 0; i < columns; i++) {
                int c = i;
                List<Double> v = seeds.stream().filter(x -> c < x.length && !Double.isNaN(x[c])).map(x -> 100 * x[c]).toList();
                md.append(v.isEmpty() ? " - |" : String.format(Locale.ROOT, " %.1f |", cell(v).mean()));
            }
            md.append('\n');
        }));
    }

    /** The class names the arms' rounds recorded what they labelled with ({@code round_class_pixels}), void left out; null if none did. */
    private static List<String> classNames(List<Comparison.ArmResult> results) {
        for (Comparison.ArmResult r : results)
            for (Map<String, JsonNode> m : r.rounds().values()) {
                JsonNode perClass = m.get(RoundRunner.ROUND_CLASS_PIXELS);
                if (perClass == null || !perClass.isObject()) continue;
                List<String> names = new ArrayList<>();
                perClass.fieldNames().forEachRemaining(names::add);
                names.remove(RoundRunner.VOID);
                return names;
            }
        return null;
    }

    /**
     * What each arm's strategy labelled: the share of each class (and void) in the pixels of its rounds after round
     * 0 (round 0 is the same random draw for every arm), from the rounds' {@code round_class_pixels}; mean over seeds.
     * Arms whose rounds.json predates that metric are left out, and said so.
     */
    static void labelMixTable(StringBuilder md, List<Comparison.ArmResult> results) {
        Map<ComparisonArm, List<Map<String, Double>>> byArm = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (Comparison.ArmResult r : results) {
            if (r.arm() == ComparisonArm.FULL_SCHEDULE) continue;
            Map<String, Long> pixels = new LinkedHashMap<>();
            boolean recorded = false;
            for (var e : r.rounds().entrySet()) {
                JsonNode perClass = e.getValue().get(RoundRunner.ROUND_CLASS_PIXELS);
                if (perClass == null || !perClass.isObject()) continue;
                recorded = true;
                if (e.getKey() > 0) perClass.fields().forEachRemaining(c -> pixels.merge(c.getKey(), c.getValue().asLong(), Long::sum));
            }
            if (!recorded) {
                missing.add(r.arm() + " (seed " + r.seed() + ")");
                continue;
            }
            long total = pixels.values().stream().mapToLong(Long::longValue).sum();
            if (total == 0) continue; // labelled nothing after round 0
            Map<String, Double> share = new LinkedHashMap<>();
            pixels.forEach((k, v) -> share.put(k, 100.0 * v / total));
            byArm.computeIfAbsent(r.arm(), a -> new ArrayList<>()).add(share);
        }
        if (byArm.isEmpty()) return;
        List<String> classes = new ArrayList<>(byArm.values().iterator().next().get(0).keySet());
        md.append("\n## What each arm labelled\n\n");
        md.append("Share % of each class in the pixels an arm's strategy labelled (rounds after round 0, which is the same random "
                + "draw for every arm), void included; mean over seeds. A strategy that finds what the model lacks moves these "
                + "away from random's.\n\n| method |");
        for (String c : classes) md.append(' ').append(c).append(" |");
        md.append("\n|---|").append("---|".repeat(classes.size())).append('\n');
        byArm.forEach((arm, seeds) -> {
            md.append("| ").append(arm).append(" |");
            for (String c : classes) {
                List<Double> v = seeds.stream().map(x -> x.get(c)).filter(java.util.Objects::nonNull).toList();
                md.append(v.isEmpty() ? " - |" : String.format(Locale.ROOT, " %.1f |", cell(v).mean()));
            }
            md.append('\n');
        });
        if (!missing.isEmpty())
            md.append("\nNot recorded (rounds.json from before `round_class_pixels`; `bench/label_stats.py` reads the run folder's "
                    + "project.db): ").append(String.join(", ", missing)).append('\n');
    }

    private static Map<Double, Map<String, List<Double>>> diagnostics(List<Comparison.ArmResult> results, ComparisonArm arm) {
        Map<Double, Map<String, List<Double>>> out = new TreeMap<>();
        for (Comparison.ArmResult r : results) {
            if (r.arm() != arm) continue;
            roundPerBudget(r).forEach((b, round) -> {
                Map<String, JsonNode> m = new LinkedHashMap<>(r.rounds().get(round));
                trainingMeans(Comparison.roundMetrics(r.dir(), round)).forEach((k, v) -> m.put("train_" + k, v));
                for (String k : DIAGNOSTICS) {
                    Double v = number(m, k);
                    if (v != null) out.computeIfAbsent(b, q -> new LinkedHashMap<>()).computeIfAbsent(k, q -> new ArrayList<>()).add(v);
                }
            });
        }
        return out;
    }

    private static void writeChart(Map<ComparisonArm, Map<Double, List<Double>>> byBudget, Double fullMiou, Path png) {
        XYChart chart = new XYChartBuilder().width(900).height(560).title("validation mIoU against labelled pixels")
                .xAxisTitle("% of pool pixels labelled").yAxisTitle("mIoU %").build();
        double maxX = 1;
        for (var e : byBudget.entrySet()) {
            double[] x = e.getValue().keySet().stream().mapToDouble(Double::doubleValue).toArray();
            double[] y = e.getValue().values().stream().mapToDouble(v -> cell(v).mean()).toArray();
            double[] err = e.getValue().values().stream().mapToDouble(v -> cell(v).spread()).toArray();
            if (x.length == 0) continue;
            maxX = Math.max(maxX, x[x.length - 1]);
            XYSeries s = chart.addSeries(e.getKey().configName(), x, y, err);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        Map<Double, List<Double>> schedule = byBudget.get(ComparisonArm.FULL_SCHEDULE);
        if (schedule != null && !schedule.isEmpty()) {
            chart.addSeries("95% of full-schedule", schedule.keySet().stream().mapToDouble(Double::doubleValue).toArray(),
                    schedule.values().stream().mapToDouble(v -> TARGET_SHARE * cell(v).mean()).toArray())
                    .setMarker(SeriesMarkers.NONE).setLineStyle(SeriesLines.DOT_DOT);
        }
        if (fullMiou != null) {
            chart.addSeries("full", new double[]{0, maxX}, new double[]{fullMiou, fullMiou}).setMarker(SeriesMarkers.NONE)
                    .setLineStyle(SeriesLines.DASH_DASH);
        }
        if (fullMiou != null && schedule == null) {
            chart.addSeries("95% of full", new double[]{0, maxX}, new double[]{TARGET_SHARE * fullMiou, TARGET_SHARE * fullMiou})
                    .setMarker(SeriesMarkers.NONE).setLineStyle(SeriesLines.DOT_DOT);
        }
        if (chart.getSeriesMap().isEmpty()) chart.addSeries("no results yet", new double[]{0}, new double[]{0});
        RunReport.savePng(chart, png);
    }

    private static Double number(Map<String, JsonNode> m, String key) {
        JsonNode v = m == null ? null : m.get(key);
        return v != null && v.isNumber() ? v.asDouble() : null;
    }
}
