package dev.semiactive.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.semiactive.model.ModelSpec;
import dev.semiactive.model.Networks;
import dev.semiactive.pipeline.Components;
import dev.semiactive.train.MethodContext;
import dev.semiactive.train.Network;
import dev.semiactive.train.NetworkRole;
import dev.semiactive.train.NoGrad;
import dev.semiactive.train.Normalization;
import dev.semiactive.train.Seeds;
import dev.semiactive.train.StepContext;
import dev.semiactive.train.StepOutput;
import dev.semiactive.train.SupervisedMethod;
import dev.semiactive.train.TrainingMethod;
import dev.semiactive.train.semi.SemiSupervisedMethod;
import dev.semiactive.train.semi.Terms;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One step of a shipped {@link TrainingMethod}, driven as {@code TrainingLoop} drives it: the step's engine seed
 * and random stream, {@code method.step} under one gradient collector, backward, the loss read, every trained
 * network's SGD update, {@code afterUpdate} with autograd off, every logged scalar read. Left out, because the
 * peer has no counterpart: gradient clipping (a run's {@code train.clip_percentile}; the bench sets 0, which is
 * also the option's "off"), the log window, validation and checkpoints. Batches come from the method's own
 * batch samplers over {@link SyntheticDataset}s (loading is on the sampler's thread, as in a run); weak
 * augmentation, photometric perturbation and CutMix are off and the normalisation is the identity, so both
 * sides feed the networks the same pixels.
 *
 * <ul>
 *   <li>{@link #supervised}: {@link SupervisedMethod} on {@code batch} labelled images. Peer: {@code torch_peer.py --mode train}.</li>
 *   <li>{@link #tsf}: {@link SemiSupervisedMethod} with every TSF term on at the SPEC's weights (lambda_ts 1,
 *       lambda_cps 1.5, EMD with a fixed positive weight), {@code batch / 2} labelled and {@code batch / 2}
 *       unlabelled images, the strong view equal to the weak one. Peer: {@code --mode tsf}, which mirrors
 *       {@code SemiSupervisedMethod.step} op for op.</li>
 * </ul>
 * The networks are built by {@code Network.create} from the method's roles and the bench seed, as the loop
 * builds them; {@link BenchNetworks} builds (and exports for the peer) the same weights.
 */
final class MethodStep implements MeasuredStep {
    private final TrainingMethod method;
    private final Map<String, Network> networks = new LinkedHashMap<>();
    private final BenchSettings s;
    private final long totalSteps;
    private long step;
    private int images;

    private MethodStep(TrainingMethod method, BenchSettings s, NDManager root) {
        this.method = method;
        this.s = s;
        this.totalSteps = s.warmup() + s.steps();
        for (NetworkRole role : method.networks())
            networks.put(role.name(), Network.create(role, s.seed(), root, 0.9f, s.weightDecay()));
        method.start(new MethodContext(networks, root, s.seed(), 0, totalSteps, false, false));
    }

    static MethodStep supervised(BenchSettings s, NDManager root) {
        ModelSpec spec = BenchNetworks.spec(s);
        SupervisedMethod method = SupervisedMethod.builder().setNetwork(Components.deeplab(spec))
                .setLabelled(SyntheticDataset.labelled(s, 0, s.batch())).setBatchSize(s.batch())
                .optNormalization(Normalization.identity(s.channels())).build();
        return new MethodStep(method, s, root);
    }

    static MethodStep tsf(BenchSettings s, NDManager root) {
        if (s.batch() % 2 != 0 || s.batch() < 4)
            throw new IllegalArgumentException("the TSF step needs an even batch >= 4 (half labelled, half unlabelled), got " + s.batch());
        int half = s.batch() / 2;
        ModelSpec spec = BenchNetworks.spec(s);
        SemiSupervisedMethod method = SemiSupervisedMethod.builder().setTerms(Terms.tsf(true))
                .setNetwork(Components.deeplab(spec)).setErrorMaskDecoder(Components.errorMaskDecoder(spec))
                .setLabelled(SyntheticDataset.labelled(s, 0, half)).setUnlabelled(SyntheticDataset.unlabelled(s, half, half))
                .setBatchSize(half).optUnlabelledBatchSize(half).optNormalization(Normalization.identity(s.channels()))
                .optEmaDecay(s.ema()).optThreshold(s.tau()).optLossWeights(1.0, 1.5).optEmdPosWeight((double) s.posWeight())
                .build();
        return new MethodStep(method, s, root);
    }

    /** Trainable and fixed parameters of the method's evaluation network (the Student, or the Teacher for TSF). */
    @Override
    public long parameters() {
        return Networks.parameterCount(networks.get(method.evaluationNetwork()).block());
    }

    @Override
    public float run(NDManager m) {
        Engine.getInstance().setRandomSeed((int) Seeds.derive(s.seed(), 0xD209, step));
        StepContext ctx = new StepContext(step, totalSteps, s.lr(), m, networks, Seeds.random(s.seed(), 0x57E9, step));
        StepOutput out;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            out = method.step(ctx);
            collector.backward(out.loss());
        }
        float loss = out.loss().getFloat();
        for (Network n : networks.values()) if (n.optimizer() != null) n.optimizer().step(s.lr());
        NoGrad.run(() -> method.afterUpdate(ctx));
        for (NDArray scalar : out.scalars().values()) scalar.getFloat(); // the loop's log window reads each one
        images = out.images();
        step++;
        return loss;
    }

    @Override
    public int images() {
        return images > 0 ? images : s.batch();
    }

    @Override
    public void close() {
        method.close();
        for (Network n : networks.values()) n.close();
    }
}
