package dev.semiactive.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.semiactive.model.FreedJavaBuffers;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LossesTest {
    @Test
    void crossEntropyIgnoresPixelsLabelled255() {
        try (NDManager m = NDManager.newBaseManager()) {
            // 1 image, 2 classes, 1x2 pixels: pixel 0 logits (0, ln 3) -> p(1) = 3/4; pixel 1 ignored
            NDArray logits = m.create(new float[]{0f, 5f, (float) Math.log(3), -7f}, new Shape(1, 2, 1, 2));
            NDArray targets = m.create(new long[]{1, 255}, new Shape(1, 1, 2));
            Losses.Value v = Losses.crossEntropy(logits, targets);
            assertThat(v.lossValue()).isCloseTo((float) -Math.log(0.75), within(1e-6f));
            assertThat(v.kept()).isEqualTo(1);
        }
    }

    @Test
    void crossEntropyIsAMeanOverKeptPixelsAndWeighted() {
        try (NDManager m = NDManager.newBaseManager()) {
            // pixel 0 logits (ln 1, ln 3) target 0 -> -ln(1/4); pixel 1 logits (0, 0) target 1 -> ln 2
            NDArray logits = m.create(new float[]{0f, 0f, (float) Math.log(3), 0f}, new Shape(1, 2, 1, 2));
            NDArray targets = m.create(new int[]{0, 1}, new Shape(1, 1, 2));
            double l0 = Math.log(4), l1 = Math.log(2);
            assertThat(Losses.crossEntropy(logits, targets).lossValue()).isCloseTo((float) ((l0 + l1) / 2), within(1e-6f));
            NDArray w = m.create(new float[]{1f, 3f}, new Shape(1, 1, 2));
            Losses.Value weighted = Losses.crossEntropy(logits, targets, w);
            assertThat(weighted.lossValue()).isCloseTo((float) ((l0 + 3 * l1) / 4), within(1e-6f));
            // a 0/1 reliability mask keeps only pixel 1
            NDArray keep = m.create(new boolean[]{false, true}, new Shape(1, 1, 2));
            Losses.Value masked = Losses.crossEntropy(logits, targets, keep);
            assertThat(masked.lossValue()).isCloseTo((float) l1, within(1e-6f));
            assertThat(masked.kept()).isEqualTo(1);
        }
    }

    @Test
    void crossEntropyWithNothingKeptIsZeroWithFiniteZeroGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.randomNormal(new Shape(2, 3, 4, 4));
            logits.setRequiresGradient(true);
            NDArray targets = m.full(new Shape(2, 4, 4), 255L);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                Losses.Value v = Losses.crossEntropy(logits, targets);
                gc.backward(v.loss());
                assertThat(v.lossValue()).isEqualTo(0f);
                assertThat(v.kept()).isZero();
            }
            float[] grad = logits.getGradient().toFloatArray();
            for (float g : grad) assertThat(g).isEqualTo(0f);
        }
    }

    @Test
    void crossEntropyGradientMatchesSoftmaxMinusOneHot() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(new float[]{1f, 2f, 0.5f}, new Shape(1, 3, 1, 1));
            logits.setRequiresGradient(true);
            NDArray targets = m.create(new long[]{2}, new Shape(1, 1, 1));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(Losses.crossEntropy(logits, targets).loss());
            }
            double z = Math.exp(1) + Math.exp(2) + Math.exp(0.5);
            float[] g = logits.getGradient().toFloatArray();
            assertThat(g[0]).isCloseTo((float) (Math.exp(1) / z), within(1e-6f));
            assertThat(g[1]).isCloseTo((float) (Math.exp(2) / z), within(1e-6f));
            assertThat(g[2]).isCloseTo((float) (Math.exp(0.5) / z - 1), within(1e-6f));
        }
    }

    @Test
    void binaryCrossEntropyWithPositiveWeightMatchesHandValues() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(new float[]{0f, 2f}, new Shape(1, 1, 1, 2));
            NDArray targets = m.create(new float[]{1f, 0f}, new Shape(1, 1, 1, 2));
            // pixel 0: 2 * -log sigma(0) = 2 ln 2; pixel 1: -log(1 - sigma(2)) = ln(1 + e^2)
            double p0 = 2 * Math.log(2), p1 = Math.log(1 + Math.exp(2));
            Losses.Value v = Losses.binaryCrossEntropyWithLogits(logits, targets, null, 2f);
            assertThat(v.lossValue()).isCloseTo((float) ((p0 + p1) / 2), within(1e-6f));
            assertThat(v.kept()).isEqualTo(2);
            NDArray keep = m.create(new float[]{1f, 0f}, new Shape(1, 1, 1, 2));
            assertThat(Losses.binaryCrossEntropyWithLogits(logits, targets, keep, 2f).lossValue())
                    .isCloseTo((float) p0, within(1e-6f));
            NDArray none = m.zeros(new Shape(1, 1, 1, 2));
            assertThat(Losses.binaryCrossEntropyWithLogits(logits, targets, none, 2f).lossValue()).isEqualTo(0f);
        }
    }

    @Test
    void binaryCrossEntropyIsStableForLargeLogits() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(new float[]{200f, -200f, 200f});
            NDArray targets = m.create(new float[]{1f, 0f, 0f});
            float v = Losses.binaryCrossEntropyWithLogits(logits, targets, null, 1f).lossValue();
            assertThat(v).isCloseTo(200f / 3, within(1e-3f));
        }
    }

    @Test
    void binaryCrossEntropyGradientSurvivesTheJavaGc() {
        // d/dx mean(-pw y log s(x) - (1-y) log(1-s(x))) = (pw y (s-1) + (1-y) s) / n
        double s2 = 1 / (1 + Math.exp(-2));
        for (int i = 0; i < 5; i++) {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray targets = m.create(new float[]{1f, 0f});
                float[] g = FreedJavaBuffers.gradientAfterGc(m.create(new float[]{0f, 2f}),
                        x -> Losses.binaryCrossEntropyWithLogits(x, targets, null, 2f).loss());
                assertThat(g).containsExactly(new float[]{-0.5f, (float) (s2 / 2)}, within(1e-6f));
            }
        }
    }
}
