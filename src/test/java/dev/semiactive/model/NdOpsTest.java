package dev.semiactive.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.engine.Engine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class NdOpsTest {
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
    void upsamplingThroughTheScriptMatchesDjlsKernelInValuesAndGradients() {
        assertThat(NdOps.bilinearScriptLoaded()).as("the bilinear TorchScript module loads").isTrue();
        try (NDManager m = manager.newSubManager()) {
            float[] data = new float[2 * 3 * 5 * 7];
            for (int i = 0; i < data.length; i++) data[i] = (float) Math.sin(i * 0.37);
            NDArray weights = m.randomUniform(0, 1, new Shape(2, 3, 17, 29));
            // the script (plain upsample_bilinear2d) against DJL's JNI call (antialiased kernel) on the same input
            float[] gScript = FreedJavaBuffers.gradientAfterGc(m.create(data, new Shape(2, 3, 5, 7)),
                    x -> NdOps.resizeBilinear(x, 17, 29, false).mul(weights).sum());
            float[] yScript = NdOps.resizeBilinear(m.create(data, new Shape(2, 3, 5, 7)), 17, 29, false).toFloatArray();
            NDArray x = m.create(data, new Shape(2, 3, 5, 7));
            x.setRequiresGradient(true);
            NDArray y;
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                y = ai.djl.pytorch.jni.JniUtils.interpolate((ai.djl.pytorch.engine.PtNDArray) x, new long[] {17, 29}, 2, false);
                c.backward(y.mul(weights).sum());
            }
            assertThat(yScript).containsExactly(y.toFloatArray(), within(1e-5f));
            assertThat(gScript).containsExactly(x.getGradient().toFloatArray(), within(1e-4f));
        }
    }

    @Test
    void scaleKeepsItsFactorForTheBackwardPassAfterTheJavaGcRan() {
        // x.mul(3f) fails this: its factor lives on a Java buffer the GC frees before the backward (NdOps class comment)
        for (int i = 0; i < 5; i++) {
            try (NDManager m = manager.newSubManager()) {
                assertThat(FreedJavaBuffers.gradientAfterGc(m.ones(new Shape(4)), x -> NdOps.scale(x, 3).sum())).containsOnly(3f);
            }
        }
    }

    @Test
    void downsamplingKeepsItsInterpolationMatricesForTheBackwardPass() {
        // 4 -> 2 without align_corners: each output pixel is the mean of a 2x2 block
        for (int i = 0; i < 3; i++) {
            try (NDManager m = manager.newSubManager()) {
                assertThat(FreedJavaBuffers.gradientAfterGc(m.ones(new Shape(1, 1, 4, 4)), x -> NdOps.resizeBilinear(x, 2, 2, false).sum()))
                        .containsOnly(0.25f);
            }
        }
    }

    @Test
    void bilinearAlignCornersTrueInterpolatesBetweenCornerPixels() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(new float[] {0, 3}, new Shape(1, 1, 1, 2));
            float[] y = NdOps.resizeBilinear(x, 1, 4, true).toFloatArray();
            assertThat(y).containsExactly(new float[] {0, 1, 2, 3}, within(1e-6f));
        }
    }

    @Test
    void bilinearAlignCornersFalseMapsPixelAreasLikePyTorch() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(new float[] {0, 4}, new Shape(1, 1, 1, 2));
            // torch.nn.functional.interpolate(x, size=(1, 4), mode="bilinear") == [0, 1, 3, 4]
            float[] y = NdOps.resizeBilinear(x, 1, 4, false).toFloatArray();
            assertThat(y).containsExactly(new float[] {0, 1, 3, 4}, within(1e-6f));
        }
    }

    @Test
    void bilinearDownsamplingHasNoAntialiasingLikePyTorchDefault() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.arange(4f).reshape(1, 1, 1, 4);
            // F.interpolate(x, size=(1, 2), mode="bilinear") == [0.5, 2.5]; align_corners=True == [0, 3]
            assertThat(NdOps.resizeBilinear(x, 1, 2, false).toFloatArray())
                    .containsExactly(new float[] {0.5f, 2.5f}, within(1e-6f));
            assertThat(NdOps.resizeBilinear(x, 1, 2, true).toFloatArray())
                    .containsExactly(new float[] {0f, 3f}, within(1e-6f));
        }
    }

    @Test
    void matrixPathMatchesLibtorchWhereLibtorchIsExact() {
        try (NDManager m = manager.newSubManager()) {
            m.getEngine().setRandomSeed(7);
            NDArray x = m.randomNormal(new Shape(2, 3, 5, 7));
            for (int[] size : new int[][] {{5, 7}, {10, 14}, {13, 9}, {45, 60}}) {
                NDArray fast = NdOps.resizeBilinear(x, size[0], size[1], false);
                NDArray viaMatrices = NdOps.resizeByMatrices(x, size[0], size[1], false);
                assertThat(fast.getShape()).isEqualTo(new Shape(2, 3, size[0], size[1]));
                assertThat(viaMatrices.getShape()).isEqualTo(fast.getShape());
                assertThat(fast.sub(viaMatrices).abs().max().getFloat()).isLessThan(1e-5f);
            }
        }
    }

    @Test
    void bilinearKeepsRankForChwAndHw() {
        try (NDManager m = manager.newSubManager()) {
            NDArray chw = m.arange(24f).reshape(2, 3, 4);
            assertThat(NdOps.resizeBilinear(chw, 5, 7, false).getShape()).isEqualTo(new Shape(2, 5, 7));
            NDArray hw = m.arange(12f).reshape(3, 4);
            NDArray same = NdOps.resizeBilinear(hw, 3, 4, false);
            assertThat(same.getShape()).isEqualTo(new Shape(3, 4));
            assertThat(same.toFloatArray()).containsExactly(hw.toFloatArray());
        }
    }

    @Test
    void bilinearResizePassesGradients() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.ones(new Shape(1, 1, 2, 2));
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = NdOps.resizeBilinear(x, 4, 4, false);
                gc.backward(y.sum());
            }
            // every output pixel distributes weight 1 over the inputs: 16 outputs over 4 inputs
            assertThat(x.getGradient().toFloatArray()).containsExactly(new float[] {4, 4, 4, 4}, within(1e-5f));
        }
    }

    @Test
    void nearestResizesIntegerLabelsExactly() {
        try (NDManager m = manager.newSubManager()) {
            NDArray labels = m.create(new int[] {0, 255, 7, 3}, new Shape(2, 2));
            NDArray up = NdOps.resizeNearest(labels, 4, 4);
            assertThat(up.getDataType()).isEqualTo(DataType.INT32);
            assertThat(up.toIntArray()).containsExactly(
                    0, 0, 255, 255,
                    0, 0, 255, 255,
                    7, 7, 3, 3,
                    7, 7, 3, 3);
            NDArray down = NdOps.resizeNearest(up, 2, 2);
            assertThat(down.toIntArray()).containsExactly(0, 255, 7, 3);
        }
    }

    @Test
    void rejectsBadInput() {
        try (NDManager m = manager.newSubManager()) {
            assertThatThrownBy(() -> NdOps.resizeBilinear(m.zeros(new Shape(2, 2), DataType.INT32), 4, 4, false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("resizeNearest");
            assertThatThrownBy(() -> NdOps.resizeBilinear(m.zeros(new Shape(4)), 4, 4, false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(H,W)");
            assertThatThrownBy(() -> NdOps.resizeBilinear(m.zeros(new Shape(2, 2)), 0, 4, false))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
