package dev.semiactive.train.semi;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.semiactive.data.Augmentations;
import dev.semiactive.data.DataOptions;
import dev.semiactive.data.Datasets;
import dev.semiactive.data.DatasetViews;
import dev.semiactive.data.SegmentationDataset;
import dev.semiactive.model.Backbone;
import dev.semiactive.model.ModelSpec;
import dev.semiactive.pipeline.Components;
import dev.semiactive.train.MethodContext;
import dev.semiactive.train.ModelCard;
import dev.semiactive.train.Network;
import dev.semiactive.train.NoGrad;
import dev.semiactive.train.NetworkRole;
import dev.semiactive.train.Normalization;
import dev.semiactive.train.Seeds;
import dev.semiactive.train.StepContext;
import dev.semiactive.train.StepOutput;
import dev.semiactive.train.TrainingLoop;
import dev.semiactive.train.TrainingMethod;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Tiny DeepLabv3+ ("tiny" backbone) on synthetic scenes, and a harness that runs one step outside the loop. */
final class SemiFixtures {
    static final long SEED = 11;
    static final int CLASSES = 4;
    static final ModelSpec SPEC = new ModelSpec(Backbone.TINY, 1.0, 3, CLASSES, 16);

    private SemiFixtures() {
    }

    /** Synthetic scenes of {@code size}x{@code size}, split into labelled and unlabelled parts. */
    static DatasetViews.Partition data(int images, int size, double labelFraction) {
        SegmentationDataset all = Datasets.synthetic("train", DataOptions.builder().optSeed(SEED)
                .optSynthetic(images, size, size, CLASSES).build());
        return DatasetViews.partition(all, labelFraction, SEED);
    }

    /** Cut-mix always on, so every step exercises the mixing of images and targets. */
    static Augmentations cutMix() {
        return Augmentations.builder().optCutMix(1.0, 0.1, 0.4, 0.5).build();
    }

    static SemiSupervisedMethod.Builder method(Terms terms, DatasetViews.Partition data, int batch) {
        Augmentations photometric = Augmentations.builder().optColourJitter(0.4, 0.4, 0.4, 0.8).optBlur(0.5, 0.1, 1.0).build();
        return SemiSupervisedMethod.builder().setTerms(terms)
                .setNetwork(Components.deeplab(SPEC)).setErrorMaskDecoder(Components.errorMaskDecoder(SPEC))
                .setLabelled(data.labelled()).setUnlabelled(data.unlabelled())
                .setBatchSize(batch).optUnlabelledBatchSize(batch)
                .optWeakAugmentation((s, r) -> Augmentations.randomCrop(s, s.width(), s.height(), r))
                .optPhotometric(photometric::photometric).optCutMix(cutMix())
                // a low threshold keeps pseudo-labels in play with an untrained teacher
                .optThreshold(0.3);
    }

    static ModelCard card(int size) {
        try {
            return ModelCard.of(new ObjectMapper().readTree(SPEC.toJson()), Datasets.synthetic("train",
                    DataOptions.builder().optSynthetic(1, size, size, CLASSES).build()).labels(), Normalization.defaults(3), size, size);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static TrainingLoop.Builder loop(Path run, TrainingMethod method, long steps, int size) {
        return TrainingLoop.builder().setRunDir(run).setMethod(method).setSteps(steps).setSeed(SEED)
                .setModelCard(card(size)).optLearningRate(0.02).optProgressBar(false);
    }

    /** A method's networks built as the loop builds them, outside a loop. */
    static final class Harness implements AutoCloseable {
        final NDManager manager = NDManager.newBaseManager();
        final Map<String, Network> networks = new LinkedHashMap<>();
        final TrainingMethod method;

        Harness(TrainingMethod method) {
            this.method = method;
            for (NetworkRole role : method.networks())
                networks.put(role.name(), Network.create(role, SEED, manager, 0.9f, 1e-4f));
        }

        /** Starts the method (resumed = true keeps a teacher set up by the test), runs step 0 and backward. */
        StepOutput startAndStep(boolean resumed) {
            return startAndStep(resumed, false);
        }

        /** As {@link #startAndStep(boolean)}, saying whether the run warm-started from trained networks. */
        StepOutput startAndStep(boolean resumed, boolean warmStarted) {
            method.start(new MethodContext(networks, manager, SEED, 0, 10, resumed, warmStarted));
            Engine.getInstance().setRandomSeed(3);
            NDManager step = manager.newSubManager();
            StepContext ctx = new StepContext(0, 10, 0.01, step, networks, Seeds.random(SEED, 0x57E9, 0));
            StepOutput out;
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                out = method.step(ctx);
                c.backward(out.loss());
            }
            return out;
        }

        /** The method's after-update hook for step 0, with autograd off, as the loop runs it after the optimiser. */
        void afterUpdate() {
            NoGrad.run(() -> method.afterUpdate(new StepContext(0, 10, 0.01, manager, networks, Seeds.random(SEED, 0x57E9, 0))));
        }

        /** The gradients of a trained network's parameters, concatenated in parameter order. */
        float[] gradients(String network) {
            List<Parameter> params = networks.get(network).block().getParameters().values();
            int total = 0;
            for (Parameter p : params) if (p.requiresGradient()) total += (int) p.getArray().size();
            float[] out = new float[total];
            int k = 0;
            for (Parameter p : params) {
                if (!p.requiresGradient()) continue;
                try (NDArray g = p.getArray().getGradient()) {
                    float[] v = g.toFloatArray();
                    System.arraycopy(v, 0, out, k, v.length);
                    k += v.length;
                }
            }
            return out;
        }

        /** Every parameter (running statistics included) of a network, concatenated. */
        float[] parameters(String network) {
            return flatten(networks.get(network));
        }

        @Override
        public void close() {
            method.close();
            for (Network n : networks.values()) n.close();
            manager.close();
        }
    }

    static float[] flatten(Network n) {
        List<Parameter> params = n.block().getParameters().values();
        int total = 0;
        for (Parameter p : params) total += (int) p.getArray().size();
        float[] out = new float[total];
        int k = 0;
        for (Parameter p : params) {
            float[] v = p.getArray().toFloatArray();
            System.arraycopy(v, 0, out, k, v.length);
            k += v.length;
        }
        return out;
    }
}
