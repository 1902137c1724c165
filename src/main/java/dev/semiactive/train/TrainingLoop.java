package dev.semiactive.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.semiactive.SemiactiveException;
import dev.semiactive.data.SegmentationDataset;
import dev.semiactive.eval.ConfusionMatrix;
import dev.semiactive.eval.Evaluator;
import dev.semiactive.util.StopRequest;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The one training loop of the project; a {@link TrainingMethod} says what a step computes.
 *
 * <p>Per step: seed the engine from (seed, step) (dropout), open a step manager, open the single gradient
 * collector, let the method compute its loss, backward, update every trained network with SGD at the poly
 * learning rate, let the method do its post-update work (EMA), read the logged scalars, close the step
 * manager. Every {@code logEvery} steps a "train" record goes to {@code metrics.jsonl}; every
 * {@code validateEvery} steps the method's evaluation network is validated ("val" record, {@code best}
 * checkpoint on improvement of mIoU); every {@code checkpointEvery} steps and at the end, {@code latest}.
 * If {@code <run>/checkpoints/latest} exists the run resumes from it: networks, momentum, step, best.
 */
public final class TrainingLoop {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);

    private final Path runDir;
    private final TrainingMethod method;
    private final long steps;
    private final long seed;
    private final PolyLearningRate schedule;
    private final float momentum;
    private final float weightDecay;
    private final int logEvery;
    private final int validateEvery;
    private final int checkpointEvery;
    private final SegmentationDataset validation;
    private final Evaluator evaluator;
    private final ModelCard card;
    private final RunManifest manifest;
    private final Boolean progressBar;
    private final long stopAtStep;
    private final NDManager parentManager;
    private final Path initialCheckpoint;
    private final Path pretrained;
    private final java.util.function.Function<ModelCard, NetworkFactory> pretrainedArchitecture;
    /** Non-finite losses in a row after which training stops: the networks diverged, not one batch. */
    static final int MAX_NON_FINITE_IN_A_ROW = 5;
    /** Gradient norms a network must have seen before clipping starts (a percentile of fewer means little). */
    static final int CLIP_WARMUP = 20;
    private int nonFiniteInARow;
    private final double clipPercentile;
    private final Map<String, List<Double>> gradientNorms = new HashMap<>();

    private TrainingLoop(Builder b) {
        this.runDir = Objects.requireNonNull(b.runDir, "setRunDir is required");
        this.method = Objects.requireNonNull(b.method, "setMethod is required");
        if (b.steps <= 0) throw new IllegalArgumentException("setSteps must be > 0");
        if (!b.seedSet) throw new IllegalArgumentException("setSeed is required: training must be reproducible");
        this.card = Objects.requireNonNull(b.card, "setModelCard is required: a checkpoint must describe its model");
        this.steps = b.steps;
        this.seed = b.seed;
        this.schedule = new PolyLearningRate(b.learningRate, b.steps, b.lrPower, b.warmupSteps);
        this.momentum = b.momentum;
        this.weightDecay = b.weightDecay;
        this.logEvery = Math.max(1, b.logEvery);
        this.validation = b.validation;
        this.evaluator = b.validation == null ? null
                : b.evaluator != null ? b.evaluator : Evaluator.builder().setNormalization(card.normalization()).build();
        this.validateEvery = b.validation == null ? 0 : b.validateEvery > 0 ? b.validateEvery : (int) Math.min(b.steps, 500);
        this.checkpointEvery = b.checkpointEvery > 0 ? b.checkpointEvery
                : validateEvery > 0 ? validateEvery : (int) Math.min(b.steps, 500);
        this.manifest = b.manifest;
        this.progressBar = b.progressBar;
        this.stopAtStep = b.stopAtStep > 0 ? Math.min(b.stopAtStep, b.steps) : b.steps;
        this.parentManager = b.manager;
        this.initialCheckpoint = b.initialCheckpoint;
        this.pretrained = b.pretrained;
        this.pretrainedArchitecture = b.pretrainedArchitecture;
        this.clipPercentile = b.clipPercentile;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Path runDir() {
        return runDir;
    }

    public Path metricsFile() {
        return runDir.resolve("metrics.jsonl");
    }

    /** Runs (or resumes) the training to {@code steps} (or the stop step); closes the method at the end. */
    public TrainingResult run() {
        try {
            Files.createDirectories(runDir);
        } catch (IOException e) {
            throw new SemiactiveException("cannot create run directory " + runDir + ": " + e.getMessage(), e);
        }
        MetricsLog metrics = new MetricsLog(metricsFile());
        Path latestDir = Checkpoint.directory(runDir, Checkpoint.LATEST);
        NDManager root = parentManager != null ? parentManager.newSubManager() : NDManager.newBaseManager();
        Map<String, Network> networks = new LinkedHashMap<>();
        try (root; method) {
            for (NetworkRole role : method.networks()) {
                if (networks.containsKey(role.name())) throw new IllegalArgumentException("two networks named " + role.name());
                networks.put(role.name(), new Network(role, seed, root, momentum, weightDecay));
            }
            if (!networks.containsKey(method.evaluationNetwork()))
                throw new IllegalArgumentException("evaluation network " + method.evaluationNetwork() + " is not declared");

            long start = 0;
            Double best = null;
            long bestStep = -1;
            boolean resumed = false;
            var found = Checkpoint.locate(latestDir);
            if (found.isPresent()) {
                TrainingState state = Checkpoint.readState(found.get());
                if (!method.name().equals(state.method()))
                    throw new SemiactiveException(runDir + " holds a checkpoint of method " + state.method() + ", not "
                            + method.name() + ": use another run directory");
                if (state.step() > steps)
                    throw new SemiactiveException(found.get() + " is at step " + state.step() + ", beyond the " + steps
                            + " steps configured: raise steps or use another run directory");
                Checkpoint.restore(found.get(), networks);
                start = state.step();
                best = state.bestMetric();
                bestStep = state.bestStep();
                // AutoClip's limit is a percentile of every norm so far: without them the resumed steps clip otherwise
                if (state.gradientNorms() != null) state.gradientNorms().forEach((net, norms) -> gradientNorms.put(net, new ArrayList<>(norms)));
                resumed = true;
                metrics.truncateAfter(start);
                LOG.info("resuming {} from step {} of {} ({})", method.name(), start, steps, found.get());
            } else {
                // a fresh start: records of a run killed before its first checkpoint are not this run's
                metrics.truncateAfter(-1);
                if (initialCheckpoint != null) warmStart(initialCheckpoint, networks);
                else if (pretrained != null) initialiseFromPretrained(pretrained, pretrainedArchitecture, networks, root);
            }
            // written once the checks above passed: a rerun refused (another method, fewer steps) leaves the manifest as it was
            if (manifest != null) manifest.write(runDir);
            method.start(new MethodContext(networks, root, seed, start, steps, resumed, initialCheckpoint != null));

            Window window = new Window();
            Map<String, Double> lastScalars = Map.of();
            ConfusionMatrix lastValidation = null;
            long step = start;
            try (StopRequest.Scope stoppable = StopRequest.enter();
                 ProgressBar bar = useProgressBar() ? new ProgressBarBuilder().setTaskName(method.name())
                    .setInitialMax(steps).startsFrom(start, Duration.ZERO).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(500).build() : null) {
                while (step < stopAtStep) {
                    double lr = schedule.at(step);
                    runStep(step, lr, root, networks, window);
                    step++;
                    if (bar != null) bar.stepTo(step);
                    if (step % logEvery == 0 || step == stopAtStep) {
                        lastScalars = window.means();
                        Map<String, Object> rec = record("train", step);
                        rec.put("lr", lr);
                        rec.putAll(lastScalars);
                        rec.put("images_per_s", window.throughput());
                        if (window.skipped > 0) rec.put("skipped_steps", window.skipped);
                        metrics.append(rec);
                        method.onLog(step, lastScalars, LOG);
                        if (bar != null) bar.setExtraMessage(String.format("loss %.4f", lastScalars.getOrDefault("loss", Double.NaN)));
                        else LOG.info("step {}/{} lr {} {}", step, steps, String.format("%.5f", lr), format(lastScalars));
                        window = new Window();
                    }
                    boolean last = step == steps;
                    if (validateEvery > 0 && (step % validateEvery == 0 || last)) {
                        lastValidation = evaluator.evaluate(networks.get(method.evaluationNetwork()).block(), validation, root);
                        Map<String, Object> rec = record("val", step);
                        rec.put("mIoU", lastValidation.meanIoU());
                        rec.put("pixel_accuracy", lastValidation.pixelAccuracy());
                        metrics.append(rec);
                        LOG.info("step {} validation: {}", step, lastValidation);
                        double miou = lastValidation.meanIoU();
                        if (!Double.isNaN(miou) && (best == null || miou > best)) {
                            best = miou;
                            bestStep = step;
                            writeCheckpoint(Checkpoint.directory(runDir, Checkpoint.BEST), networks, step, best, bestStep);
                        }
                    }
                    // on Ctrl-C or SIGTERM this step is kept too, then the run stops (the log window it was in is not
                    // written; the resumed run logs from here)
                    if (step % checkpointEvery == 0 || step == stopAtStep || StopRequest.requested())
                        writeCheckpoint(latestDir, networks, step, best, bestStep);
                    if (step < stopAtStep) {
                        long at = step;
                        StopRequest.throwIfRequested(() -> "at step " + at + " of " + steps + " of " + method.name()
                                + ", checkpoint saved in " + latestDir + ": run the same command to resume");
                    }
                }
            }
            return new TrainingResult(start, step, resumed, lastScalars, lastValidation, best, bestStep, latestDir);
        } finally {
            for (Network n : networks.values()) n.close();
        }
    }

    /**
     * Initialises the networks from another run's checkpoint (an active-learning round starts from the last
     * round's model): parameters only, for every network the checkpoint has; momentum, step and best metric
     * start afresh, and the method is started as not resumed (a teacher is then re-initialised from the
     * student as at any start). Networks the checkpoint lacks keep their seeded initialisation.
     */
    private static void warmStart(Path checkpoint, Map<String, Network> networks) {
        Path dir = Checkpoint.locate(checkpoint).orElseThrow(() -> new SemiactiveException("initial checkpoint " + checkpoint
                + " is not a complete checkpoint (no " + Checkpoint.STATE_FILE + "): train the previous round first"));
        List<String> loaded = new java.util.ArrayList<>();
        for (Network n : networks.values()) {
            Path params = Checkpoint.parametersFile(dir, n.name());
            if (!Files.isRegularFile(params)) continue;
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(params)))) {
                n.loadParameters(in, params.toString());
            } catch (IOException e) {
                throw new SemiactiveException("cannot read " + params + ": " + e.getMessage(), e);
            }
            loaded.add(n.name());
        }
        LOG.info("warm start from {}: {}", dir, loaded.isEmpty() ? "no matching network" : String.join(", ", loaded));
    }

    /**
     * Starts the networks of a run trained from scratch from a pretrained checkpoint (a pretext task's, of
     * another class count): for each network the checkpoint has, the parameters with matching name and shape
     * are copied, the rest keep their seeded values. Unlike {@link #warmStart} the method starts as a fresh
     * run (ramp-ups apply), because nothing of this task has been learnt yet.
     */
    static void initialiseFromPretrained(Path checkpoint, java.util.function.Function<ModelCard, NetworkFactory> architecture,
                                         Map<String, Network> networks, NDManager root) {
        Path dir = Checkpoint.locateRunOrCheckpoint(checkpoint).orElseThrow(() -> new SemiactiveException("model.init " + checkpoint
                + " is not a complete checkpoint (no " + Checkpoint.STATE_FILE + "): run `semiactive pretrain` with this config"
                + " first, or set model.init to its output folder"));
        ModelCard card = Checkpoint.readModelCard(dir);
        NetworkFactory factory = architecture.apply(card);
        List<String> loaded = new ArrayList<>();
        try (NDManager scratch = root.newSubManager()) {
            for (Network n : networks.values()) {
                if (!Files.isRegularFile(Checkpoint.parametersFile(dir, n.name()))) continue;
                try (Network source = Checkpoint.loadNetwork(dir, n.name(), factory, scratch)) {
                    List<String> kept = n.copyMatchingFrom(source);
                    int total = n.block().getParameters().size();
                    if (kept.size() == total)
                        throw new SemiactiveException("model.init " + dir + ": no parameter of network " + n.name()
                                + " matches (another backbone or width?): pretrain with this config's model section");
                    loaded.add(n.name() + " (" + (total - kept.size()) + " of " + total + " parameters"
                            + (kept.isEmpty() ? "" : "; seeded: " + String.join(", ", kept)) + ")");
                }
            }
        }
        if (loaded.isEmpty())
            throw new SemiactiveException("model.init " + dir + " has no network this method trains ("
                    + String.join(", ", networks.keySet()) + "): point it at a pretrain run's folder");
        LOG.info("initialised from {}: {}", dir, String.join("; ", loaded));
    }

    private void runStep(long step, double lr, NDManager root, Map<String, Network> networks, Window window) {
        // dropout and any engine-side randomness become a function of (seed, step): resume repeats them
        Engine.getInstance().setRandomSeed((int) Seeds.derive(seed, 0xD209, step));
        long t0 = System.nanoTime();
        try (NDManager stepManager = root.newSubManager()) {
            StepContext ctx = new StepContext(step, steps, lr, stepManager, networks, Seeds.random(seed, 0x57E9, step));
            StepOutput out;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                out = method.step(ctx);
                collector.backward(out.loss());
            }
            float loss = out.loss().getFloat();
            String nonFiniteGradient = Float.isFinite(loss) && clipPercentile > 0 ? clipGradients(networks, window) : null;
            if (!Float.isFinite(loss) || nonFiniteGradient != null) {
                // name the terms of this step, so the message says which part diverged
                StringBuilder terms = new StringBuilder();
                for (Map.Entry<String, NDArray> e : out.scalars().entrySet())
                    terms.append(terms.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue().getFloat());
                String what = (nonFiniteGradient != null ? "the gradient of " + nonFiniteGradient + " became non-finite" : "the loss became " + loss)
                        + " at step " + step + " of " + method.name() + (terms.length() == 0 ? "" : " (" + terms + ")");
                // A lone non-finite step (a numerical accident of one batch) is skipped: no update, no EMA.
                // Several in a row, or a parameter (BatchNorm running statistics included) that is no longer
                // finite, mean the networks themselves diverged: stop before anything is saved.
                String broken = firstNonFiniteParameter(networks);
                if (++nonFiniteInARow >= MAX_NON_FINITE_IN_A_ROW || broken != null)
                    throw new SemiactiveException(what + (broken != null ? "; " + broken + " is no longer finite"
                            : ", " + nonFiniteInARow + " steps in a row") + ": lower the learning rate (the last checkpoint is intact)");
                LOG.warn("{}: step skipped (no update)", what);
                for (Network n : networks.values()) if (n.optimizer() != null) n.optimizer().zeroGradients();
                window.skipped++;
            } else {
                nonFiniteInARow = 0;
                stepNetworks(lr, networks, ctx, out, loss, window);
            }
            window.images += out.images();
        }
        window.seconds += (System.nanoTime() - t0) / 1e9;
    }

    private void stepNetworks(double lr, Map<String, Network> networks, StepContext ctx, StepOutput out, float loss, Window window) {
        for (Network n : networks.values()) if (n.optimizer() != null) n.optimizer().step((float) lr);
        NoGrad.run(() -> method.afterUpdate(ctx));
        window.add("loss", loss);
        for (Map.Entry<String, NDArray> e : out.scalars().entrySet()) window.add(e.getKey(), e.getValue().getFloat());
    }

    /**
     * AutoClip: per trained network, the gradient norm is compared with the {@code clipPercentile}
     * percentile of the norms it had so far in this run (after {@link #CLIP_WARMUP} of them) and scaled down
     * to it when above; norms and clipping are logged ({@code grad_norm_<net>}, {@code clipped_<net>}).
     *
     * @return the name of a network whose gradient is not finite (the step must be skipped), else null
     */
    private String clipGradients(Map<String, Network> networks, Window window) {
        for (Network n : networks.values()) {
            if (n.optimizer() == null) continue;
            double norm = n.optimizer().gradientNorm();
            if (!Double.isFinite(norm)) return n.name();
            List<Double> seen = gradientNorms.computeIfAbsent(n.name(), k -> new ArrayList<>());
            boolean clipped = false;
            if (seen.size() >= CLIP_WARMUP) {
                double limit = percentile(seen, clipPercentile);
                if (norm > limit && limit > 0) {
                    n.optimizer().scaleGradients((float) (limit / norm));
                    clipped = true;
                }
            }
            seen.add(norm);
            window.add("grad_norm_" + n.name(), norm);
            window.add("clipped_" + n.name(), clipped ? 1 : 0);
        }
        return null;
    }

    /** The p-th percentile (0-100) of values, by linear interpolation between order statistics. */
    static double percentile(List<Double> values, double p) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double pos = p / 100 * (v.length - 1);
        int lo = (int) Math.floor(pos), hi = Math.min(lo + 1, v.length - 1);
        return v[lo] + (pos - lo) * (v[hi] - v[lo]);
    }

    /** "network/parameter" of the first parameter holding NaN or infinity, or null when all are finite. */
    static String firstNonFiniteParameter(Map<String, Network> networks) {
        for (Network n : networks.values())
            for (var p : n.block().getParameters()) {
                NDArray a = p.getValue().getArray();
                // results of ops on a parameter land in the parameter's manager: work on a copy in a scope
                boolean finite = NoGrad.get(() -> {
                    try (NDManager scope = a.getManager().newSubManager()) {
                        NDArray c = a.duplicate();
                        c.attach(scope);
                        return !c.isNaN().logicalOr(c.isInfinite()).any().getBoolean();
                    }
                });
                if (!finite) return n.name() + "/" + p.getKey();
            }
        return null;
    }

    private void writeCheckpoint(Path dir, Map<String, Network> networks, long step, Double best, long bestStep) {
        TrainingState state = new TrainingState(1, method.name(), step, steps, seed, best, bestStep,
                Checkpoint.optimizerLayout(networks.values()), Instant.now().toString(), gradientNorms);
        Map<String, Object> prov = new LinkedHashMap<>();
        if (manifest != null) prov.putAll(manifest.asProvenance());
        prov.put("step", step);
        prov.put("createdAt", state.savedAt());
        ModelCard c = card.withTraining(method.name(), method.evaluationNetwork()).withProvenance(prov);
        Checkpoint.write(dir, networks.values(), state, c);
    }

    private boolean useProgressBar() {
        return progressBar != null ? progressBar : System.console() != null;
    }

    private static Map<String, Object> record(String kind, long step) {
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("kind", kind);
        rec.put("step", step);
        rec.put("time", Instant.now().toString());
        return rec;
    }

    private static String format(Map<String, Double> scalars) {
        StringBuilder sb = new StringBuilder();
        scalars.forEach((k, v) -> sb.append(k).append(' ').append(String.format("%.4f", v)).append(' '));
        return sb.toString().trim();
    }

    /** Scalars accumulated between two log steps. */
    private static final class Window {
        final Map<String, double[]> sums = new TreeMap<>();
        long images;
        long skipped;
        double seconds;

        void add(String name, double v) {
            double[] s = sums.computeIfAbsent(name, k -> new double[2]);
            s[0] += v;
            s[1]++;
        }

        Map<String, Double> means() {
            Map<String, Double> out = new LinkedHashMap<>();
            sums.forEach((k, s) -> out.put(k, s[0] / s[1]));
            return out;
        }

        double throughput() {
            return seconds > 0 ? images / seconds : 0;
        }
    }

    public static final class Builder {
        private Path runDir;
        private TrainingMethod method;
        private long steps;
        private long seed;
        private boolean seedSet;
        private double learningRate = 0.01;
        private double lrPower = 0.9;
        private long warmupSteps;
        private float momentum = 0.9f;
        private float weightDecay = 1e-4f;
        private int logEvery = 20;
        private int validateEvery;
        private int checkpointEvery;
        private SegmentationDataset validation;
        private Evaluator evaluator;
        private ModelCard card;
        private RunManifest manifest;
        private Boolean progressBar;
        private long stopAtStep;
        private double clipPercentile;
        private NDManager manager;
        private Path initialCheckpoint;
        private Path pretrained;
        private java.util.function.Function<ModelCard, NetworkFactory> pretrainedArchitecture;

        /** Run directory: metrics.jsonl, manifest.json, checkpoints/. An existing latest checkpoint is resumed. */
        public Builder setRunDir(Path runDir) {
            this.runDir = runDir;
            return this;
        }

        public Builder setMethod(TrainingMethod method) {
            this.method = method;
            return this;
        }

        /** Total optimisation steps of the run (the poly schedule's length). */
        public Builder setSteps(long steps) {
            this.steps = steps;
            return this;
        }

        public Builder setSeed(long seed) {
            this.seed = seed;
            this.seedSet = true;
            return this;
        }

        /** Architecture, labels, normalisation, working resolution: becomes model.json of each checkpoint. */
        public Builder setModelCard(ModelCard card) {
            this.card = card;
            return this;
        }

        /** Base learning rate of the poly schedule (default 0.01). */
        public Builder optLearningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /** Poly exponent (default 0.9). */
        /** Linear learning-rate warm-up over the first steps (default 0 = none; {@link PolyLearningRate}). */
        public Builder optWarmupSteps(long warmupSteps) {
            this.warmupSteps = warmupSteps;
            return this;
        }

        public Builder optLrPower(double power) {
            this.lrPower = power;
            return this;
        }

        /** SGD momentum (default 0.9). */
        /** AutoClip percentile of the run's gradient norms per network (0 = off, the default). */
        public Builder optClipPercentile(double percentile) {
            if (!(percentile >= 0 && percentile <= 100)) throw new IllegalArgumentException("clip percentile must be in [0, 100]");
            this.clipPercentile = percentile;
            return this;
        }

        public Builder optMomentum(float momentum) {
            this.momentum = momentum;
            return this;
        }

        /** Weight decay (default 1e-4). */
        public Builder optWeightDecay(float weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** Steps between "train" metric records and log lines (default 20). */
        public Builder optLogEvery(int logEvery) {
            this.logEvery = logEvery;
            return this;
        }

        /** Validation set (labelled) and, optionally, a configured evaluator. */
        public Builder optValidation(SegmentationDataset validation, Evaluator evaluator) {
            this.validation = validation;
            this.evaluator = evaluator;
            return this;
        }

        /** Steps between validations (default min(steps, 500)); validation also runs at the last step. */
        public Builder optValidateEvery(int validateEvery) {
            this.validateEvery = validateEvery;
            return this;
        }

        /** Steps between latest checkpoints (default = validateEvery, or min(steps, 500)); also at the end. */
        public Builder optCheckpointEvery(int checkpointEvery) {
            this.checkpointEvery = checkpointEvery;
            return this;
        }

        /** Written to manifest.json at start; its provenance goes into every model.json. */
        public Builder optManifest(RunManifest manifest) {
            this.manifest = manifest;
            return this;
        }

        /** Force the progress bar on or off (default: on when a console is attached). */
        public Builder optProgressBar(boolean on) {
            this.progressBar = on;
            return this;
        }

        /** Return after this step as if interrupted (the schedule still spans setSteps): tests, time slicing. */
        public Builder optStopAtStep(long stopAtStep) {
            this.stopAtStep = stopAtStep;
            return this;
        }

        /** Parent manager (default: a new base manager). */
        public Builder optManager(NDManager manager) {
            this.manager = manager;
            return this;
        }

        /**
         * Warm start: when the run directory has no checkpoint yet, initialise the networks' parameters from
         * this checkpoint directory (e.g. the previous active-learning round's {@code checkpoints/latest}).
         * Ignored on resume, where the run's own latest checkpoint wins.
         */
        public Builder optInitialCheckpoint(Path checkpointDir) {
            this.initialCheckpoint = checkpointDir;
            return this;
        }

        /**
         * A pretrained checkpoint (e.g. a pretext task's) that starts the networks when the run neither resumes
         * nor warm-starts; {@code architecture} rebuilds the checkpoint's network from its model card.
         */
        public Builder optPretrained(Path checkpointDir, java.util.function.Function<ModelCard, NetworkFactory> architecture) {
            this.pretrained = checkpointDir;
            this.pretrainedArchitecture = checkpointDir == null ? null : Objects.requireNonNull(architecture, "architecture");
            return this;
        }

        public TrainingLoop build() {
            return new TrainingLoop(this);
        }
    }
}
