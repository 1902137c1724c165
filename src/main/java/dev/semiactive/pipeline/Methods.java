package dev.semiactive.pipeline;

import dev.semiactive.SemiactiveException;
import dev.semiactive.config.SemiactiveConfig;
import dev.semiactive.model.ModelSpec;
import dev.semiactive.train.Normalization;
import dev.semiactive.train.SupervisedMethod;
import dev.semiactive.train.TrainingMethod;

/** Chooses the training method by its config name and gives it its data, networks and augmentations. */
public final class Methods {
    private Methods() {
    }

    public static TrainingMethod create(SemiactiveConfig config, ModelSpec spec, TrainingRun.RunData data,
                                        Normalization normalization) {
        var train = config.train();
        return switch (train.method()) {
            case SUPERVISED -> SupervisedMethod.builder().setNetwork(Components.deeplab(spec))
                    .setLabelled(data.labelled()).setBatchSize(train.batchSize())
                    .optAugmentation(Components.weak(config.augment(), train.crop()))
                    .optNormalization(normalization).build();
            default -> throw new SemiactiveException("train.method " + train.method().configName()
                    + " is not available in this build: use supervised");
        };
    }
}
