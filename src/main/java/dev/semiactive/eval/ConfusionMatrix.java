package dev.semiactive.eval;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.semiactive.data.LabelSpace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Pixel confusion counts, rows = ground truth, columns = prediction, over pixels whose truth is not
 * {@link LabelSpace#IGNORE}. The one source of mIoU in the project (training-time validation, evaluate,
 * active-learning reports).
 *
 * <p>Definitions: IoU_c = TP / (TP + FP + FN). A class whose union TP + FP + FN is 0 (absent from the truth
 * and never predicted) has no IoU (NaN, JSON null) and is left out of the mean: mIoU = mean of IoU_c over
 * classes with a non-empty union. A class absent from the truth but predicted somewhere has IoU 0 and
 * counts. Pixel accuracy = trace / total. With no counted pixel at all, mIoU and accuracy are NaN.
 */
// derived values are written for readers of the JSON and recomputed from the counts when read back
@JsonIgnoreProperties(value = {"mIoU", "pixelAccuracy", "perClassIoU"}, allowGetters = true)
@JsonPropertyOrder({"numClasses", "mIoU", "pixelAccuracy", "perClassIoU", "counts"})
public final class ConfusionMatrix {
    private final int numClasses;
    private final long[] counts; // row-major K x K

    public ConfusionMatrix(int numClasses) {
        if (numClasses <= 0 || numClasses >= LabelSpace.IGNORE)
            throw new IllegalArgumentException("numClasses must be in 1..254, got " + numClasses);
        this.numClasses = numClasses;
        this.counts = new long[numClasses * numClasses];
    }

    @JsonCreator
    public static ConfusionMatrix fromCounts(@JsonProperty("numClasses") int numClasses,
                                             @JsonProperty("counts") long[][] counts) {
        ConfusionMatrix m = new ConfusionMatrix(numClasses);
        if (counts.length != numClasses) throw new IllegalArgumentException("counts must be " + numClasses + "x" + numClasses);
        for (int t = 0; t < numClasses; t++) {
            if (counts[t].length != numClasses) throw new IllegalArgumentException("counts must be " + numClasses + "x" + numClasses);
            System.arraycopy(counts[t], 0, m.counts, t * numClasses, numClasses);
        }
        return m;
    }

    /**
     * Counts {@code predicted} against {@code truth} (same length); pixels with truth 255 are skipped.
     *
     * @throws IllegalArgumentException on a truth or prediction outside 0..K-1 (other than ignored truth)
     */
    public void add(int[] truth, int[] predicted) {
        add(truth, 0, predicted, 0, truth.length);
    }

    /** Counts {@code length} pixels starting at the given offsets. */
    public void add(int[] truth, int truthOffset, int[] predicted, int predictedOffset, int length) {
        if (truthOffset + length > truth.length || predictedOffset + length > predicted.length)
            throw new IllegalArgumentException("truth and prediction ranges out of bounds");
        for (int i = 0; i < length; i++) {
            int t = truth[truthOffset + i];
            if (t == LabelSpace.IGNORE) continue;
            int p = predicted[predictedOffset + i];
            if (t < 0 || t >= numClasses)
                throw new IllegalArgumentException("ground truth class " + t + " outside 0.." + (numClasses - 1));
            if (p < 0 || p >= numClasses)
                throw new IllegalArgumentException("predicted class " + p + " outside 0.." + (numClasses - 1));
            counts[t * numClasses + p]++;
        }
    }

    /** Adds {@code other}'s counts into this one (same number of classes). */
    public ConfusionMatrix merge(ConfusionMatrix other) {
        if (other.numClasses != numClasses)
            throw new IllegalArgumentException("cannot merge " + other.numClasses + "-class into " + numClasses + "-class matrix");
        for (int i = 0; i < counts.length; i++) counts[i] += other.counts[i];
        return this;
    }

    @JsonProperty("numClasses")
    public int numClasses() {
        return numClasses;
    }

    /** Pixels with ground truth {@code truth} predicted as {@code predicted}. */
    public long count(int truth, int predicted) {
        return counts[truth * numClasses + predicted];
    }

    @JsonProperty("counts")
    public long[][] counts() {
        long[][] out = new long[numClasses][];
        for (int t = 0; t < numClasses; t++) out[t] = Arrays.copyOfRange(counts, t * numClasses, (t + 1) * numClasses);
        return out;
    }

    @JsonIgnore
    public long total() {
        long s = 0;
        for (long c : counts) s += c;
        return s;
    }

    /** IoU per class; NaN for a class with an empty union. */
    public double[] perClassIoU() {
        double[] iou = new double[numClasses];
        for (int c = 0; c < numClasses; c++) {
            long tp = count(c, c), rowSum = 0, colSum = 0;
            for (int k = 0; k < numClasses; k++) {
                rowSum += count(c, k);
                colSum += count(k, c);
            }
            long union = rowSum + colSum - tp;
            iou[c] = union == 0 ? Double.NaN : (double) tp / union;
        }
        return iou;
    }

    /** Per-class IoU for JSON: null where undefined. */
    @JsonProperty("perClassIoU")
    List<Double> perClassIoUOrNull() {
        List<Double> out = new ArrayList<>();
        for (double v : perClassIoU()) out.add(Double.isNaN(v) ? null : v);
        return out;
    }

    /** Mean IoU over classes with a non-empty union (see class comment); NaN when there are none. */
    @JsonProperty("mIoU")
    public double meanIoU() {
        double sum = 0;
        int n = 0;
        for (double v : perClassIoU()) {
            if (Double.isNaN(v)) continue;
            sum += v;
            n++;
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    @JsonProperty("pixelAccuracy")
    public double pixelAccuracy() {
        long total = total(), correct = 0;
        for (int c = 0; c < numClasses; c++) correct += count(c, c);
        return total == 0 ? Double.NaN : (double) correct / total;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfusionMatrix m && m.numClasses == numClasses && Arrays.equals(m.counts, counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return String.format("mIoU %.4f, pixel accuracy %.4f over %d pixels", meanIoU(), pixelAccuracy(), total());
    }
}
