package dev.semiactive.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** ReLU6 through the TorchScript hardtanh: the values and gradients of PyTorch's nn.ReLU6. */
class ActivationLayerTest {
    private static NDManager manager;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    private static final float[] INPUT = {-3f, -0.5f, 0.25f, 1f, 5.5f, 6.5f, 9f, 3f};

    @Test
    void relu6LoadsTheTorchScriptModuleOnThePyTorchEngine() {
        assertThat(Engine.getInstance().getEngineName()).isEqualTo("PyTorch");
        assertThat(Relu6Script.loaded()).as("the ReLU6 TorchScript module loads").isTrue();
    }

    @Test
    void relu6ClampsToZeroSixInTrainingAndInference() {
        for (boolean training : new boolean[] {true, false}) {
            try (NDManager m = manager.newSubManager()) {
                NDArray x = m.create(INPUT, new Shape(2, 1, 2, 2));
                NDArray y = forward(x, training);
                assertThat(y.getShape()).isEqualTo(x.getShape());
                assertThat(y.getManager()).isSameAs(m);
                assertThat(y.toFloatArray()).containsExactly(new float[] {0f, 0f, 0.25f, 1f, 5.5f, 6f, 6f, 3f}, within(0f));
            }
        }
    }

    @Test
    void relu6GradientIsOneInsideZeroSixAndZeroOutside() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(INPUT, new Shape(2, 1, 2, 2));
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                // a weight per element so a wrong gradient cannot pass by summing to the right total
                NDArray w = m.create(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, new Shape(2, 1, 2, 2));
                gc.backward(forward(x, true).mul(w).sum());
            }
            assertThat(x.getGradient().toFloatArray()).containsExactly(new float[] {0, 0, 3, 4, 5, 0, 0, 8}, within(0f));
        }
    }

    @Test
    void reluIsUnbounded() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(INPUT, new Shape(8));
            NDArray y = new ActivationLayer(ActivationLayer.Kind.RELU).forward(new ParameterStore(m, false), new NDList(x), false)
                    .singletonOrThrow();
            assertThat(y.toFloatArray()).containsExactly(new float[] {0f, 0f, 0.25f, 1f, 5.5f, 6.5f, 9f, 3f}, within(0f));
        }
    }

    private static NDArray forward(NDArray x, boolean training) {
        return new ActivationLayer(ActivationLayer.Kind.RELU6).forward(new ParameterStore(x.getManager(), false),
                new NDList(x), training).singletonOrThrow();
    }
}
