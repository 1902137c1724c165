package dev.semiactive.train.semi;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.semiactive.SemiactiveException;
import dev.semiactive.data.Augmentations;
import dev.semiactive.data.SegmentationDataset;
import dev.semiactive.model.NdOps;
import dev.semiactive.model.SegmentationOutputs;
import dev.semiactive.train.Augmentation;
import dev.semiactive.train.BatchSampler;
import dev.semiactive.train.ClassWeights;
import dev.semiactive.train.HostBatch;
import dev.semiactive.train.Losses;
import dev.semiactive.train.MethodContext;
import dev.semiactive.train.NativeStaging;
import dev.semiactive.train.Network;
import dev.semiactive.train.NetworkFactory;
import dev.semiactive.train.NetworkRole;
import dev.semiactive.train.NoGrad;
import dev.semiactive.train.Normalization;
import dev.semiactive.train.Seeds;
import dev.semiactive.train.StepContext;
import dev.semiactive.train.StepOutput;
import dev.semiactive.train.TrainingMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Teacher-Student-Friend training (SPEC "Semi-supervised training: TSF") and its ablations Mean Teacher and
 * CPS: one trainer, the {@link Terms} say which parts are on.
 *
 * <p>Networks: {@value #STUDENT} (trained), {@value #FRIEND} (trained, another init seed; with the CPS term),
 * {@value #TEACHER} (EMA of the Student, never trained by gradients; with the teacher-student term) and
 * {@value #EMD} (the error mask decoder, trained by its own optimiser; with the EMD). All are declared, so
 * checkpoints hold them all and resume restores them all.
 *
 * <p>A step, under the loop's one gradient collector:
 * <ol>
 *   <li>labelled batch, weak view: L_sup = CE(S(x_l), y_l) + CE(F(x_l), y_l), 255 ignored;</li>
 *   <li>unlabelled batch: weak view w; strong view s = w + photometric + CutMix (pairs within the batch);</li>
 *   <li>Teacher on w (training=false, autograd off, outputs detached): argmax, confidence; the EMD on the
 *       Teacher's features (eval mode) gives the error probability; error mask = confidence &lt; tau OR EMD
 *       &gt; 0.5; targets = argmax where not flagged, PLAR label where refined, else ignore; the same CutMix
 *       boxes are pasted into the targets; L_ts = CE(S(s), targets);</li>
 *   <li>L_cps = CE(S(x), argmax F(x)) + CE(F(x), argmax S(x)) over the pixels of x_l and s together, targets
 *       detached; the Friend sees no Teacher output;</li>
 *   <li>EMD: Teacher on x_l (eval, detached) gives F1, F2 and a prediction; target 1[prediction != y_l] on
 *       labelled pixels; the EMD logit (stride 4) is upsampled bilinearly to the label size and trained with
 *       positively weighted BCE (L_emd);</li>
 *   <li>L = L_sup + lambda_ts L_ts + lambda_cps L_cps + L_emd; after the update (autograd off) the Teacher
 *       takes the EMA of the Student with decay min(1 - 1/(step+1), ema_decay).</li>
 * </ol>
 *
 * <p>With a ramp-up ({@link RampUp}) both weights are multiplied by the ramp's weight at the step.
 *
 * <p>A term whose weight is 0 is switched off rather than computed and multiplied by 0: with lambda_cps = 0
 * there is no Friend; with lambda_ts = 0 the Teacher makes no pseudo-labels (it stays the EMA of the Student,
 * the evaluation network and the EMD's input); with both at 0 no unlabelled image is read and the Student
 * sees only labelled images, so its BatchNorm statistics are the supervised method's. Why: on CamVid at 100
 * steps a round from scratch, every unsupervised weight cost mIoU (BENCHMARKS.md, "Screens"), and weight 0
 * is then a setting worth running, at the supervised step's cost plus the Teacher's and the EMD's.
 *
 * <p>Logged scalars: {@code sup_s sup_f ts cps emd} (loss terms, unweighted), {@code unsup_weight} (the
 * ramp's weight, while one is set), {@code reliable_ratio},
 * {@code low_confidence_ratio}, {@code emd_flagged}, {@code refined_ratio} (fractions of the unlabelled
 * batch's pixels, before CutMix), {@code sf_disagreement} (argmax S != argmax F on the strong unlabelled
 * view), {@code emd_precision}, {@code emd_recall} (the EMD's training forward on the current labelled batch
 * against the Teacher's true errors, before this step's update: an in-sample estimate) and
 * {@code emd_pos_weight}. The Teacher is the evaluation network when there is one, else the Student.
 */
public final class SemiSupervisedMethod implements TrainingMethod {
    private static final Logger LOG = LoggerFactory.getLogger(SemiSupervisedMethod.class);
    public static final String STUDENT = "student";
    public static final String FRIEND = "friend";
    public static final String TEACHER = "teacher";
    public static final String EMD = "emd";
    /** Student-Friend disagreement below which onLog warns of a collapse. */
    public static final double COLLAPSE_DISAGREEMENT = 0.05;
    /** EMD flagged fraction above which onLog warns of over-flagging. */
    public static final double OVER_FLAGGING = 0.5;

    private final Terms terms;
    private final NetworkFactory segmentation;
    private final NetworkFactory errorMaskDecoder;
    private final SegmentationDataset labelled;
    private final SegmentationDataset unlabelled;
    private final int batchSize;
    private final int unlabelledBatchSize;
    private final Augmentation weak;
    private final Augmentation photometric;
    private final Augmentations cutMix;
    private final Normalization normalization;
    private final double emaDecay;
    private final double threshold;
    private final double lambdaTs;
    private final double lambdaCps;
    private final Double emdPosWeight;
    private final double emdPosWeightMax;
    private final PseudoLabelOverrides overrides;
    private final int loaderThreads;
    private final long rampUpSteps;
    private final boolean weakBatchNormStatistics;
    private final boolean distributionAlignment;
    private final double classWeightPower;
    private final boolean imageStreams;
    /** Set in start() when {@link #classWeightPower} is above 0: the supervised terms' class weights. */
    private ClassWeights classWeights;
    /** Set in start() when {@link #distributionAlignment} is on: the labelled prior and the Teacher's moving mean. */
    private DistributionAlignment alignment;
    /** Snapshots taken in this step, restored in afterUpdate (or, after a skipped step, at the next step's start). */
    private final List<RunningStatistics> pendingRestores = new ArrayList<>();
    /** The CPS term is on and weighs more than 0: only then is there a Friend. */
    private final boolean crossPseudoActive;
    /** The teacher-student term is on and weighs more than 0: only then does the Teacher make pseudo-labels. */
    private final boolean teacherStudentActive;
    /** The ramp in force: {@link #rampUpSteps}, or 0 when the run warm-started from trained networks. */
    private long activeRampUp;

    private BatchSampler labelledSampler;
    private BatchSampler unlabelledSampler;
    private Network student;
    private Network friend;
    private Network teacher;
    private Network emd;

    private SemiSupervisedMethod(Builder b) {
        this.terms = Objects.requireNonNull(b.terms, "setTerms is required");
        this.segmentation = Objects.requireNonNull(b.segmentation, "setNetwork is required");
        this.errorMaskDecoder = b.errorMaskDecoder;
        if (terms.errorMaskDecoder() && errorMaskDecoder == null)
            throw new IllegalArgumentException("the EMD term is on: setErrorMaskDecoder is required");
        this.labelled = Objects.requireNonNull(b.labelled, "setLabelled is required");
        this.unlabelled = Objects.requireNonNull(b.unlabelled, "setUnlabelled is required");
        if (b.batchSize <= 0 || b.unlabelledBatchSize <= 0) throw new IllegalArgumentException("batch sizes must be > 0");
        if (labelled.channels() != unlabelled.channels())
            throw new SemiactiveException("labelled images have " + labelled.channels() + " channels but unlabelled ones "
                    + unlabelled.channels() + ": use one image format for both");
        this.batchSize = b.batchSize;
        this.unlabelledBatchSize = b.unlabelledBatchSize;
        this.weak = b.weak;
        this.photometric = b.photometric;
        this.cutMix = b.cutMix;
        this.normalization = b.normalization != null ? b.normalization : Normalization.defaults(labelled.channels());
        if (!(b.emaDecay >= 0 && b.emaDecay < 1)) throw new IllegalArgumentException("EMA decay must be in [0, 1)");
        if (!(b.threshold >= 0 && b.threshold <= 1)) throw new IllegalArgumentException("threshold must be in [0, 1]");
        if (b.lambdaTs < 0 || b.lambdaCps < 0) throw new IllegalArgumentException("loss weights must be >= 0");
        if (b.emdPosWeight != null && !(b.emdPosWeight > 0)) throw new IllegalArgumentException("EMD positive weight must be > 0");
        if (!(b.emdPosWeightMax >= 1)) throw new IllegalArgumentException("EMD positive weight bound must be >= 1");
        this.emaDecay = b.emaDecay;
        this.threshold = b.threshold;
        this.lambdaTs = b.lambdaTs;
        this.lambdaCps = b.lambdaCps;
        this.emdPosWeight = b.emdPosWeight;
        this.emdPosWeightMax = b.emdPosWeightMax;
        this.overrides = b.overrides;
        this.loaderThreads = b.loaderThreads;
        if (b.rampUpSteps < 0) throw new IllegalArgumentException("ramp-up steps must be >= 0");
        this.rampUpSteps = b.rampUpSteps;
        this.weakBatchNormStatistics = b.weakBatchNormStatistics;
        this.distributionAlignment = b.distributionAlignment;
        this.classWeightPower = ClassWeights.checkPower(b.classWeightPower);
        this.imageStreams = b.imageStreams;
        this.crossPseudoActive = terms.crossPseudo() && lambdaCps > 0;
        this.teacherStudentActive = terms.teacherStudent() && lambdaTs > 0;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return terms.methodName();
    }

    @Override
    public List<NetworkRole> networks() {
        // salts: the Student's is the supervised baseline's (0), so every method starts from the same Student
        List<NetworkRole> roles = new ArrayList<>();
        roles.add(new NetworkRole(STUDENT, segmentation, 0, true));
        if (crossPseudoActive) roles.add(new NetworkRole(FRIEND, segmentation, 1, true));
        if (terms.teacherStudent()) roles.add(new NetworkRole(TEACHER, segmentation, 2, false));
        if (terms.errorMaskDecoder()) roles.add(new NetworkRole(EMD, errorMaskDecoder, 3, true));
        return roles;
    }

    @Override
    public String evaluationNetwork() {
        return terms.teacherStudent() ? TEACHER : STUDENT;
    }

    @Override
    public void start(MethodContext context) {
        student = context.network(STUDENT);
        friend = crossPseudoActive ? context.network(FRIEND) : null;
        teacher = terms.teacherStudent() ? context.network(TEACHER) : null;
        emd = terms.errorMaskDecoder() ? context.network(EMD) : null;
        // networks that start trained (an active-learning round after the first) need no ramp
        activeRampUp = context.warmStarted() ? 0 : rampUpSteps;
        alignment = distributionAlignment && teacherStudentActive ? DistributionAlignment.fromLabelled(labelled) : null;
        classWeights = ClassWeights.forRun(labelled, classWeightPower);
        if (classWeights != null) LOG.info("class weights of the supervised terms (power {}): {}", classWeightPower, classWeights);
        // before step 0 the Teacher is the Student (resume restores the checkpointed Teacher instead)
        if (teacher != null && !context.resumed()) NoGrad.run(() -> teacher.copyFrom(student));
        labelledSampler = BatchSampler.builder().setDataset(labelled).setBatchSize(batchSize)
                .setSeed(Seeds.derive(context.seed(), 0x1AB)) // the supervised method's stream: same labelled batches
                .optAugmentation(weak).optNormalization(normalization).optWorkers(loaderThreads)
                .optImageKeyed(imageStreams).optStartBatch(context.startStep()).build();
        if (usesUnlabelled()) unlabelledSampler = BatchSampler.builder().setDataset(PseudoLabelOverrides.attach(unlabelled, overrides))
                .setBatchSize(unlabelledBatchSize).setSeed(Seeds.derive(context.seed(), 0x0B1))
                .optAugmentation(weak).optNormalization(UnlabelledViews.raw(unlabelled.channels()))
                .optWorkers(loaderThreads).optImageKeyed(imageStreams).optStartBatch(context.startStep()).build();
    }

    @Override
    public StepOutput step(StepContext context) {
        restoreRunningStatistics(); // a skipped step (no afterUpdate) left its snapshots pending
        NDManager m = context.manager();
        Map<String, NDArray> scalars = new LinkedHashMap<>();
        double unsupervised = RampUp.weight(context.step(), activeRampUp);
        if (activeRampUp > 0 && usesUnlabelled()) scalars.put("unsup_weight", scalar(m, unsupervised));
        HostBatch lb = labelledSampler.next();
        if (!lb.labelled()) throw new SemiactiveException("labelled batch " + lb.ids() + " has no masks: the labelled set must have masks");
        NDArray xl = lb.imagesArray(m);
        NDArray yl = lb.masksArray(m);
        NDArray sl = logits(student.forward(m, xl, true));
        NDArray ylWeight = classWeights == null ? null : classWeights.pixelWeights(yl);
        Losses.Value supS = Losses.crossEntropy(sl, yl, ylWeight);
        scalars.put("sup_s", supS.loss());
        NDArray loss = supS.loss();
        if (!usesUnlabelled()) return new StepOutput(withErrorMaskDecoder(loss, m, xl, lb, scalars), scalars, lb.size());

        HostBatch ub = unlabelledSampler.next();
        UnlabelledViews views = UnlabelledViews.of(ub, photometric, cutMix, normalization, context.random());
        Shape uShape = new Shape(views.size(), views.channels(), views.height(), views.width());
        NDArray xs = NativeStaging.floats(m, views.strong(), uShape);
        NDArray su = logits(strongForward(student, m, xs));

        if (friend != null) {
            NDArray fl = logits(friend.forward(m, xl, true));
            NDArray fu = logits(strongForward(friend, m, xs));
            Losses.Value supF = Losses.crossEntropy(fl, yl, ylWeight);
            scalars.put("sup_f", supF.loss());
            NDArray cps = crossPseudoLoss(sl, fl, su, fu);
            scalars.put("cps", cps);
            scalars.put("sf_disagreement", NoGrad.get(() -> su.argMax(1).neq(fu.argMax(1)).toType(DataType.FLOAT32, false).mean()));
            loss = loss.add(supF.loss()).add(NdOps.scale(cps, lambdaCps * unsupervised));
        }
        // here, after the trained networks' forwards, so the engine's random stream (dropout) meets them in
        // the order it always has: a seeded run repeats the runs made before terms at weight 0 were skipped
        loss = withErrorMaskDecoder(loss, m, xl, lb, scalars);

        if (teacherStudentActive) {
            NDArray xw = NativeStaging.floats(m, views.weak(), uShape);
            NDList tu = detached(teacher, m, xw);
            float[] emdProbability = null;
            if (emd != null) {
                NDList features = new NDList(tu.get(SegmentationOutputs.F1), tu.get(SegmentationOutputs.F2));
                emdProbability = NoGrad.get(() -> emdLogit(emd.forward(m, features, false), views.height(), views.width())
                        .stopGradient().getNDArrayInternal().sigmoid().toFloatArray());
            }
            NDArray tl = logits(tu);
            NDArray probabilities = tl.softmax(1);
            if (alignment != null) probabilities = alignment.align(probabilities);
            float[] confidence = probabilities.max(new int[] {1}).toFloatArray();
            int[] prediction = probabilities.argMax(1).toType(DataType.INT32, false).toIntArray();
            PseudoLabels pseudo = PseudoLabels.compose(prediction, confidence, emdProbability, threshold, views.refined());
            int[] targets = views.plan().applyMasks(pseudo.targets());
            NDArray target = NativeStaging.int64(m, targets, new Shape(views.size(), views.height(), views.width()));
            NDArray ts = Losses.crossEntropy(su, target).loss();
            scalars.put("ts", ts);
            scalars.put("reliable_ratio", scalar(m, pseudo.reliableRatio()));
            scalars.put("low_confidence_ratio", scalar(m, pseudo.lowConfidenceRatio()));
            if (emd != null) scalars.put("emd_flagged", scalar(m, pseudo.emdFlaggedRatio()));
            if (views.refined() != null) scalars.put("refined_ratio", scalar(m, pseudo.refinedRatio()));
            loss = loss.add(NdOps.scale(ts, lambdaTs * unsupervised));
        }
        return new StepOutput(loss, scalars, lb.size() + ub.size());
    }

    /** {@code loss} plus the EMD's loss on the labelled batch, when there is an EMD. */
    private NDArray withErrorMaskDecoder(NDArray loss, NDManager m, NDArray xl, HostBatch lb, Map<String, NDArray> scalars) {
        if (emd == null) return loss;
        NDArray emdLoss = errorMaskDecoderLoss(m, xl, lb, scalars);
        scalars.put("emd", emdLoss);
        return loss.add(emdLoss);
    }

    /** Whether a step reads unlabelled images: only for an unsupervised term that weighs more than 0. */
    private boolean usesUnlabelled() {
        return crossPseudoActive || teacherStudentActive;
    }

    /**
     * A trained network on the strong view, in training mode. With {@link #weakBatchNormStatistics} its running
     * statistics are saved first and put back after the update ({@link #restoreRunningStatistics}).
     */
    private NDList strongForward(Network network, NDManager m, NDArray strong) {
        if (weakBatchNormStatistics) pendingRestores.add(RunningStatistics.snapshot(network.block()));
        return network.forward(m, strong, true);
    }

    /** Puts back the running statistics saved before this step's strong forwards (after the backward pass). */
    private void restoreRunningStatistics() {
        for (RunningStatistics r : pendingRestores) r.restore();
        pendingRestores.clear();
    }

    /**
     * CE(S, argmax F) + CE(F, argmax S), each averaged over the pixels of the labelled and the strong
     * unlabelled batch together (the two batches may differ in size). Targets are detached.
     */
    static NDArray crossPseudoLoss(NDArray sl, NDArray fl, NDArray su, NDArray fu) {
        NDArray studentTerm = pooled(Losses.crossEntropy(sl, hard(fl)), Losses.crossEntropy(su, hard(fu)));
        NDArray friendTerm = pooled(Losses.crossEntropy(fl, hard(sl)), Losses.crossEntropy(fu, hard(su)));
        return studentTerm.add(friendTerm);
    }

    /** The argmax of logits as a target: no gradient flows into the network that made it. */
    static NDArray hard(NDArray logits) {
        return logits.stopGradient().argMax(1);
    }

    /** The pixel-weighted mean of two losses: their pixels averaged as one set. */
    static NDArray pooled(Losses.Value a, Losses.Value b) {
        NDArray kept = a.keptPixels().add(b.keptPixels());
        return a.loss().mul(a.keptPixels()).add(b.loss().mul(b.keptPixels())).div(kept.maximum(NdOps.scalar(kept, 1)));
    }

    /** A network's outputs computed in inference mode with autograd off, detached: nothing can train through them. */
    static NDList detached(Network network, NDManager m, NDArray images) {
        NDList out = NoGrad.get(() -> network.forward(m, images, false));
        NDList detached = new NDList(out.size());
        for (NDArray a : out) detached.add(a.stopGradient());
        return detached;
    }

    private NDArray errorMaskDecoderLoss(NDManager m, NDArray xl, HostBatch lb, Map<String, NDArray> scalars) {
        NDList tl = detached(teacher, m, xl);
        int[] prediction = logits(tl).argMax(1).toType(DataType.INT32, false).toIntArray();
        ErrorTargets targets = ErrorTargets.of(prediction, lb.masks());
        float posWeight = targets.posWeight(emdPosWeight, emdPosWeightMax);
        Shape shape = new Shape(lb.size(), 1, lb.height(), lb.width());
        NDList features = new NDList(tl.get(SegmentationOutputs.F1), tl.get(SegmentationOutputs.F2));
        NDArray logit = emdLogit(emd.forward(m, features, true), lb.height(), lb.width());
        Losses.Value bce = Losses.binaryCrossEntropyWithLogits(logit, NativeStaging.floats(m, targets.target(), shape),
                NativeStaging.floats(m, targets.keep(), shape), posWeight);
        long[] c = targets.confusion(NoGrad.get(() -> logit.stopGradient().getNDArrayInternal().sigmoid().toFloatArray()));
        // undefined ratios are left out of the step's scalars: the log window averages over the steps that have them
        if (c[0] + c[1] > 0) scalars.put("emd_precision", scalar(m, (double) c[0] / (c[0] + c[1])));
        if (c[0] + c[2] > 0) scalars.put("emd_recall", scalar(m, (double) c[0] / (c[0] + c[2])));
        scalars.put("emd_pos_weight", scalar(m, posWeight));
        return bce.loss();
    }

    /** The EMD's stride-4 logit upsampled (bilinear) to the label size, so the error mask is per pixel. */
    private static NDArray emdLogit(NDList out, int height, int width) {
        return NdOps.resizeBilinear(out.singletonOrThrow(), height, width, false);
    }

    private static NDArray logits(NDList out) {
        return out.get(SegmentationOutputs.LOGITS);
    }

    private static NDArray scalar(NDManager m, double v) {
        return NativeStaging.floats(m, new float[] {(float) v}, new Shape());
    }

    @Override
    public void afterUpdate(StepContext context) {
        restoreRunningStatistics(); // before the EMA, so the Teacher averages the weak-view statistics
        if (teacher != null) EmaTeacher.update(teacher.block(), student.block(), EmaTeacher.decayAt(context.step(), emaDecay));
    }

    @Override
    public void onLog(long step, Map<String, Double> windowMeans, Logger log) {
        Double disagreement = windowMeans.get("sf_disagreement");
        if (disagreement != null && disagreement < COLLAPSE_DISAGREEMENT)
            log.warn("TSF collapse at step {}: Student and Friend disagree on {}% of unlabelled pixels (below {}%); "
                            + "the Friend no longer adds a second opinion: check lambda_cps and the Friend's seed", step,
                    String.format("%.2f", 100 * disagreement), String.format("%.0f", 100 * COLLAPSE_DISAGREEMENT));
        Double flagged = windowMeans.get("emd_flagged");
        if (flagged != null && flagged > OVER_FLAGGING)
            log.warn("EMD over-flagging at step {}: the error mask decoder flags {}% of unlabelled pixels (above {}%); "
                            + "few pseudo-labels reach the Student: check tsf.emd_pos_weight", step,
                    String.format("%.1f", 100 * flagged), String.format("%.0f", 100 * OVER_FLAGGING));
    }

    @Override
    public void close() {
        for (RunningStatistics r : pendingRestores) r.close();
        pendingRestores.clear();
        if (labelledSampler != null) labelledSampler.close();
        if (unlabelledSampler != null) unlabelledSampler.close();
    }

    public static final class Builder {
        private Terms terms;
        private NetworkFactory segmentation;
        private NetworkFactory errorMaskDecoder;
        private SegmentationDataset labelled;
        private SegmentationDataset unlabelled;
        private int batchSize = 8;
        private int unlabelledBatchSize = 8;
        private Augmentation weak = Augmentation.none();
        private Augmentation photometric = Augmentation.none();
        private Augmentations cutMix;
        private Normalization normalization;
        private double emaDecay = 0.99;
        private double threshold = 0.7;
        private double lambdaTs = 1.0;
        private double lambdaCps = 1.5;
        private Double emdPosWeight;
        private double emdPosWeightMax = ErrorTargets.DEFAULT_MAX_POS_WEIGHT;
        private PseudoLabelOverrides overrides = PseudoLabelOverrides.none();
        private int loaderThreads = 1;
        private long rampUpSteps;
        private boolean weakBatchNormStatistics;
        private boolean distributionAlignment;
        private double classWeightPower;
        private boolean imageStreams;

        /** Which terms are on: {@link Terms#meanTeacher()}, {@link Terms#cps()}, {@link Terms#tsf(boolean)}. */
        public Builder setTerms(Terms terms) {
            this.terms = terms;
            return this;
        }

        /** Builds Student, Friend and Teacher (one architecture). */
        public Builder setNetwork(NetworkFactory factory) {
            this.segmentation = factory;
            return this;
        }

        /** Builds the error mask decoder for the network's F1/F2; required when the EMD term is on. */
        public Builder setErrorMaskDecoder(NetworkFactory factory) {
            this.errorMaskDecoder = factory;
            return this;
        }

        /** Labelled training images (partial masks allowed: 255 = ignore). */
        public Builder setLabelled(SegmentationDataset labelled) {
            this.labelled = labelled;
            return this;
        }

        /** Unlabelled training images (masks, if any, are not used). */
        public Builder setUnlabelled(SegmentationDataset unlabelled) {
            this.unlabelled = unlabelled;
            return this;
        }

        /** Labelled images per step (default 8). */
        public Builder setBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Unlabelled images per step (default 8). */
        public Builder optUnlabelledBatchSize(int n) {
            this.unlabelledBatchSize = n;
            return this;
        }

        /** The weak view of both batches (scale, crop, flip); must keep one size per batch. */
        public Builder optWeakAugmentation(Augmentation weak) {
            this.weak = Objects.requireNonNull(weak);
            return this;
        }

        /** Photometric perturbation turning the weak view into the strong one (colour jitter, blur). */
        public Builder optPhotometric(Augmentation photometric) {
            this.photometric = Objects.requireNonNull(photometric);
            return this;
        }

        /** CutMix probability and box law of the strong view (null = no CutMix, the default). */
        public Builder optCutMix(Augmentations cutMix) {
            this.cutMix = cutMix;
            return this;
        }

        public Builder optNormalization(Normalization normalization) {
            this.normalization = normalization;
            return this;
        }

        /** Teacher EMA decay (default 0.99), with warm-up min(1 - 1/(step+1), decay). */
        public Builder optEmaDecay(double decay) {
            this.emaDecay = decay;
            return this;
        }

        /** tau: teacher confidence below which a pseudo-label is unreliable (default 0.7). */
        public Builder optThreshold(double threshold) {
            this.threshold = threshold;
            return this;
        }

        /** Weights of L_ts (default 1.0) and L_cps (default 1.5). */
        public Builder optLossWeights(double lambdaTs, double lambdaCps) {
            this.lambdaTs = lambdaTs;
            this.lambdaCps = lambdaCps;
            return this;
        }

        /** Fixed positive weight of the EMD's BCE; null (default) = #correct/#wrong of the batch, clipped to [1, max]. */
        public Builder optEmdPosWeight(Double posWeight) {
            this.emdPosWeight = posWeight;
            return this;
        }

        /** Upper bound of the automatic EMD positive weight (default 100). */
        public Builder optEmdPosWeightMax(double max) {
            this.emdPosWeightMax = max;
            return this;
        }

        /** Refined (PLAR) labels replacing the Teacher's on unlabelled images (default none). */
        public Builder optPseudoLabelOverrides(PseudoLabelOverrides overrides) {
            this.overrides = Objects.requireNonNull(overrides);
            return this;
        }

        /**
         * Sigmoid ramp-up of lambda_ts and lambda_cps over the first {@code steps} steps of a run from scratch
         * ({@link RampUp}); 0 (default) = full weight from step 0. Ignored when the run warm-starts.
         */
        public Builder optRampUp(long steps) {
            this.rampUpSteps = steps;
            return this;
        }

        /**
         * Whether the strong view's forwards leave the BatchNorm running statistics of Student and Friend as
         * they were, so those come from the weak labelled views only ({@link RunningStatistics}); default false
         * (every training forward updates them).
         */
        public Builder optWeakBatchNormStatistics(boolean weakOnly) {
            this.weakBatchNormStatistics = weakOnly;
            return this;
        }

        /**
         * Whether the Teacher's probabilities are aligned to the labelled pixels' class frequencies before its
         * pseudo-labels are taken ({@link DistributionAlignment}); default false.
         */
        public Builder optDistributionAlignment(boolean on) {
            this.distributionAlignment = on;
            return this;
        }

        /**
         * Weights the supervised terms (Student's and Friend's) per class by labelled frequency^-power
         * ({@link ClassWeights}); 0 = unweighted (default). The pseudo-label terms stay unweighted.
         */
        public Builder optClassWeightPower(double power) {
            this.classWeightPower = power;
            return this;
        }

        /** Both batch streams keyed by image ({@link BatchSampler.Builder#optImageKeyed}; {@code train.image_streams}); default false. */
        public Builder optImageStreams(boolean imageStreams) {
            this.imageStreams = imageStreams;
            return this;
        }

        /** Loader threads per batch stream (default 1). */
        public Builder optLoaderThreads(int threads) {
            this.loaderThreads = threads;
            return this;
        }

        public SemiSupervisedMethod build() {
            return new SemiSupervisedMethod(this);
        }
    }
}
