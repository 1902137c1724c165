package dev.semiactive.cli;

import dev.semiactive.SemiactiveException;
import dev.semiactive.config.ConfigLoader;
import dev.semiactive.config.DatasetFormat;
import dev.semiactive.config.SemiactiveConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {
    /** One CLI invocation: exit code and what it printed. */
    record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.newCommandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** A usage error: exit 2, exactly one line on stderr, nothing on stdout. */
    private static String usageError(String... args) {
        Run run = run(args);
        assertThat(run.code()).as("exit code of %s", List.of(args)).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().strip()).doesNotContain("\n");
        return run.err().strip();
    }

    @Test
    void helpListsTheCommands() {
        Run run = run("--help");
        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("train", "evaluate", "predict", "experiment", "project", "serve", "refine", "compare", "demo", "pretrain", "bench", "--version", "--verbose");
        for (String command : List.of("train", "evaluate", "predict", "experiment", "project", "serve", "refine", "compare", "demo", "pretrain", "bench")) {
            Run help = run(command, "--help");
            assertThat(help.code()).isZero();
            assertThat(help.out()).startsWith("Usage: semiactive " + command);
        }
        assertThat(run("help", "evaluate").out()).contains("--checkpoint=DIR", "--data=FORMAT:ROOT", "--split=NAME");
    }

    @Test
    void noCommandIsAUsageError() {
        assertThat(usageError()).isEqualTo("semiactive: missing command; one of: train, pretrain, evaluate, predict, experiment, project, serve, refine, compare, demo, bench, help"
                + " (see 'semiactive --help')");
        assertThat(usageError("fly")).startsWith("semiactive: Unmatched argument at index 0: 'fly'");
    }

    @Test
    void versionNamesSemiactiveDjlAndPytorch() {
        Run run = run("--version");
        assertThat(run.code()).isZero();
        assertThat(run.out().lines().toList()).hasSize(3);
        assertThat(run.out()).containsPattern("semiactive \\d+\\.\\d+").contains("DJL 0.36").contains("PyTorch 2.");
    }

    @Test
    void evaluateNeedsItsOptions() {
        assertThat(usageError("evaluate", "--data", "synthetic"))
                .startsWith("semiactive evaluate: Missing required option: '--checkpoint=DIR'")
                .endsWith("(see 'semiactive evaluate --help')");
        assertThat(usageError("evaluate", "--checkpoint", "x")).contains("Missing required option: '--data=FORMAT:ROOT'");
    }

    @Test
    void evaluateRejectsAnUnknownFormatListingTheKnownOnes(@TempDir Path checkpoint) {
        assertThat(usageError("evaluate", "--checkpoint", checkpoint.toString(), "--data", "pascal:/data/voc"))
                .contains("unknown dataset format 'pascal'")
                .contains("camvid, palette, folder, vaihingen, cityscapes, synthetic");
    }

    @Test
    void evaluateChecksThatTheFoldersExist(@TempDir Path dir) {
        Path missing = dir.resolve("missing");
        assertThat(usageError("evaluate", "--checkpoint", missing.toString(), "--data", "synthetic"))
                .startsWith("semiactive evaluate: --checkpoint " + missing + ": no such directory");
        assertThat(usageError("evaluate", "--checkpoint", dir.toString(), "--data", "camvid:" + missing))
                .startsWith("semiactive evaluate: --data " + missing + ": no such directory");
    }

    @Test
    void evaluateParsesItsArguments() {
        CommandLine commandLine = Main.newCommandLine();
        commandLine.parseArgs("evaluate", "--checkpoint", "runs/x/final", "--data", "camvid:../shared/datasets/camvid",
                "--split", "val,test", "--json");
        EvaluateCommand evaluate = commandLine.getSubcommands().get("evaluate").getCommand();
        assertThat(evaluate.checkpoint).isEqualTo(Path.of("runs/x/final"));
        assertThat(evaluate.data.format()).isEqualTo(DatasetFormat.CAMVID);
        assertThat(evaluate.data.root()).isEqualTo(Path.of("../shared/datasets/camvid"));
        assertThat(evaluate.splits).containsExactly("val", "test");
        assertThat(evaluate.json).isTrue();

        commandLine = Main.newCommandLine();
        commandLine.parseArgs("evaluate", "--checkpoint", "c", "--data", "synthetic");
        EvaluateCommand defaults = commandLine.getSubcommands().get("evaluate").getCommand();
        assertThat(defaults.splits).containsExactly("val");
        assertThat(defaults.json).isFalse();
    }

    @Test
    void predictNeedsItsOptionsAndAnExistingInput(@TempDir Path dir) {
        assertThat(usageError("predict", "--checkpoint", dir.toString(), "--input", dir.toString()))
                .contains("Missing required option: '--output=DIR'");
        assertThat(usageError("predict", "--checkpoint", dir.toString(), "--input", dir.resolve("none").toString(),
                "--output", dir.resolve("out").toString()))
                .isEqualTo("semiactive predict: --input " + dir.resolve("none") + ": no such file or directory (see 'semiactive predict --help')");
    }

    @Test
    void trainPrintsTheResolvedConfigWithOverrides() {
        Run run = run("train", "--config", "configs/demo.yaml", "--set", "train.steps=7", "--set", "data.size=[32,24]", "--print-config");
        assertThat(run.code()).isZero();
        assertThat(run.err()).isEmpty();
        SemiactiveConfig printed = ConfigLoader.parse(run.out(), "stdout", List.of());
        SemiactiveConfig expected = ConfigLoader.load(Path.of("configs/demo.yaml"), List.of("train.steps=7", "data.size=[32,24]"));
        assertThat(printed).isEqualTo(expected);
        assertThat(printed.train().steps()).isEqualTo(7);
    }

    @Test
    void trainConfigErrorsAreOneLineUsageErrors(@TempDir Path dir) {
        assertThat(usageError("train")).contains("Missing required option: '--config=FILE'");
        Path missing = dir.resolve("nope.yaml");
        assertThat(usageError("train", "--config", missing.toString()))
                .isEqualTo("semiactive train: config " + missing + ": no such file");
        assertThat(usageError("train", "-c", "configs/demo.yaml", "--set", "train.stepz=1"))
                .startsWith("semiactive train: --set train.stepz=1: unknown key 'train.stepz'");
        assertThat(usageError("train", "-c", "configs/demo.yaml", "--set", "model.backbone=vgg"))
                .contains("model.backbone = vgg is invalid: unknown backbone; allowed: mobilenetv2, resnet50, resnet101, tiny");
    }

    @Test
    void armSettingsOfCompareAreMethodColonKeyEqualsValue() {
        assertThat(CompareCommand.armOverrides(List.of("s4al:tsf.lambda_ts=1.0", "random:train.steps=3", "s4al:tsf.ema_decay=0.99")))
                .containsExactly(java.util.Map.entry(dev.semiactive.compare.ComparisonArm.S4AL, List.of("tsf.lambda_ts=1.0", "tsf.ema_decay=0.99")),
                        java.util.Map.entry(dev.semiactive.compare.ComparisonArm.RANDOM, List.of("train.steps=3")));
        assertThat(usageError("compare", "-c", "configs/camvid-al-cpu.yaml", "--arm-set", "tsf.lambda_ts=1.0"))
                .isEqualTo("semiactive compare: --arm-set 'tsf.lambda_ts=1.0': use METHOD:KEY=VALUE, e.g. s4al:tsf.lambda_ts=1.0");
        assertThat(usageError("compare", "-c", "configs/camvid-al-cpu.yaml", "--arm-set", "badge:train.steps=3"))
                .contains("unknown method 'badge'");
    }

    @Test
    void seedSettingsOfCompareAreSeedColonKeyEqualsValue() {
        assertThat(CompareCommand.seedOverrides(List.of("43:model.init=runs/p-s43", "42:model.init=runs/p", "43:train.steps=3")))
                .containsExactly(java.util.Map.entry(43L, List.of("model.init=runs/p-s43", "train.steps=3")),
                        java.util.Map.entry(42L, List.of("model.init=runs/p")));
        assertThat(usageError("compare", "-c", "configs/camvid-al-cpu.yaml", "--seed-set", "model.init=runs/p"))
                .isEqualTo("semiactive compare: --seed-set 'model.init=runs/p': use SEED:KEY=VALUE, e.g. 43:model.init=runs/camvid-al-cpu-250-pretext-s43");
        assertThat(usageError("compare", "-c", "configs/camvid-al-cpu.yaml", "--seed-set", "s43:model.init=runs/p"))
                .startsWith("semiactive compare: --seed-set 's43:model.init=runs/p': use SEED:KEY=VALUE");
    }

    @Test
    void retrainSeedsOfCompareAreNewNumbers() {
        assertThat(usageError("compare", "-c", "configs/camvid-al-cpu.yaml", "--seeds", "42,43", "--retrain-seeds", "1042,43"))
                .isEqualTo("semiactive compare: --retrain-seeds names 43, a seed of the comparison ([42, 43]), whose arms trained under it "
                        + "already: pick training seeds outside it, e.g. 1042");
        assertThat(usageError("compare", "-c", "configs/camvid-al-cpu.yaml", "--retrain-seeds", "1042,1042"))
                .contains("names a seed twice");
        assertThat(usageError("compare", "-c", "configs/camvid-al-cpu.yaml", "--retrain-seeds", "t1042"))
                .contains("--retrain-seeds").contains("t1042");
        assertThat(usageError("compare", "-c", "configs/camvid-al-cpu.yaml", "--retrain-seeds", "1042", "--retrain-set", "al.budget=0.12"))
                .isEqualTo("semiactive compare: --retrain-set 'al.budget=0.12': a retraining changes only the round's training, as KEY=VALUE "
                        + "with a key of train.* tsf.* augment.* (not train.method), e.g. train.steps=500");
    }

    @Test
    void verboseAddsTheStackTrace(@TempDir Path dir) {
        String missing = dir.resolve("nope.yaml").toString();
        Run quiet = run("train", "--config", missing);
        assertThat(quiet.err()).doesNotContain("\tat ");
        for (String[] args : List.of(new String[]{"-v", "train", "--config", missing}, new String[]{"train", "--verbose", "--config", missing})) {
            Run verbose = run(args);
            assertThat(verbose.code()).isEqualTo(2);
            assertThat(verbose.err()).contains("\tat dev.semiactive.config.ConfigLoader").contains("no such file");
        }
    }

    @Test
    void demoUsesTheBuiltInConfigAndItsOutputOption(@TempDir Path dir) {
        Run run = run("demo", "--print-config", "--output", dir.toString(), "--set", "train.steps=11");
        assertThat(run.code()).isZero();
        SemiactiveConfig printed = ConfigLoader.parse(run.out(), "stdout", List.of());
        assertThat(printed.run().outputDir()).isEqualTo(dir);
        assertThat(printed.train().steps()).isEqualTo(11);
        assertThat(printed.data().format()).isEqualTo(DatasetFormat.SYNTHETIC);
    }

    @Test
    void failuresWhileRunningExitOneWithoutAStackTrace() {
        CommandLine commandLine = Main.newCommandLine();
        StringWriter err = new StringWriter();
        commandLine.setErr(new PrintWriter(err, true)); // applies to the subcommands too
        CommandLine.ParseResult parsed = commandLine.parseArgs("demo");
        CommandLine demo = commandLine.getSubcommands().get("demo");
        ErrorReporter reporter = new ErrorReporter();

        assertThat(reporter.handleExecutionException(new SemiactiveException("image /x.png: unreadable PNG"), demo, parsed)).isEqualTo(1);
        assertThat(reporter.handleExecutionException(new IllegalStateException("boom"), demo, parsed)).isEqualTo(1);
        assertThat(err.toString().lines().toList()).containsExactly(
                "semiactive demo: image /x.png: unreadable PNG",
                "semiactive demo: internal error: java.lang.IllegalStateException: boom (run again with --verbose for the stack trace)");
    }
}
