package dev.semiactive.cli;

import ai.djl.ndarray.NDManager;
import dev.semiactive.config.DataSource;
import dev.semiactive.eval.Predictor;
import dev.semiactive.pipeline.CheckpointEvaluation;
import dev.semiactive.pipeline.Components;
import dev.semiactive.pipeline.RunReport;
import dev.semiactive.pipeline.TrainingRun;
import dev.semiactive.train.Checkpoint;
import dev.semiactive.train.Json;
import dev.semiactive.train.TrainingResult;
import dev.semiactive.config.SemiactiveConfig;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seam between the command line and the toolkit: each command parses and checks its arguments, then
 * calls exactly one method here. The bodies are wired to the trainer, evaluator and predictor at
 * the toolkit through {@link dev.semiactive.pipeline}, the composition root.
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
        TrainingResult r = TrainingRun.run(config);
        Path runDir = config.run().resolvedOutputDir();
        RunReport.write(runDir, r);
        out.printf("trained %s for steps %d..%d%s%n", config.train().method().configName(), r.startStep(), r.endStep(),
                r.resumed() ? " (resumed)" : "");
        if (r.bestMetric() != null) out.printf("best val mIoU %.2f at step %d%n", 100 * r.bestMetric(), r.bestStep());
        out.printf("checkpoints: %s%nreport:      %s%n", Checkpoint.directory(runDir, Checkpoint.BEST).getParent(),
                runDir.resolve(RunReport.FILE));
    }

    /**
     * {@code semiactive evaluate}: mIoU, per-class IoU and pixel accuracy of a checkpoint on the given
     * splits of a dataset, from the shared confusion-matrix evaluator.
     *
     * @param json print one JSON object instead of a table
     */
    public static void evaluate(Path checkpoint, DataSource data, List<String> splits, boolean json, PrintWriter out) {
        CheckpointEvaluation.Result r = CheckpointEvaluation.evaluate(checkpoint, data, splits);
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("checkpoint", r.checkpoint().toString());
            o.put("data", r.dataset().describe());
            o.put("classes", r.card().labels().classNames());
            o.put("mIoU", r.matrix().meanIoU());
            o.put("pixelAccuracy", r.matrix().pixelAccuracy());
            o.put("perClassIoU", r.matrix().perClassIoU());
            try {
                out.println(Json.MAPPER.writeValueAsString(o));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        } else {
            out.printf("%s on %s%n", r.checkpoint(), r.dataset().describe());
            out.print(CheckpointEvaluation.table(r));
        }
    }

    /**
     * {@code semiactive predict}: segments every image under {@code input} (a folder or one image) and
     * writes index masks and colour previews to {@code output}, named after the inputs.
     */
    public static void predict(Path checkpoint, Path input, Path output, PrintWriter out) {
        Path ckpt = CheckpointEvaluation.resolveCheckpoint(checkpoint);
        try (NDManager m = NDManager.newBaseManager();
             Predictor p = Predictor.load(ckpt, Components.architectures(), m)) {
            List<Path> written = p.predictFolder(input, output);
            out.printf("wrote %d masks to %s (colour overlays in %s)%n", written.size(), output, output.resolve("overlay"));
        }
    }

    /**
     * {@code semiactive demo}: trains the built-in demo config (synthetic scenes) and reports its
     * validation mIoU, all under {@code config.run().outputDir()}.
     */
    public static void demo(SemiactiveConfig config, PrintWriter out) {
        out.println("semiactive demo: training " + config.model().backbone().configName() + " on synthetic scenes ("
                + config.train().steps() + " steps) into " + config.run().resolvedOutputDir());
        out.flush();
        train(config, out);
        Path runDir = config.run().resolvedOutputDir();
        CheckpointEvaluation.Result r = CheckpointEvaluation.evaluate(runDir,
                new DataSource(config.data().format(), config.data().root()), config.data().valSplit());
        out.printf("demo validation mIoU %.2f%% (%s)%n", 100 * r.matrix().meanIoU(), r.dataset().describe());
    }
}
