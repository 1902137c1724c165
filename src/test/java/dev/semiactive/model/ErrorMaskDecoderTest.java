package dev.semiactive.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ErrorMaskDecoderTest {
    private static NDManager manager;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    @Test
    void mapsF1AndF2ToOneLogitPerStride4Pixel() {
        ModelSpec spec = ModelSpec.mobileNetV2(1.0, 3, 11);
        Block emd = Networks.errorMaskDecoder(spec);
        Networks.initializeErrorMaskDecoder(emd, manager, spec, 3);
        int hidden = ErrorMaskDecoder.DEFAULT_HIDDEN_CHANNELS;
        long expected = (512L * hidden * 9 + 2 * hidden) + ((long) hidden * hidden * 9 + 2 * hidden) + hidden + 1;
        assertThat(Networks.parameterCount(emd)).isEqualTo(expected);
        Shape[] shapes = Networks.emdInputShapes(spec, 2, 180, 240);
        assertThat(shapes).containsExactly(new Shape(2, 256, 12, 15), new Shape(2, 256, 45, 60));
        try (NDManager step = manager.newSubManager()) {
            NDList in = new NDList(step.randomNormal(shapes[0]), step.randomNormal(shapes[1]));
            NDList out = Networks.forward(emd, in, true);
            assertThat(out.singletonOrThrow().getShape()).isEqualTo(new Shape(2, 1, 45, 60));
            assertThat(emd.getOutputShapes(shapes)).containsExactly(new Shape(2, 1, 45, 60));
        }
    }

    @Test
    void hiddenWidthIsConfigurableAndWorksOnTinyFeatures() {
        ModelSpec spec = new ModelSpec(Backbone.TINY, 0.5, 3, 4, 16);
        Block emd = ErrorMaskDecoder.builder().optHiddenChannels(16).build();
        Networks.initializeErrorMaskDecoder(emd, manager, spec, 3);
        long expected = (64L * 16 * 9 + 32) + (16L * 16 * 9 + 32) + 16 + 1; // F1 + F2 = 32 + 32 channels
        assertThat(Networks.parameterCount(emd)).isEqualTo(expected);
        try (NDManager step = manager.newSubManager()) {
            Shape[] shapes = Networks.emdInputShapes(spec, 1, 37, 50);
            NDList out = Networks.forward(emd, new NDList(step.randomNormal(shapes[0]), step.randomNormal(shapes[1])), false);
            assertThat(out.singletonOrThrow().getShape()).isEqualTo(new Shape(1, 1, 10, 13));
        }
        assertThatThrownBy(() -> ErrorMaskDecoder.builder().optHiddenChannels(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void detachedFeaturesKeepTheSegmentationNetworkOutOfTheEmdGradient() {
        ModelSpec spec = ModelSpec.of(Backbone.TINY, 3, 4);
        Block net = Networks.deeplab(spec);
        Networks.initializeDeepLab(net, manager, spec, 1);
        Block emd = Networks.errorMaskDecoder(spec);
        Networks.initializeErrorMaskDecoder(emd, manager, spec, 2);
        try (NDManager step = manager.newSubManager();
             GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDList out = Networks.forward(net, step.randomUniform(0, 1, new Shape(2, 3, 32, 32)), true);
            NDList detached = new NDList(out.get(SegmentationOutputs.F1).stopGradient(),
                    out.get(SegmentationOutputs.F2).stopGradient());
            NDArray logit = Networks.forward(emd, detached, true).singletonOrThrow();
            gc.backward(logit.mean().add(out.get(SegmentationOutputs.LOGITS).mean().mul(0)));
            for (Parameter p : emd.getParameters().values()) {
                if (p.requiresGradient()) {
                    assertThat(p.getArray().getGradient().abs().sum().getFloat()).as(p.getName()).isGreaterThan(0f);
                }
            }
            // the logits term (times 0) gives every network parameter a gradient buffer; the EMD term must add nothing
            for (Parameter p : net.getParameters().values()) {
                if (p.requiresGradient()) {
                    assertThat(p.getArray().getGradient().abs().sum().getFloat()).as(p.getName()).isZero();
                }
            }
            gc.zeroGradients();
        }
    }

    @Test
    void rejectsASingleInput() {
        ModelSpec spec = ModelSpec.of(Backbone.TINY, 3, 4);
        Block emd = Networks.errorMaskDecoder(spec);
        Networks.initializeErrorMaskDecoder(emd, manager, spec, 2);
        try (NDManager step = manager.newSubManager()) {
            assertThatThrownBy(() -> Networks.forward(emd, step.zeros(new Shape(1, 64, 4, 4)), false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NDList[F1, F2]");
        }
    }
}
