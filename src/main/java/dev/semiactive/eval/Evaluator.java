package dev.semiactive.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.semiactive.SemiactiveException;
import dev.semiactive.data.Sample;
import dev.semiactive.data.SegmentationDataset;
import dev.semiactive.model.SegmentationOutputs;
import dev.semiactive.train.HostBatch;
import dev.semiactive.train.Normalization;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs a network over a labelled dataset and counts its predictions in a {@link ConfusionMatrix}. The same
 * evaluator serves training-time validation and the evaluate command, so both report the same number.
 * Samples are taken in id order, batched while they share a size, each batch in its own sub-manager.
 */
public final class Evaluator {
    private final Normalization normalization;
    private final int batchSize;

    private Evaluator(Builder b) {
        this.normalization = Objects.requireNonNull(b.normalization, "setNormalization is required");
        if (b.batchSize <= 0) throw new IllegalArgumentException("batch size must be > 0");
        this.batchSize = b.batchSize;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Predicts every sample of {@code dataset} (argmax of the logits, inference mode) and counts the
     * labelled pixels. Unlabelled samples are skipped.
     *
     * @param network block following {@link SegmentationOutputs}
     * @param manager parent of the per-batch managers (nothing is left in it)
     */
    public ConfusionMatrix evaluate(Block network, SegmentationDataset dataset, NDManager manager) {
        int k = dataset.labels().numClasses();
        ConfusionMatrix matrix = new ConfusionMatrix(k);
        List<Sample> pending = new ArrayList<>();
        for (String id : dataset.ids()) {
            Sample s = dataset.load(id);
            if (!s.labelled()) continue;
            if (!pending.isEmpty() && (pending.size() == batchSize || !sameSize(pending.get(0), s))) {
                countBatch(network, pending, matrix, manager);
                pending.clear();
            }
            pending.add(s);
        }
        if (!pending.isEmpty()) countBatch(network, pending, matrix, manager);
        return matrix;
    }

    private static boolean sameSize(Sample a, Sample b) {
        return a.channels() == b.channels() && a.height() == b.height() && a.width() == b.width();
    }

    private void countBatch(Block network, List<Sample> samples, ConfusionMatrix matrix, NDManager parent) {
        HostBatch batch = HostBatch.stack(samples, normalization);
        try (NDManager m = parent.newSubManager()) {
            NDArray logits = network.forward(new ParameterStore(m, false), new NDList(batch.imagesArray(m)), false)
                    .get(SegmentationOutputs.LOGITS);
            if (logits.getShape().get(1) != matrix.numClasses())
                throw new SemiactiveException("the network predicts " + logits.getShape().get(1) + " classes but the dataset has "
                        + matrix.numClasses() + ": evaluate with a model trained on this label set");
            if (logits.getShape().get(2) != batch.height() || logits.getShape().get(3) != batch.width())
                throw new IllegalStateException("network output " + logits.getShape() + " does not match input "
                        + batch.height() + "x" + batch.width());
            int[] predicted = logits.argMax(1).toType(DataType.INT32, false).toIntArray();
            matrix.add(batch.masks(), predicted);
        }
    }

    public static final class Builder {
        private Normalization normalization;
        private int batchSize = 4;

        /** The normalisation the network was trained with. */
        public Builder setNormalization(Normalization normalization) {
            this.normalization = normalization;
            return this;
        }

        /** Images per forward pass (default 4). */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Evaluator build() {
            return new Evaluator(this);
        }
    }
}
