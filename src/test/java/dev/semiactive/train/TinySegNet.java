package dev.semiactive.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

import java.util.SplittableRandom;

/**
 * Test network following SegmentationOutputs: conv3x3-BN-ReLU-dropout features at full resolution, a 1x1
 * classifier for the logits, F2 = 4x4 average pool of the features (stride 4), F1 = 16x16 pool (stride 16).
 * Weights are drawn from a Java generator seeded by the factory seed, so init is bitwise reproducible.
 */
final class TinySegNet extends AbstractBlock {
    static final int WIDTH = 8;
    private final Block features;
    private final Block classifier;

    TinySegNet(int classes, float dropout) {
        super((byte) 1);
        SequentialBlock f = new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(WIDTH).build())
                .add(BatchNorm.builder().build())
                .add(Activation::relu);
        if (dropout > 0) f.add(Dropout.builder().optRate(dropout).build());
        features = addChildBlock("features", f);
        classifier = addChildBlock("classifier", Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(classes).build());
    }

    /** Factory for tests: {@code channels} input channels, images of any size. */
    static NetworkFactory factory(int classes, int channels, float dropout) {
        return (manager, seed) -> {
            TinySegNet net = new TinySegNet(classes, dropout);
            net.setInitializer(new SeededInitializer(seed), Parameter.Type.WEIGHT);
            net.initialize(manager, DataType.FLOAT32, new Shape(1, channels, 32, 32));
            return net;
        };
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList f = features.forward(ps, inputs, training);
        NDArray logits = classifier.forward(ps, f, training).singletonOrThrow();
        NDArray feat = f.singletonOrThrow();
        NDArray f2 = Pool.avgPool2d(feat, new Shape(4, 4), new Shape(4, 4), new Shape(0, 0), false, true);
        NDArray f1 = Pool.avgPool2d(feat, new Shape(16, 16), new Shape(16, 16), new Shape(0, 0), false, true);
        return new NDList(logits, f1, f2);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape in = inputs[0];
        long n = in.get(0), h = in.get(2), w = in.get(3);
        Shape logits = classifier.getOutputShapes(features.getOutputShapes(inputs))[0];
        return new Shape[]{logits, new Shape(n, WIDTH, h / 16, w / 16), new Shape(n, WIDTH, h / 4, w / 4)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        features.initialize(manager, dataType, inputShapes);
        classifier.initialize(manager, dataType, features.getOutputShapes(inputShapes));
    }

    /** Uniform(-a, a) with Xavier-like a, from a Java generator: no engine RNG involved. */
    static final class SeededInitializer implements Initializer {
        private final SplittableRandom random;

        SeededInitializer(long seed) {
            this.random = new SplittableRandom(seed);
        }

        @Override
        public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
            long fanIn = shape.size() / shape.get(0);
            double a = Math.sqrt(3.0 / fanIn);
            float[] v = new float[(int) shape.size()];
            for (int i = 0; i < v.length; i++) v[i] = (float) ((random.nextDouble() * 2 - 1) * a);
            return manager.create(v, shape);
        }
    }

    static {
        Engine.getInstance(); // fail early if the engine cannot start
    }
}
