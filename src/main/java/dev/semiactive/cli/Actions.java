package dev.semiactive.cli;

import dev.semiactive.config.DataSource;
import dev.semiactive.config.SemiactiveConfig;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * The seam between the command line and the toolkit: each command parses and checks its arguments, then
 * calls exactly one method here. The bodies are wired to the trainer, evaluator and predictor at
 * integration; until then they refuse to run rather than pretend.
 *
 * <p>Contract for every method: arguments are already validated (existing checkpoint/input folders, a
 * resolved config); write human-readable results to {@code out} (machine-readable with {@code json});
 * fail with a one-line {@code SemiactiveException} for bad data, which the CLI prints without a stack trace.
 */
public final class Actions {
    private Actions() {
    }

    /**
     * {@code semiactive train}: trains {@code config.train().method()} on {@code config.data()}, writing
     * checkpoints, logs and a manifest (with {@code ConfigWriter.toTree(config)}) under
     * {@code config.run().outputDir()}.
     */
    public static void train(SemiactiveConfig config, PrintWriter out) {
        // TODO(integration): dev.semiactive.train trainer for config.train().method()
        throw notWired("train");
    }

    /**
     * {@code semiactive evaluate}: mIoU, per-class IoU and pixel accuracy of a checkpoint on the given
     * splits of a dataset, from the shared confusion-matrix evaluator.
     *
     * @param json print one JSON object instead of a table
     */
    public static void evaluate(Path checkpoint, DataSource data, List<String> splits, boolean json, PrintWriter out) {
        // TODO(integration): dev.semiactive.eval evaluator over Datasets.open(data, splits)
        throw notWired("evaluate");
    }

    /**
     * {@code semiactive predict}: segments every image under {@code input} (a folder or one image) and
     * writes index masks and colour previews to {@code output}, named after the inputs.
     */
    public static void predict(Path checkpoint, Path input, Path output, PrintWriter out) {
        // TODO(integration): load checkpoint, run the model over the images
        throw notWired("predict");
    }

    /**
     * {@code semiactive demo}: trains the built-in demo config (synthetic scenes) and reports its
     * validation mIoU, all under {@code config.run().outputDir()}.
     */
    public static void demo(SemiactiveConfig config, PrintWriter out) {
        // TODO(integration): train(config, out) then evaluate the final checkpoint on the synthetic val split
        throw notWired("demo");
    }

    private static IllegalStateException notWired(String command) {
        return new IllegalStateException("not wired yet: '" + command + "' has no implementation behind it in this build");
    }
}
