package dev.semiactive.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SgdOptimizerTest {
    @Test
    void polyScheduleMatchesFormula() {
        PolyLearningRate lr = PolyLearningRate.of(0.01, 100);
        assertThat(lr.at(0)).isEqualTo(0.01);
        assertThat(lr.at(50)).isCloseTo(0.01 * Math.pow(0.5, 0.9), within(1e-12));
        assertThat(lr.at(99)).isCloseTo(0.01 * Math.pow(0.01, 0.9), within(1e-12));
        assertThat(lr.at(100)).isZero();
        assertThat(lr.at(150)).isZero();
    }

    @Test
    void warmUpRisesLinearlyToThePolyCurveThenFollowsIt() {
        PolyLearningRate plain = new PolyLearningRate(0.01, 100, 0.9);
        PolyLearningRate warm = new PolyLearningRate(0.01, 100, 0.9, 20);
        assertThat(warm.at(0)).isCloseTo(plain.at(0) / 20, within(1e-15));
        assertThat(warm.at(9)).isCloseTo(plain.at(9) * 10 / 20, within(1e-15));
        assertThat(warm.at(19)).isCloseTo(plain.at(19), within(1e-15));   // the last warm-up step reaches the curve
        for (long s = 20; s <= 100; s++) assertThat(warm.at(s)).isEqualTo(plain.at(s));
        for (long s = 1; s < 20; s++) assertThat(warm.at(s)).isGreaterThan(warm.at(s - 1));
        assertThatThrownBy(() -> new PolyLearningRate(0.01, 100, 0.9, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("warmupSteps >= 0");
    }

    @Test
    void momentumAndWeightDecayFollowPyTorchSgd() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            // loss = sum(x . w) with x = (1, 2): gradient = x, whatever w
            Linear linear = Linear.builder().setUnits(1).optBias(false).build();
            linear.initialize(m, DataType.FLOAT32, new Shape(1, 2));
            Parameter w = linear.getParameters().get(0).getValue();
            w.getArray().set(new float[]{0.5f, -1f});
            w.getArray().setRequiresGradient(true);
            NDArray x = m.create(new float[]{1f, 2f}, new Shape(1, 2));
            float lr = 0.1f, mom = 0.9f, wd = 0.01f;
            SgdOptimizer opt = new SgdOptimizer(linear, m, mom, wd);

            double[] wExp = {0.5, -1};
            double[] buf = {0, 0};
            double[] grad = {1, 2};
            for (int step = 0; step < 3; step++) {
                try (NDManager sm = m.newSubManager()) {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray out = linear.forward(new ParameterStore(sm, false), new NDList(x), true).singletonOrThrow();
                        gc.backward(out.sum());
                    }
                    opt.step(lr);
                }
                for (int i = 0; i < 2; i++) {
                    double g = grad[i] + wd * wExp[i];
                    buf[i] = mom * buf[i] + g;
                    wExp[i] -= lr * buf[i];
                }
                float[] got = w.getArray().toFloatArray();
                assertThat(got[0]).as("step %d", step).isCloseTo((float) wExp[0], within(1e-6f));
                assertThat(got[1]).as("step %d", step).isCloseTo((float) wExp[1], within(1e-6f));
            }
            // gradients were zeroed after the update (no accumulation across steps)
            assertThat(w.getArray().getGradient().toFloatArray()).containsOnly(0f);

            // momentum buffers round-trip exactly into a fresh optimiser
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            opt.save(bytes);
            SgdOptimizer other = new SgdOptimizer(linear, m, mom, wd);
            other.load(new ByteArrayInputStream(bytes.toByteArray()), "test");
            float[] restored = other.buffersCopy(m).get(0).toFloatArray();
            assertThat(restored[0]).isEqualTo((float) buf[0], within(1e-6f));
            assertThat(restored[1]).isEqualTo((float) buf[1], within(1e-6f));
            assertThat(restored).containsExactly(opt.buffersCopy(m).get(0).toFloatArray());
            assertThat(opt.parameterNames()).containsExactly("weight");
            opt.close();
            other.close();
        }
    }

    @Test
    void nonFiniteGradientsAreZeroedNotLeftAsNaN() {
        try (NDManager m = NDManager.newBaseManager()) {
            Linear linear = Linear.builder().setUnits(1).optBias(false).build();
            linear.initialize(m, DataType.FLOAT32, new Shape(1, 2));
            Parameter w = linear.getParameters().get(0).getValue();
            w.getArray().setRequiresGradient(true);
            // gradient of sum(x . w) is x: an infinite input gives an infinite gradient
            NDArray x = m.create(new float[]{Float.POSITIVE_INFINITY, 1f}, new Shape(1, 2));
            try (SgdOptimizer opt = new SgdOptimizer(linear, m, 0.9f, 0f); NDManager sm = m.newSubManager()) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(linear.forward(new ParameterStore(sm, false), new NDList(x), true).singletonOrThrow().sum());
                }
                opt.step(0.1f);
                // g - g would have left NaN (inf - inf) to be added to the next gradient
                assertThat(w.getArray().getGradient().toFloatArray()).containsOnly(0f);
            }
        }
    }
}
