package dev.semiactive.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import dev.semiactive.data.LabelSpace;
import dev.semiactive.model.NdOps;
import dev.semiactive.model.Networks;
import dev.semiactive.model.SegmentationOutputs;
import dev.semiactive.train.Losses;
import dev.semiactive.train.NativeStaging;
import dev.semiactive.train.NoGrad;
import dev.semiactive.train.SgdOptimizer;

/**
 * A Teacher-Student-Friend step built from the public pieces (SPEC "TSF"), mirrored op for op by
 * {@code torch_peer.py --mode tsf}. Of a batch of B images, B/2 are labelled and B/2 unlabelled (the
 * strong view is another synthetic batch: augmentation is data loading, not part of the step).
 * <ol>
 *   <li>Teacher (EMA of the Student, inference mode, no gradient) on [labelled; weak unlabelled]:
 *       softmax confidence and argmax targets, F1/F2 for the EMD.</li>
 *   <li>Under one gradient collector: Student and Friend on [labelled; strong unlabelled]; EMD on the
 *       Teacher's (detached) features.</li>
 *   <li>L = CE_S(l) + CE_F(l) + 1.0 CE_S(u, teacher argmax | reliable) + 1.5 (CE(S, argmax F) + CE(F, argmax S))
 *       + BCE_EMD(labelled pixels, target teacher-wrong); reliable = confidence >= tau and the EMD does not flag.</li>
 *   <li>One backward; SGD for Student, Friend and EMD; EMA of the Teacher.</li>
 * </ol>
 * TODO(tsf): when {@code dev.semiactive.train.semi} is merged, benchmark its TrainingMethod step instead
 * (and mirror any difference in the peer), so the benchmark measures the shipped code.
 */
final class TsfStep implements MeasuredStep {
    private static final float LAMBDA_TS = 1.0f;
    private static final float LAMBDA_CPS = 1.5f;

    private final BenchSettings s;
    private final BenchNetworks nets;
    private final Block student;
    private final Block friend;
    private final Block teacher;
    private final Block emd;
    private final SgdOptimizer studentSgd;
    private final SgdOptimizer friendSgd;
    private final SgdOptimizer emdSgd;
    private final int half;
    private final float[] labelled;
    private final int[] masks;
    private final float[] weak;
    private final float[] strong;

    TsfStep(BenchNetworks nets, BenchSettings s, NDManager root) {
        if (s.batch() % 2 != 0 || s.batch() < 4)
            throw new IllegalArgumentException("the TSF step needs an even batch >= 4 (half labelled, half unlabelled), got " + s.batch());
        this.s = s;
        this.nets = nets;
        this.student = nets.student();
        this.friend = nets.friend();
        this.teacher = nets.teacher();
        this.emd = nets.emd();
        this.studentSgd = new SgdOptimizer(student, root, 0.9f, s.weightDecay());
        this.friendSgd = new SgdOptimizer(friend, root, 0.9f, s.weightDecay());
        this.emdSgd = new SgdOptimizer(emd, root, 0.9f, s.weightDecay());
        this.half = s.batch() / 2;
        this.labelled = SyntheticBatches.images(0, half, s.channels(), s.height(), s.width());
        this.masks = SyntheticBatches.masks(0, half, s.height(), s.width(), s.classes());
        this.weak = SyntheticBatches.images(half, half, s.channels(), s.height(), s.width());
        this.strong = SyntheticBatches.images(s.batch(), half, s.channels(), s.height(), s.width());
    }

    @Override
    public float run(NDManager m) {
        int h = s.height(), w = s.width();
        Shape imageShape = new Shape(half, s.channels(), h, w);
        NDArray xl = NativeStaging.floats(m, labelled, imageShape);
        NDArray yl = NativeStaging.int64(m, masks, new Shape(half, h, w));
        NDArray xu = NativeStaging.floats(m, weak, imageShape);
        NDArray xs = NativeStaging.floats(m, strong, imageShape);

        NDList[] teacherOut = new NDList[1];
        NoGrad.run(() -> teacherOut[0] = Networks.forward(teacher, NDArrays.concat(new NDList(xl, xu), 0), false));
        NDArray tProb = teacherOut[0].get(SegmentationOutputs.LOGITS).softmax(1);
        NDArray conf = tProb.max(new int[] {1}, false);
        NDArray tArg = tProb.argMax(1);
        NDArray tF1 = teacherOut[0].get(SegmentationOutputs.F1);
        NDArray tF2 = teacherOut[0].get(SegmentationOutputs.F2);

        NDArray loss;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray x = NDArrays.concat(new NDList(xl, xs), 0);
            NDArray sLogits = Networks.forward(student, x, true).get(SegmentationOutputs.LOGITS);
            NDArray fLogits = Networks.forward(friend, x, true).get(SegmentationOutputs.LOGITS);
            String l = "0:" + half;
            String u = half + ":";
            NDArray sup = Losses.crossEntropy(sLogits.get(l), yl).loss()
                    .add(Losses.crossEntropy(fLogits.get(l), yl).loss());

            NDArray emdLogit = Networks.forward(emd, new NDList(tF1, tF2), true).singletonOrThrow();
            Shape es = emdLogit.getShape();
            int h4 = (int) es.get(2), w4 = (int) es.get(3);
            NDArray known = yl.neq(LabelSpace.IGNORE);
            NDArray wrong = tArg.get(l).neq(yl).logicalAnd(known).toType(DataType.FLOAT32, false).expandDims(1);
            NDArray emdTarget = NdOps.resizeNearest(wrong, h4, w4);
            NDArray emdKeep = NdOps.resizeNearest(known.toType(DataType.FLOAT32, false).expandDims(1), h4, w4);
            NDArray emdLoss = Losses.binaryCrossEntropyWithLogits(emdLogit.get(l), emdTarget, emdKeep, s.posWeight()).loss();

            NDArray flag = NdOps.resizeNearest(emdLogit.get(u).stopGradient().gt(0f).toType(DataType.FLOAT32, false), h, w);
            NDArray reliable = conf.get(u).gte(s.tau()).logicalAnd(flag.squeeze(1).lt(0.5f));
            NDArray ts = Losses.crossEntropy(sLogits.get(u), tArg.get(u), reliable).loss();
            NDArray cps = Losses.crossEntropy(sLogits, fLogits.stopGradient().argMax(1)).loss()
                    .add(Losses.crossEntropy(fLogits, sLogits.stopGradient().argMax(1)).loss());
            loss = sup.add(NdOps.scale(ts, LAMBDA_TS)).add(NdOps.scale(cps, LAMBDA_CPS)).add(emdLoss);
            collector.backward(loss);
        }
        studentSgd.step(s.lr());
        friendSgd.step(s.lr());
        emdSgd.step(s.lr());
        nets.emaUpdate(s.ema());
        return loss.getFloat();
    }

    @Override
    public int images() {
        return s.batch();
    }

    @Override
    public void close() {
        studentSgd.close();
        friendSgd.close();
        emdSgd.close();
    }
}
