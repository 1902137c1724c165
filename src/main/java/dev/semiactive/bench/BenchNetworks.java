package dev.semiactive.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.semiactive.model.ModelSpec;
import dev.semiactive.model.Networks;
import dev.semiactive.pipeline.Components;
import dev.semiactive.plar.ClassStatistics;
import dev.semiactive.plar.ClassStatisticsAccumulator;
import dev.semiactive.plar.Cholesky;
import dev.semiactive.plar.FeatureMap;
import dev.semiactive.train.NoGrad;
import dev.semiactive.train.Seeds;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The networks and PLAR statistics of a benchmark, built the same way in every Java worker process (seeded,
 * so bit-identical) and exported once for the PyTorch peer ({@link #export(Path)}), so that both sides
 * compute with the same numbers: same losses, same error masks, same PLAR work.
 *
 * <p>Built by the shipped factories ({@code Components.deeplab}, {@code Components.errorMaskDecoder}) from the
 * seeds a training run gives its networks, {@code Seeds.derive(seed, salt)} with the salts of
 * {@code SemiSupervisedMethod.networks()}: Student 0, Friend 1, EMD 3; the Teacher starts as a copy of the
 * Student (TSF's EMA with warm-up begins there). So the networks {@link MethodStep} builds through
 * {@code Network.create} have exactly the weights exported here. Networks whose arrays require gradients are
 * the trained ones.
 */
public final class BenchNetworks implements AutoCloseable {
    /** Dimension of F2, the PLAR features. */
    static final int FEATURE_DIM = 256;
    /** Salts of the training run's networks (SemiSupervisedMethod.networks()). */
    private static final long STUDENT_SALT = 0;
    private static final long FRIEND_SALT = 1;
    private static final long EMD_SALT = 3;

    private final ModelSpec spec;
    private final NDManager manager;
    private final long seed;
    private Block student;
    private Block friend;
    private Block teacher;
    private Block emd;
    private ClassStatistics statistics;

    public BenchNetworks(NDManager parent, BenchSettings s) {
        this.spec = spec(s);
        this.manager = parent.newSubManager();
        this.seed = s.seed();
    }

    public ModelSpec spec() {
        return spec;
    }

    /** The benchmarked architecture: DeepLabv3+ with MobileNetV2 x1.0 for the settings' channels and classes. */
    static ModelSpec spec(BenchSettings s) {
        return ModelSpec.mobileNetV2(1.0, s.channels(), s.classes());
    }

    public Block student() {
        if (student == null) student = deeplab(STUDENT_SALT, true);
        return student;
    }

    public Block friend() {
        if (friend == null) friend = deeplab(FRIEND_SALT, true);
        return friend;
    }

    /** The teacher: the Student's initial parameters, never trained by gradients. */
    public Block teacher() {
        if (teacher == null) teacher = deeplab(STUDENT_SALT, false);
        return teacher;
    }

    public Block emd() {
        if (emd == null) {
            emd = Components.errorMaskDecoder(spec).create(manager, Seeds.derive(seed, EMD_SALT));
            requireGradients(emd, true);
        }
        return emd;
    }

    private Block deeplab(long salt, boolean trained) {
        Block b = Components.deeplab(spec).create(manager, Seeds.derive(seed, salt));
        requireGradients(b, trained);
        return b;
    }

    /** As the training loop's Network: trained parameters record gradients, running statistics never. */
    private static void requireGradients(Block block, boolean trained) {
        for (Pair<String, Parameter> p : block.getParameters())
            p.getValue().getArray().setRequiresGradient(trained && p.getValue().requiresGradient());
    }

    /**
     * PLAR class statistics over F2's 256 dimensions in which every class is a candidate: seeded random
     * features with class-dependent means. What matters for the cost is d and the number of candidates,
     * which are those of a real round; the peer gets the same means and Cholesky factors.
     */
    public ClassStatistics statistics() {
        if (statistics == null) {
            int k = spec.numClasses(), side = 16, hw = side * side;
            ClassStatisticsAccumulator acc = ClassStatisticsAccumulator.builder().setNumClasses(k).optSeed(seed).build();
            SplittableRandom r = new SplittableRandom(seed);
            for (int img = 0; img < 8; img++) {
                float[] data = new float[FEATURE_DIM * hw];
                int[] labels = new int[hw];
                for (int p = 0; p < hw; p++) labels[p] = (p + img) % k;
                for (int c = 0; c < FEATURE_DIM; c++)
                    for (int p = 0; p < hw; p++)
                        data[c * hw + p] = (float) (r.nextGaussian() + 0.1 * ((labels[p] * 31 + c) % 7));
                acc.add(new FeatureMap(FEATURE_DIM, side, side, data), labels);
            }
            statistics = acc.build();
        }
        return statistics;
    }

    /** EMA update of the Teacher towards the Student, in place: t = (t - s) * decay + s for every array. */
    public void emaUpdate(float decay) {
        List<Parameter> t = teacher().getParameters().values();
        List<Parameter> s = student().getParameters().values();
        NoGrad.run(() -> {
            for (int i = 0; i < t.size(); i++) {
                NDArray ta = t.get(i).getArray();
                NDArray sa = s.get(i).getArray();
                ta.subi(sa).muli(decay).addi(sa);
            }
        });
    }

    /**
     * Writes student.bin, friend.bin, emd.bin (parameters in DJL order) and plar.bin (means K x d, lower
     * Cholesky factors K x d x d, candidate flags K) into {@code dir} for {@code bench/torch_peer.py --weights}.
     */
    public void export(Path dir) throws IOException {
        WeightFile.write(dir.resolve("student.bin"), WeightFile.parameters(student()));
        WeightFile.write(dir.resolve("friend.bin"), WeightFile.parameters(friend()));
        WeightFile.write(dir.resolve("emd.bin"), WeightFile.parameters(emd()));
        ClassStatistics st = statistics();
        int k = st.numClasses(), d = st.dimension();
        double[] means = new double[k * d];
        double[] factors = new double[k * d * d];
        double[] candidates = new double[k];
        for (int c = 0; c < k; c++) {
            if (!st.isCandidate(c)) continue;
            candidates[c] = 1;
            System.arraycopy(st.mean(c), 0, means, c * d, d);
            Cholesky l = st.factor(c);
            for (int i = 0; i < d; i++)
                for (int j = 0; j <= i; j++) factors[(c * d + i) * d + j] = l.get(i, j);
        }
        List<WeightFile.Tensor> plar = new ArrayList<>();
        plar.add(WeightFile.Tensor.of("means", new long[] {k, d}, means));
        plar.add(WeightFile.Tensor.of("factors", new long[] {k, d, d}, factors));
        plar.add(WeightFile.Tensor.of("candidates", new long[] {k}, candidates));
        WeightFile.write(dir.resolve("plar.bin"), plar);
    }

    @Override
    public void close() {
        manager.close();
    }
}
