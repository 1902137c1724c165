package dev.semiactive.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeepLabV3PlusTest {
    /** torchvision mobilenet_v2(): 3,504,872 parameters minus classifier (1,281,000) and last 1x1 conv+BN (412,160). */
    private static final long TORCHVISION_MOBILENET_V2_FEATURES = 3_504_872L - 1_281_000L - 412_160L;
    /** torchvision resnet50(): 25,557,032 parameters minus fc (2,049,000). */
    private static final long TORCHVISION_RESNET50_BODY = 25_557_032L - 2_049_000L;
    /** torchvision resnet101(): 44,549,160 parameters minus fc (2,049,000). */
    private static final long TORCHVISION_RESNET101_BODY = 44_549_160L - 2_049_000L;

    private static NDManager manager;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    /**
     * Parameters of the DeepLabv3+ head written out by hand from the architecture (ASPP with 5 branches of
     * 256 + projection, 48-ch low-level projection, two 3x3 decoder convs of 256, 1x1 classifier with bias).
     */
    private static long headParameters(long high, long low, long classes) {
        long bn = 2 * 256;
        long aspp = (high * 256 + bn) + 3 * (high * 256 * 9 + bn) + (high * 256 + bn) + (5 * 256 * 256 + bn);
        long decoder = (low * 48 + 2 * 48) + ((256 + 48) * 256 * 9 + bn) + (256 * 256 * 9 + bn);
        return aspp + decoder + 256 * classes + classes;
    }

    private static Block initialised(ModelSpec spec) {
        Block block = Networks.deeplab(spec);
        Networks.initializeDeepLab(block, manager, spec, 42);
        return block;
    }

    private static NDList run(Block block, Shape input, boolean training) {
        NDManager step = manager.newSubManager();
        NDList out = Networks.forward(block, step.randomUniform(0, 1, input), training);
        out.attach(manager); // keep the results, free the rest
        step.close();
        return out;
    }

    private static void assertOutputs(Block block, ModelSpec spec, Shape input, boolean training) {
        NDList out = run(block, input, training);
        long n = input.get(0);
        long h = input.get(2);
        long w = input.get(3);
        long os = spec.outputStride();
        assertThat(out).hasSize(3);
        assertThat(out.get(SegmentationOutputs.LOGITS).getShape()).isEqualTo(new Shape(n, spec.numClasses(), h, w));
        assertThat(out.get(SegmentationOutputs.F1).getShape())
                .isEqualTo(new Shape(n, spec.f1Channels(), (h + os - 1) / os, (w + os - 1) / os));
        assertThat(out.get(SegmentationOutputs.F2).getShape())
                .isEqualTo(new Shape(n, spec.f2Channels(), (h + 3) / 4, (w + 3) / 4));
        assertThat(block.getOutputShapes(new Shape[] {input})).containsExactly(out.getShapes());
        assertThat(out.get(0).isNaN().any().getBoolean()).isFalse();
        out.close();
    }

    /**
     * Logits, F2, and the gradients of the first convolution and of the classifier after one training-mode
     * forward and backward of a seeded network on a fixed input.
     *
     * @param nudged every input value moved up by one ulp: the rounding-level change the layouts are judged against
     */
    private static float[][] forwardAndGradients(boolean channelsLast, boolean nudged) {
        boolean before = NdOps.useChannelsLast(channelsLast);
        try (NDManager m = manager.newSubManager()) {
            ModelSpec spec = ModelSpec.mobileNetV2(0.5, 3, 5);
            Block block = Networks.deeplab(spec);
            Networks.initializeDeepLab(block, m, spec, 7);
            java.util.Random r = new java.util.Random(3);
            float[] v = new float[2 * 3 * 40 * 56];
            for (int i = 0; i < v.length; i++) v[i] = nudged ? Math.nextUp(r.nextFloat()) : r.nextFloat();
            NDArray x = m.create(v, new Shape(2, 3, 40, 56));
            float[] logits;
            float[] f2;
            try (ai.djl.training.GradientCollector c = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                NDList out = Networks.forward(block, x, true);
                logits = out.get(SegmentationOutputs.LOGITS).toFloatArray();
                f2 = out.get(SegmentationOutputs.F2).toFloatArray();
                c.backward(out.get(SegmentationOutputs.LOGITS).square().sum().add(out.get(SegmentationOutputs.F2).sum()));
            }
            var parameters = block.getParameters();
            float[] first = parameters.get(0).getValue().getArray().getGradient().toFloatArray();
            float[] classifier = parameters.get("05classifier_weight").getArray().getGradient().toFloatArray();
            return new float[][] {logits, f2, first, classifier};
        } finally {
            NdOps.useChannelsLast(before);
        }
    }

    /** Largest absolute difference, relative to the largest absolute value of {@code a}. */
    private static double relativeDifference(float[] a, float[] b) {
        assertThat(b).hasSameSizeAs(a);
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(a[i]));
        }
        assertThat(scale).as("not all zero").isGreaterThan(0);
        return diff / scale;
    }

    /**
     * An inference forward leaves little beyond its input and three outputs in the caller's manager: the
     * sequential blocks, {@code DeepLabV3Plus.forwardInternal} and the residual blocks close their intermediates
     * (DJL would otherwise keep every layer's output, well over 150 arrays for MobileNetV2, to the manager's end).
     */
    @Test
    void inferenceForwardReleasesItsIntermediates() {
        ModelSpec spec = ModelSpec.mobileNetV2(1.0, 3, 4);
        DeepLabV3Plus net = Networks.deeplab(spec);
        try (NDManager m = manager.newSubManager()) {
            Networks.initializeDeepLab(net, m, spec, 5);
            try (NDManager step = m.newSubManager()) {
                NDArray x = step.ones(new Shape(2, 3, 64, 64));
                NDList out = Networks.forward(net, x, false);
                assertThat(step.getManagedArrays()).contains(x, out.get(0), out.get(1), out.get(2)).hasSizeLessThan(30);
            }
        }
    }

    @Test
    void channelsLastLayoutGivesTheSameOutputsAndGradientsAsNchw() {
        assertThat(NdOps.channelsLastScriptLoaded()).as("the channels-last TorchScript module loads").isTrue();
        float[][] nchw = forwardAndGradients(false, false);
        float[][] nhwc = forwardAndGradients(true, false);
        assertThat(relativeDifference(nchw[0], nhwc[0])).as("logits").isLessThan(1e-4);
        assertThat(relativeDifference(nchw[1], nhwc[1])).as("F2").isLessThan(1e-4);
        assertThat(relativeDifference(nchw[3], nhwc[3])).as("classifier gradient").isLessThan(1e-4);
        // The first convolution's gradient passes back through every training-mode BatchNorm at 3x4 pixels a
        // channel and amplifies rounding: one ulp on the input moves it by ~3% in NCHW alone. The layouts may
        // differ by as much, not more.
        double roundingLevel = relativeDifference(nchw[2], forwardAndGradients(false, true)[2]);
        assertThat(roundingLevel).isGreaterThan(0);
        assertThat(relativeDifference(nchw[2], nhwc[2])).as("first convolution's gradient (rounding level %.4f)", roundingLevel)
                .isLessThan(2 * roundingLevel);
    }

    @Test
    void mobileNetV2HasTheTorchvisionBackboneAndExpectedParameterCount() {
        ModelSpec spec = ModelSpec.mobileNetV2(1.0, 3, 11);
        Block block = initialised(spec);
        long expected = TORCHVISION_MOBILENET_V2_FEATURES + headParameters(320, 24, 11);
        assertThat(Networks.parameterCount(block)).isEqualTo(expected).isBetween(5_200_000L, 5_900_000L);
        assertOutputs(block, spec, new Shape(1, 3, 64, 64), false);
        assertOutputs(block, spec, new Shape(2, 3, 180, 240), true);
    }

    @Test
    void mobileNetV2HalfWidthRunsOnSizesNotDivisibleBy16() {
        ModelSpec spec = ModelSpec.mobileNetV2(0.5, 3, 11);
        Block block = initialised(spec);
        // x0.5: 16-ch stem, low-level 8 ch (make_divisible(12)), high 160 ch
        assertThat(Networks.parameterCount(block)).isLessThan(Networks.parameterCount(initialised(ModelSpec.mobileNetV2(1.0, 3, 11))));
        assertOutputs(block, spec, new Shape(2, 3, 64, 64), true);
        assertOutputs(block, spec, new Shape(1, 3, 180, 240), false);
        assertOutputs(block, spec, new Shape(1, 3, 37, 51), false);
    }

    @Test
    void resNet50MatchesTorchvisionAndIsDilatedToStride16() {
        ModelSpec spec = ModelSpec.of(Backbone.RESNET50, 3, 6);
        Block block = initialised(spec);
        assertThat(Networks.parameterCount(block)).isEqualTo(TORCHVISION_RESNET50_BODY + headParameters(2048, 256, 6));
        assertOutputs(block, spec, new Shape(2, 3, 64, 64), true);
    }

    @Test
    void resNet101BuildsWithTheTorchvisionParameterCount() {
        ModelSpec spec = ModelSpec.of(Backbone.RESNET101, 3, 6);
        Block block = initialised(spec);
        assertThat(Networks.parameterCount(block)).isEqualTo(TORCHVISION_RESNET101_BODY + headParameters(2048, 256, 6));
        assertThat(block.getOutputShapes(new Shape[] {new Shape(1, 3, 180, 240)}))
                .containsExactly(new Shape(1, 6, 180, 240), new Shape(1, 256, 12, 15), new Shape(1, 256, 45, 60));
        block.clear(); // 240 MB of parameters: give them back now
    }

    @Test
    void fourChannelInputOnlyWidensTheStem() {
        ModelSpec rgb = ModelSpec.mobileNetV2(1.0, 3, 11);
        ModelSpec irrgDsm = ModelSpec.mobileNetV2(1.0, 4, 11);
        Block block = initialised(irrgDsm);
        // one more input channel of the 3x3 stem conv with 32 filters
        assertThat(Networks.parameterCount(block) - Networks.parameterCount(initialised(rgb))).isEqualTo(32 * 9);
        assertOutputs(block, irrgDsm, new Shape(2, 4, 64, 80), true);
    }

    @Test
    void tinyFollowsTheSameOutputConvention() {
        ModelSpec spec = ModelSpec.of(Backbone.TINY, 3, 5);
        Block block = initialised(spec);
        assertThat(Networks.parameterCount(block)).isLessThan(400_000L);
        assertOutputs(block, spec, new Shape(2, 3, 64, 64), true);
        assertOutputs(block, spec, new Shape(1, 3, 180, 240), false);
        ModelSpec narrow = new ModelSpec(Backbone.TINY, 0.5, 4, 3, 16);
        assertOutputs(initialised(narrow), narrow, new Shape(2, 4, 48, 40), true);
    }

    @Test
    void outputStride8PutsF1AtStride8() {
        ModelSpec tiny = new ModelSpec(Backbone.TINY, 1.0, 3, 5, 8);
        assertOutputs(initialised(tiny), tiny, new Shape(2, 3, 64, 72), true);
        ModelSpec mnv2 = new ModelSpec(Backbone.MOBILENETV2, 0.5, 3, 5, 8);
        Block block = initialised(mnv2);
        assertThat(Networks.parameterCount(block)).isEqualTo(Networks.parameterCount(initialised(ModelSpec.mobileNetV2(0.5, 3, 5))));
        assertOutputs(block, mnv2, new Shape(1, 3, 64, 64), false);
    }

    @Test
    void trainingAndInferenceDifferOnlyThroughBatchNorm() {
        ModelSpec spec = ModelSpec.of(Backbone.TINY, 3, 4);
        Block block = initialised(spec);
        try (NDManager step = manager.newSubManager()) {
            NDArray x = step.randomUniform(0, 1, new Shape(2, 3, 32, 32));
            NDArray eval1 = Networks.forward(block, x, false).get(0);
            NDArray eval2 = Networks.forward(block, x, false).get(0);
            NDArray train = Networks.forward(block, x, true).get(0);
            assertThat(eval1.contentEquals(eval2)).isTrue();
            assertThat(train.sub(eval1).abs().max().getFloat()).isGreaterThan(1e-4f);
        }
    }

    @Test
    void wrongInputChannelsAreRejectedClearly() {
        ModelSpec spec = ModelSpec.of(Backbone.TINY, 4, 4);
        Block block = initialised(spec);
        try (NDManager step = manager.newSubManager()) {
            NDArray rgb = step.zeros(new Shape(1, 3, 32, 32));
            assertThatThrownBy(() -> Networks.forward(block, rgb, false))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("expects input (N, 4, H, W), got (1, 3, 32, 32)");
        }
    }

    @Test
    void trainingOnASingleImageIsRefusedWithTheReason() {
        ModelSpec spec = ModelSpec.of(Backbone.TINY, 3, 4);
        Block block = initialised(spec);
        try (NDManager step = manager.newSubManager()) {
            NDArray one = step.zeros(new Shape(1, 3, 32, 32));
            assertThatThrownBy(() -> Networks.forward(block, one, true))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch of at least 2");
            assertThat(Networks.forward(block, one, false).get(0).getShape()).isEqualTo(new Shape(1, 4, 32, 32));
        }
    }
}
