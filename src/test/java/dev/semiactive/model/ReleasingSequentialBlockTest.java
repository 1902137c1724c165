package dev.semiactive.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ReleasingSequentialBlockTest {
    private static final Shape INPUT = new Shape(2, 3, 16, 16);

    /** conv -> BN -> ReLU6 -> (conv -> BN) nested: four intermediates between input and output. */
    private static SequentialBlock build(SequentialBlock outer, SequentialBlock inner) {
        return outer.add(Layers.conv(8, 3, 1, 1, 1, false)).add(Layers.batchNorm())
                .add(new ActivationLayer(ActivationLayer.Kind.RELU6))
                .add(inner.add(Layers.conv(4, 3, 1, 1, 1, false)).add(Layers.batchNorm()));
    }

    /** {@link #build} initialised from one seed: the DJL and the releasing variant get the same parameters. */
    private static SequentialBlock initialized(SequentialBlock outer, SequentialBlock inner, NDManager m) {
        SequentialBlock b = build(outer, inner);
        Networks.initialize(b, m, INPUT, 7);
        return b;
    }

    private static NDArray input(NDManager m) {
        return m.randomNormal(0, 1, INPUT, DataType.FLOAT32).mul(m.create(0.5f)); // same seed: same values
    }

    @Test
    void parameterNamesAreThoseOfDjlsSequentialBlock() {
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock djl = initialized(new SequentialBlock(), new SequentialBlock(), m);
            SequentialBlock ours = initialized(new ReleasingSequentialBlock(), new ReleasingSequentialBlock(), m);
            List<String> a = djl.getParameters().stream().map(Pair::getKey).toList();
            List<String> b = ours.getParameters().stream().map(Pair::getKey).toList();
            assertThat(b).isEqualTo(a).anyMatch(n -> n.contains("SequentialBlock")).noneMatch(n -> n.contains("Releasing"));
        }
    }

    @Test
    void inferenceFreesIntermediatesAndGivesTheSameOutput() {
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock djl = initialized(new SequentialBlock(), new SequentialBlock(), m);
            SequentialBlock ours = initialized(new ReleasingSequentialBlock(), new ReleasingSequentialBlock(), m);
            Engine.getInstance().setRandomSeed(3);
            NDArray x = input(m);
            try (NDManager a = m.newSubManager(); NDManager b = m.newSubManager()) {
                NDArray xa = x.duplicate();
                xa.attach(a);
                NDArray xb = x.duplicate();
                xb.attach(b);
                NDArray ya = djl.forward(new ParameterStore(a, false), new NDList(xa), false).singletonOrThrow();
                NDArray yb = ours.forward(new ParameterStore(b, false), new NDList(xb), false).singletonOrThrow();
                assertThat(yb.toFloatArray()).containsExactly(ya.toFloatArray(), within(0f));
                // DJL's block keeps the four intermediates in the step's manager until it closes; ours freed them
                assertThat(b.getManagedArrays()).hasSize(a.getManagedArrays().size() - 4).contains(xb, yb);
                assertThat(xb.isReleased()).isFalse();
            }
        }
    }

    @Test
    void trainingGivesTheSameGradientsThoughIntermediatesAreReleased() {
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock djl = initialized(new SequentialBlock(), new SequentialBlock(), m);
            SequentialBlock ours = initialized(new ReleasingSequentialBlock(), new ReleasingSequentialBlock(), m);
            Engine.getInstance().setRandomSeed(3);
            NDArray x = input(m);
            float[][] grads = new float[2][];
            SequentialBlock[] blocks = {djl, ours};
            for (int i = 0; i < 2; i++) {
                try (NDManager step = m.newSubManager(); GradientCollector c = Engine.getInstance().newGradientCollector()) {
                    NDArray xi = x.duplicate();
                    xi.attach(step);
                    NDArray y = blocks[i].forward(new ParameterStore(step, false), new NDList(xi), true).singletonOrThrow();
                    c.backward(y.square().mean());
                    Parameter first = blocks[i].getParameters().get(0).getValue();
                    grads[i] = first.getArray().getGradient().toFloatArray();
                    Networks.zeroGradients(blocks[i]);
                }
            }
            assertThat(grads[1]).containsExactly(grads[0], within(1e-6f));
            double sumAbs = 0;
            for (float g : grads[1]) sumAbs += Math.abs(g);
            assertThat(sumAbs).as("the gradient reached the first layer").isPositive();
        }
    }

    @Test
    void anArrayPassedThroughUnchangedIsNotClosed() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.ones(new Shape(2));
            NDArray b = m.zeros(new Shape(2));
            ReleasingSequentialBlock.release(new NDList(a, b), new NDList(a));
            assertThat(a.isReleased()).isFalse();
            assertThat(b.isReleased()).isTrue();
        }
    }
}
