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
import dev.semiactive.data.LabelSpace;
import dev.semiactive.data.LabelSpaces;
import dev.semiactive.loop.ActiveLearningLoop;
import dev.semiactive.loop.Experiment;
import dev.semiactive.loop.FolderRefinement;
import dev.semiactive.loop.Project;
import dev.semiactive.loop.ProjectExport;
import dev.semiactive.store.ProjectStore;
import dev.semiactive.store.RoundPhase;
import dev.semiactive.web.AnnotationServer;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

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
     * @param network the checkpoint's network to evaluate, null = the one its method evaluates
     * @param json print one JSON object instead of a table
     */
    public static void evaluate(Path checkpoint, DataSource data, List<String> splits, String network, boolean json, PrintWriter out) {
        CheckpointEvaluation.Result r = CheckpointEvaluation.evaluate(checkpoint, data, splits, network);
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("checkpoint", r.checkpoint().toString());
            o.put("data", r.dataset().describe());
            o.put("classes", r.card().labels().classNames());
            o.put("mIoU", r.matrix().meanIoU());
            o.put("pixelAccuracy", r.matrix().pixelAccuracy());
            o.put("perClassIoU", r.matrix().perClassIoU());
            // rows = ground truth, columns = prediction, pixel counts (void excluded): which classes a class is lost to
            o.put("confusion", r.matrix().counts());
            try {
                out.println(Json.MAPPER.writeValueAsString(o));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        } else {
            out.printf("%s%s on %s%n", r.checkpoint(), network == null ? "" : " (" + network + ")", r.dataset().describe());
            out.print(CheckpointEvaluation.table(r));
        }
        out.flush();
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
     * {@code semiactive demo}: runs the built-in demo experiment (synthetic scenes, a few active-learning
     * rounds) and reports its final validation mIoU, all under {@code config.run().outputDir()}.
     */
    public static void demo(SemiactiveConfig config, PrintWriter out) {
        String rounds = config.al().rounds() == null ? "until the budget is spent" : config.al().rounds() + " rounds";
        out.println("semiactive demo: active learning with " + config.model().backbone().configName() + " on synthetic scenes ("
                + rounds + " of " + config.train().steps() + " steps) into " + config.run().resolvedOutputDir());
        out.flush();
        Experiment.Result r = experiment(config, out);
        if (r.finalMiou() != null)
            out.printf("demo validation mIoU %.2f%% with %.1f%% of the pixels labelled (%s)%n", 100 * r.finalMiou(),
                    r.labelledPercent(), String.join(",", config.data().valSplit()));
    }

    /**
     * {@code semiactive experiment}: active-learning rounds with a simulated oracle until the budget is spent;
     * prints one line per round and where the report and the last model are.
     */
    public static Experiment.Result experiment(SemiactiveConfig config, PrintWriter out) {
        Experiment.Result r = Experiment.builder().setConfig(config).build().run();
        try (ProjectStore store = ProjectStore.open(r.runDir().resolve(Experiment.STORE))) {
            for (var rec : store.rounds()) {
                var m = store.metrics(rec.round());
                String miou = m.containsKey("mIoU") && m.get("mIoU").isNumber()
                        ? String.format("val mIoU %.2f%% (trained on %.2f%% of pixels)", 100 * m.get("mIoU").asDouble(),
                        m.get("train_labelled_percent").asDouble()) : "no model yet";
                out.printf("round %d: %s; labelled %.2f%% of pixels, %d regions, %d images%n", rec.round(), miou,
                        m.containsKey("labelled_percent") ? m.get("labelled_percent").asDouble() : 0.0,
                        m.containsKey("labelled_regions") ? m.get("labelled_regions").asLong() : 0,
                        m.containsKey("images_touched") ? m.get("images_touched").asLong() : 0);
            }
            ActiveLearningLoop.latestModel(r.runDir(), store)
                    .ifPresent(ckpt -> out.printf("checkpoints: %s%n", ckpt.getParent()));
        }
        out.printf("report:      %s%n", r.report());
        out.flush();
        return r;
    }

    /** {@code semiactive project init}. */
    public static void projectInit(Path dir, Path images, Path classFile, DataSource like, SemiactiveConfig config, PrintWriter out) {
        LabelSpace labels = classFile != null ? LabelSpaces.readClassFile(classFile) : Project.labelsLike(like, config);
        try (Project p = Project.init(dir, images, labels, config)) {
            out.printf("project %s: %d images, %d classes (%s)%n", dir, p.store().images().size(), labels.numClasses(),
                    String.join(", ", labels.classNames()));
            out.printf("next: semiactive project round --dir %s%n", dir);
        }
    }

    /** {@code semiactive project round}. */
    public static void projectRound(Path dir, boolean skipPending, PrintWriter out) {
        try (Project p = Project.open(dir)) {
            Project.RoundOutcome o = p.round(skipPending);
            if (o.phase() == RoundPhase.QUERIED) {
                out.printf("round %d: %d of %d queued regions wait for labels%n", o.round(), o.pending(), o.queued());
                out.printf("label them: semiactive serve --project %s ; then run 'project round' again%n", dir);
            } else if (o.budgetSpent()) {
                out.printf("round %d: trained on every label; the budget (al.budget %.2f%%) is spent, nothing more to label%n",
                        o.round(), 100 * p.config().al().budget());
            } else {
                out.printf("round %d: done%n", o.round());
            }
            printStatus(p, out);
        }
    }

    /** {@code semiactive project status}. */
    public static void projectStatus(Path dir, PrintWriter out) {
        try (Project p = Project.open(dir)) {
            printStatus(p, out);
        }
    }

    private static void printStatus(Project p, PrintWriter out) {
        Project.Status s = p.status();
        out.printf("round:    %s%n", s.round() < 0 ? "none yet" : s.round() + " (phase " + s.phase().dbName() + ")");
        out.printf("labelled: %.2f%% of %d pixels (budget %.2f%%), %d regions, %d of %d images%n", s.labelledPercent(),
                s.poolPixels(), 100 * s.budget(), s.labelled().regions(), s.labelled().imagesTouched(), s.poolImages());
        out.printf("pending:  %d queries%n", s.pending());
        out.printf("model:    %s%n", s.model().map(Path::toString).orElse("none yet (trained from round 1 on)"));
        out.flush();
    }

    /** {@code semiactive project export}. */
    public static void projectExport(Path dir, Path output, ProjectExport.Layout layout, PrintWriter out) {
        try (Project p = Project.open(dir)) {
            ProjectExport.Result r = ProjectExport.export(p, output, layout);
            out.printf("exported %d labelled images (%d labelled pixels) to %s (%s layout, classes.yaml)%n", r.images(),
                    r.labelledPixels(), output, layout.name().toLowerCase(java.util.Locale.ROOT));
            r.model().ifPresent(m -> out.printf("model: %s%n", m));
        }
    }

    /**
     * {@code semiactive serve}: the annotation page over a project until {@code stop} is counted down or the
     * process is stopped (a shutdown hook stops the server).
     */
    public static void serve(Path dir, String host, int port, String token, PrintWriter out, CountDownLatch stop) {
        try (Project p = Project.open(dir)) {
            String t = "random".equals(token) ? AnnotationServer.newAccessToken() : token;
            AnnotationServer server = AnnotationServer.builder().setStore(p.store()).setLabelSpace(p.labels()).setImages(p.images())
                    .optProjectName(dir.toAbsolutePath().normalize().getFileName().toString()).optHost(host).optPort(port)
                    .optAccessToken(t).build().start();
            Thread hook = new Thread(() -> {
                server.stop();
                stop.countDown();
            }, "semiactive-serve-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            out.printf("annotate at %s%n", server.url());
            out.println("labels are saved as you go; Ctrl-C stops the server, then run 'semiactive project round --dir " + dir + "'");
            out.flush();
            try {
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                server.stop();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it stops the server itself
                }
            }
        }
    }

    /** {@code semiactive refine}. */
    private static String percent(Object v) {
        return v instanceof Number n ? String.format("%.1f%%", 100 * n.doubleValue()) : "-";
    }

    public static void refine(Path checkpoint, DataSource labelled, List<String> splits, Path images, Path output,
                              DataSource truth, List<String> truthSplits, List<String> overrides, PrintWriter out) {
        Map<String, Object> s = FolderRefinement.run(checkpoint, labelled, splits, images, output, truth, truthSplits, overrides);
        out.printf("refined %s images: %s flagged pixels, %s refined, %s undecided%n", s.get("images"), s.get("flaggedPixels"),
                s.get("refinedPixels"), s.get("undecidedPixels"));
        if (truth != null)
            out.printf("against ground truth: PLAR accuracy %s (Teacher on the same pixels %s); Teacher error rate %s, "
                            + "in the pseudo-label after the error mask %s, after PLAR %s; Teacher error removed %s%n",
                    percent(s.get("plar_accuracy")), percent(s.get("plar_teacher_accuracy")), percent(s.get("teacher_error_rate")),
                    percent(s.get("mask_only_target_error_rate")), percent(s.get("plar_target_error_rate")),
                    percent(s.get("teacher_error_removed")));
        out.printf("masks: %s (refined/, undecided/, flagged/), summary: %s%n", output, output.resolve(FolderRefinement.SUMMARY));
    }
}
