package dev.semiactive.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import dev.semiactive.model.Networks;
import dev.semiactive.model.SegmentationOutputs;
import dev.semiactive.train.Losses;
import dev.semiactive.train.NativeStaging;
import dev.semiactive.train.SgdOptimizer;

/**
 * A supervised training step as {@code TrainingLoop} + {@code SupervisedMethod} run it: stage the host batch,
 * forward (training), cross-entropy with ignore, backward, SGD with momentum and weight decay. Peer:
 * {@code torch_peer.py --mode train}. The host batch is made once (data loading is not part of the step).
 */
final class SupervisedStep implements MeasuredStep {
    private final BenchSettings s;
    private final Block student;
    private final SgdOptimizer optimizer;
    private final float[] images;
    private final int[] masks;

    SupervisedStep(BenchNetworks nets, BenchSettings s, NDManager root) {
        this.s = s;
        this.student = nets.student();
        this.optimizer = new SgdOptimizer(student, root, 0.9f, s.weightDecay());
        this.images = SyntheticBatches.images(0, s.batch(), s.channels(), s.height(), s.width());
        this.masks = SyntheticBatches.masks(0, s.batch(), s.height(), s.width(), s.classes());
    }

    @Override
    public float run(NDManager step) {
        NDArray x = NativeStaging.floats(step, images, new Shape(s.batch(), s.channels(), s.height(), s.width()));
        NDArray y = NativeStaging.int64(step, masks, new Shape(s.batch(), s.height(), s.width()));
        Losses.Value ce;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray logits = Networks.forward(student, x, true).get(SegmentationOutputs.LOGITS);
            ce = Losses.crossEntropy(logits, y);
            collector.backward(ce.loss());
        }
        optimizer.step(s.lr());
        return ce.lossValue();
    }

    @Override
    public int images() {
        return s.batch();
    }

    @Override
    public void close() {
        optimizer.close();
    }
}
