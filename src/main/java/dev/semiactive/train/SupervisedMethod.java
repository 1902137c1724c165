package dev.semiactive.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.semiactive.data.SegmentationDataset;
import dev.semiactive.model.SegmentationOutputs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Plain supervised training: one network ("student"), cross-entropy with ignore on labelled batches. The
 * baseline of every comparison and the training of active-learning rounds without TSF.
 */
public final class SupervisedMethod implements TrainingMethod {
    private static final Logger LOG = LoggerFactory.getLogger(SupervisedMethod.class);
    public static final String NAME = "supervised";
    public static final String NETWORK = "student";

    private final NetworkFactory factory;
    private final SegmentationDataset labelled;
    private final int batchSize;
    private final Augmentation augmentation;
    private final Normalization normalization;
    private final int loaderThreads;
    private final double classWeightPower;
    private final boolean imageStreams;
    private ClassWeights classWeights;
    private BatchSampler sampler;
    private Network student;

    private SupervisedMethod(Builder b) {
        this.factory = Objects.requireNonNull(b.factory, "setNetwork is required");
        this.labelled = Objects.requireNonNull(b.labelled, "setLabelled is required");
        if (b.batchSize <= 0) throw new IllegalArgumentException("setBatchSize must be > 0");
        this.batchSize = b.batchSize;
        this.augmentation = b.augmentation;
        this.normalization = b.normalization != null ? b.normalization : Normalization.defaults(labelled.channels());
        this.loaderThreads = b.loaderThreads;
        this.classWeightPower = ClassWeights.checkPower(b.classWeightPower);
        this.imageStreams = b.imageStreams;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<NetworkRole> networks() {
        return List.of(new NetworkRole(NETWORK, factory, 0, true));
    }

    @Override
    public String evaluationNetwork() {
        return NETWORK;
    }

    @Override
    public void start(MethodContext context) {
        student = context.network(NETWORK);
        classWeights = ClassWeights.forRun(labelled, classWeightPower);
        if (classWeights != null) LOG.info("class weights (power {}): {}", classWeightPower, classWeights);
        sampler = BatchSampler.builder().setDataset(labelled).setBatchSize(batchSize)
                .setSeed(Seeds.derive(context.seed(), 0x1AB))
                .optAugmentation(augmentation).optNormalization(normalization).optWorkers(loaderThreads)
                .optImageKeyed(imageStreams).optStartBatch(context.startStep()).build();
    }

    @Override
    public StepOutput step(StepContext context) {
        NDManager m = context.manager();
        HostBatch batch = sampler.next();
        NDArray images = batch.imagesArray(m);
        NDArray masks = batch.masksArray(m);
        NDArray logits = student.forward(m, images, true).get(SegmentationOutputs.LOGITS);
        Losses.Value ce = Losses.crossEntropy(logits, masks, classWeights == null ? null : classWeights.pixelWeights(masks));
        return new StepOutput(ce.loss(), Map.of("sup", ce.loss()), batch.size());
    }

    @Override
    public void close() {
        if (sampler != null) sampler.close();
    }

    public static final class Builder {
        private NetworkFactory factory;
        private SegmentationDataset labelled;
        private int batchSize = 8;
        private Augmentation augmentation = Augmentation.none();
        private Normalization normalization;
        private int loaderThreads = 1;
        private double classWeightPower;
        private boolean imageStreams;

        public Builder setNetwork(NetworkFactory factory) {
            this.factory = factory;
            return this;
        }

        /** Labelled training images (partial masks allowed: 255 = ignore). */
        public Builder setLabelled(SegmentationDataset labelled) {
            this.labelled = labelled;
            return this;
        }

        public Builder setBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder optAugmentation(Augmentation augmentation) {
            this.augmentation = augmentation;
            return this;
        }

        public Builder optNormalization(Normalization normalization) {
            this.normalization = normalization;
            return this;
        }

        /** Weights the cross-entropy per class by labelled frequency^-power ({@link ClassWeights}); 0 = unweighted (default). */
        public Builder optClassWeightPower(double power) {
            this.classWeightPower = power;
            return this;
        }

        /** Batches keyed by image ({@link BatchSampler.Builder#optImageKeyed}; {@code train.image_streams}); default false. */
        public Builder optImageStreams(boolean imageStreams) {
            this.imageStreams = imageStreams;
            return this;
        }

        public Builder optLoaderThreads(int threads) {
            this.loaderThreads = threads;
            return this;
        }

        public SupervisedMethod build() {
            return new SupervisedMethod(this);
        }
    }
}
