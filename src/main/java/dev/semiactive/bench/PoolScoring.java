package dev.semiactive.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.semiactive.model.Networks;
import dev.semiactive.model.SegmentationOutputs;
import dev.semiactive.plar.FeatureMap;
import dev.semiactive.plar.MaskResampling;
import dev.semiactive.plar.PlarRefiner;
import dev.semiactive.plar.RefinementResult;
import dev.semiactive.train.NativeStaging;
import dev.semiactive.train.NoGrad;

import java.util.Map;

/**
 * Scoring of pool images with the Teacher, as an active-learning round does it (SPEC "Active learning"),
 * mirrored op for op by {@code torch_peer.py --mode score/pool}. Per batch: Teacher forward (inference),
 * log-softmax, probabilities, entropy, confidence, argmax, EMD on F1/F2; copy-out to Java of every per-pixel
 * map a round keeps (entropy, confidence, argmax, EMD logit) and of F2; then per image the error mask at
 * F2 resolution ((confidence &lt; tau, nearest-downsampled) OR EMD logit &gt; 0) and PLAR (vote rule) over the
 * flagged pixels.
 *
 * <p>Streaming: host buffers are sized once for the batch and reused, every array lives in the step's
 * manager; so memory does not depend on the pool size (the pool rows of the benchmark show it).
 *
 * <p>TODO(loop): when {@code dev.semiactive.loop}'s pool scorer is merged, benchmark it instead (and mirror
 * any difference in the peer), so the benchmark measures the shipped code.
 */
final class PoolScoring implements MeasuredStep {
    private final BenchSettings s;
    private final Block teacher;
    private final Block emd;
    private final PlarRefiner plar;
    private final float[] images;
    private final int plane;
    private final int channels;
    private float[] entropy;
    private float[] confidence;
    private int[] pseudo;
    private float[] emdLogit;
    private float[] f2;
    private long flagged;
    private long pixels;
    private long refined;

    PoolScoring(BenchNetworks nets, BenchSettings s) {
        this.s = s;
        this.teacher = nets.teacher();
        this.emd = nets.emd();
        this.plar = PlarRefiner.builder().setStatistics(nets.statistics()).build();
        this.images = SyntheticBatches.images(0, s.batch(), s.channels(), s.height(), s.width());
        this.plane = s.height() * s.width();
        this.channels = nets.spec().f2Channels();
    }

    /** Scores the fixed benchmark batch. */
    @Override
    public float run(NDManager step) {
        return score(step, images, s.batch());
    }

    @Override
    public int images() {
        return s.batch();
    }

    /**
     * Scores {@code n} images given as NCHW floats at the benchmark's size.
     *
     * @return the mean pixel entropy (proof of work)
     */
    float score(NDManager m, float[] hostImages, int n) {
        int h = s.height(), w = s.width();
        NDArray x = NativeStaging.floats(m, hostImages, new Shape(n, s.channels(), h, w));
        NDList[] out = new NDList[2];
        NoGrad.run(() -> {
            out[0] = Networks.forward(teacher, x, false);
            out[1] = Networks.forward(emd, new NDList(out[0].get(SegmentationOutputs.F1), out[0].get(SegmentationOutputs.F2)), false);
        });
        NDArray logP = out[0].get(SegmentationOutputs.LOGITS).logSoftmax(1);
        NDArray p = logP.exp();
        NDArray ent = p.mul(logP).sum(new int[] {1}).neg();
        NDArray conf = p.max(new int[] {1}, false);
        NDArray arg = p.argMax(1).toType(DataType.INT32, false);
        NDArray f2Array = out[0].get(SegmentationOutputs.F2);
        NDArray emdArray = out[1].singletonOrThrow();
        Shape fs = f2Array.getShape();
        int h4 = (int) fs.get(2), w4 = (int) fs.get(3), plane4 = h4 * w4, featureLength = channels * plane4;
        ensureBuffers(plane4);

        double entropySum = 0;
        for (int i = 0; i < n; i++) {
            HostCopy.floats(ent, (long) i * plane, entropy, plane);
            HostCopy.floats(conf, (long) i * plane, confidence, plane);
            HostCopy.ints(arg, (long) i * plane, pseudo, plane);
            HostCopy.floats(emdArray, (long) i * plane4, emdLogit, plane4);
            HostCopy.floats(f2Array, (long) i * featureLength, f2, featureLength);
            boolean[] lowConfidence = new boolean[plane];
            for (int q = 0; q < plane; q++) {
                lowConfidence[q] = confidence[q] < s.tau();
                entropySum += entropy[q];
            }
            boolean[] errorMask = MaskResampling.downsampleNearest(lowConfidence, h, w, h4, w4);
            for (int q = 0; q < plane4; q++) errorMask[q] |= emdLogit[q] > 0;
            int[] pseudo4 = MaskResampling.downsampleNearest(pseudo, h, w, h4, w4);
            RefinementResult r = plar.refine(new FeatureMap(channels, h4, w4, f2), pseudo4, errorMask, null);
            for (boolean b : errorMask) if (b) flagged++;
            pixels += plane4;
            refined += r.refined();
        }
        return (float) (entropySum / ((double) n * plane));
    }

    private void ensureBuffers(int plane4) {
        if (entropy == null || emdLogit.length != plane4) {
            entropy = new float[plane];
            confidence = new float[plane];
            pseudo = new int[plane];
            emdLogit = new float[plane4];
            f2 = new float[channels * plane4];
        }
    }

    @Override
    public Map<String, Object> extras() {
        return Map.of("flaggedFraction", pixels == 0 ? 0.0 : (double) flagged / pixels, "refinedPixels", refined);
    }
}
