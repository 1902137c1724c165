package dev.semiactive.cli;

import dev.semiactive.compare.Comparison;
import dev.semiactive.compare.ComparisonArm;
import dev.semiactive.config.ConfigException;
import dev.semiactive.config.ConfigLoader;
import dev.semiactive.config.ConfigWriter;
import dev.semiactive.config.SemiactiveConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Label-efficiency comparison of one active-learning preset: runs the preset's experiment once per method "
                + "and seed (each in <run folder>/<method>-s<seed>/, resumed or reused when already there), evaluates the full-"
                + "supervision reference, and writes comparison.md (mIoU and %% of full per budget, targets, PLAR diagnostics), "
                + "comparison.png and comparison.json in the run folder.")
final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "Active-learning preset, e.g. configs/camvid-al-cpu.yaml.")
    Path config;

    @Mixin
    ConfigOptions options;

    @Option(names = "--methods", split = ",", paramLabel = "NAME",
            description = "Methods: full, full-schedule, random, entropy, margin, coreset, s4al, tsf-plar, tsf-plar-spread, tsf-plar-mix, "
                    + "tsf-plar-balanced, tsf-plar-impurity, tsf-plar-diverse, tsf-plar-weighted, random-weighted "
                    + "(default: all but margin, tsf-plar-spread, tsf-plar-mix, tsf-plar-impurity, tsf-plar-diverse and the -weighted two).")
    List<String> methods;

    @Option(names = "--seeds", split = ",", paramLabel = "N", description = "Seeds, each a full set of methods (default: the preset's run.seed).")
    List<Long> seeds = List.of();

    @Option(names = "--arm-set", paramLabel = "METHOD:KEY=VALUE",
            description = "A setting of one method's runs only, e.g. s4al:tsf.lambda_ts=1.0 (repeatable; --set applies to every method).")
    List<String> armSets = List.of();

    @Option(names = "--seed-set", paramLabel = "SEED:KEY=VALUE",
            description = "A setting of one seed's runs only, e.g. 43:model.init=runs/camvid-al-cpu-250-pretext-s43, each seed's own "
                    + "pretext (repeatable; applied after --set and --arm-set).")
    List<String> seedSets = List.of();

    @Option(names = "--pretext-steps", paramLabel = "N", defaultValue = "0",
            description = "Start every arm from its seed's own colourization pretext of N steps (semiactive pretrain), trained in "
                    + "<run folder>/pretext-<N>steps-<K>bins-s<seed>/ before the seed's first arm that trains (resumed or reused "
                    + "when already there) and set as the arms' model.init (default ${DEFAULT-VALUE}: none; 2000 on the CPU presets).")
    int pretextSteps;

    @Option(names = "--pretext-bins", paramLabel = "K", defaultValue = "16",
            description = "Colour bins of --pretext-steps' pretext (default ${DEFAULT-VALUE}).")
    int pretextBins;

    @Option(names = "--full", paramLabel = "FILE|DIR",
            description = "The full-supervision reference: its config (trained first when not finished) or its run folder, "
                    + "e.g. configs/camvid-cpu-full.yaml. Needed for method 'full'.")
    Path full;

    @Option(names = "--results", paramLabel = "DIR",
            description = "Kept results, e.g. docs/benchmarks/camvid-al-cpu-lambda0-ema09 (committed): arms and the full reference finished there with the same "
                    + "settings are reused instead of run; what this command finishes is copied there (configs, rounds.json, "
                    + "reports, the table; no checkpoints): a compact record that outlives the run folders.")
    Path results;

    @Option(names = "--report-only",
            description = "Write the table from the arms (and full reference) already finished, in the run folder or kept in --results, "
                    + "and train nothing; arms not finished are left out and named in the report. For reading a comparison while "
                    + "its arms still run.")
    boolean reportOnly;

    @Option(names = "--report-name", paramLabel = "NAME", defaultValue = "comparison",
            description = "The report's files: NAME.md, NAME.png and NAME.json (default ${DEFAULT-VALUE}). Give a screen of a subset of "
                    + "the kept arms (one seed, --retrain-set) a name of its own, so that it does not replace the full table in --results.")
    String reportName;

    @Option(names = "--retrain-seeds", split = ",", paramLabel = "N",
            description = "Train every finished arm's last round again under these training seeds (the same start, labels and "
                    + "steps; into <arm>/retrain/round-RR-t<N>/, where the arm ran), and add to the report each arm's mean over its "
                    + "trainings and the gaps on those means: how much of a gap is the labels and how much one training's luck. "
                    + "Seeds outside --seeds, e.g. 1045,2045.")
    List<Long> retrainSeeds = List.of();

    @Option(names = "--retrain-set", paramLabel = "KEY=VALUE",
            description = "With --retrain-seeds: a setting of the round's training (train.*, tsf.*, augment.*) that the retrainings change "
                    + "besides the seed, e.g. train.steps=500 (repeatable; its own folders; the arm's own training is then left out of the means).")
    List<String> retrainSets = List.of();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (options.printConfig) {
            SemiactiveConfig resolved = ConfigLoader.load(config, options.overrides);
            out.print(ConfigWriter.toYaml(resolved));
            out.flush();
            return 0;
        }
        List<ComparisonArm> arms = methods == null ? ComparisonArm.DEFAULT : methods.stream().map(ComparisonArm::of).distinct().toList();
        Comparison.Result r = Comparison.builder().setConfigFile(config).optOverrides(List.copyOf(options.overrides)).optArms(arms)
                .optArmOverrides(armOverrides(armSets)).optSeedOverrides(seedOverrides(seedSets)).optSeeds(List.copyOf(seeds)).optFullReference(full).optResults(results)
                .optPretext(pretextSteps, pretextBins).optReportOnly(reportOnly).optRetrainSeeds(List.copyOf(retrainSeeds))
                .optRetrainSettings(List.copyOf(retrainSets)).optReportName(reportName).build().run();
        if (r.full() != null) out.printf("full: val mIoU %.2f%% (%s)%n", 100 * r.full().miou(), r.full().checkpoint());
        for (Comparison.ArmResult a : r.arms()) {
            // the figure the table shows at the arm's last budget (not a later top-up round of an older experiment)
            var last = dev.semiactive.compare.ComparisonReport.figureAtLastBudget(a);
            out.printf("%s seed %d: %s%n", a.arm(), a.seed(), last.map(m -> String.format("val mIoU %.2f%% trained on %.2f%% of pixels",
                    100 * m.get("mIoU").asDouble(), m.get("train_labelled_percent").asDouble())).orElse("no trained round"));
            // as the retrainings ran them: trimmed and sorted by key
            String settings = retrainSets.isEmpty() ? "" : " and " + String.join(", ",
                    new dev.semiactive.compare.LastRoundRetraining.Plan(List.copyOf(retrainSeeds), List.copyOf(retrainSets)).settings());
            a.retrained().forEach((t, m) -> out.printf("%s seed %d: last round under training seed %d%s: val mIoU %.2f%%%n", a.arm(), a.seed(), t,
                    settings, 100 * m.get("mIoU").asDouble()));
        }
        out.printf("report: %s%n", r.report());
        // the copy the user asked for (--results), beside the kept arms
        if (r.keptReport() != null) out.printf("report (kept): %s%n", r.keptReport());
        out.flush();
        return 0;
    }

    /** {@code SEED:KEY=VALUE} options grouped by seed, in the order given. */
    static Map<Long, List<String>> seedOverrides(List<String> seedSets) {
        Map<Long, List<String>> out = new LinkedHashMap<>();
        for (String a : seedSets) {
            int colon = a.indexOf(':');
            long seed;
            try {
                seed = colon <= 0 || a.indexOf('=', colon) < 0 ? -1 : Long.parseLong(a.substring(0, colon).trim());
            } catch (NumberFormatException e) {
                seed = -1;
            }
            if (seed < 0)
                throw new ConfigException("--seed-set '" + a + "': use SEED:KEY=VALUE, e.g. 43:model.init=runs/camvid-al-cpu-250-pretext-s43");
            out.computeIfAbsent(seed, k -> new ArrayList<>()).add(a.substring(colon + 1).trim());
        }
        return out;
    }

    /** {@code METHOD:KEY=VALUE} options grouped by method, in the order given. */
    static Map<ComparisonArm, List<String>> armOverrides(List<String> armSets) {
        Map<ComparisonArm, List<String>> out = new LinkedHashMap<>();
        for (String a : armSets) {
            int colon = a.indexOf(':');
            if (colon <= 0 || a.indexOf('=', colon) < 0)
                throw new ConfigException("--arm-set '" + a + "': use METHOD:KEY=VALUE, e.g. s4al:tsf.lambda_ts=1.0");
            out.computeIfAbsent(ComparisonArm.of(a.substring(0, colon).trim()), k -> new ArrayList<>()).add(a.substring(colon + 1).trim());
        }
        return out;
    }
}
