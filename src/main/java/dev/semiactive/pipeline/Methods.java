package dev.semiactive.pipeline;

import dev.semiactive.SemiactiveException;
import dev.semiactive.config.SemiactiveConfig;
import dev.semiactive.model.ModelSpec;
import dev.semiactive.train.Normalization;
import dev.semiactive.train.SupervisedMethod;
import dev.semiactive.train.TrainingMethod;
import dev.semiactive.train.semi.PseudoLabelOverrides;
import dev.semiactive.train.semi.SemiSupervisedMethod;
import dev.semiactive.train.semi.Terms;

/** Chooses the training method by its config name and gives it its data, networks and augmentations. */
public final class Methods {
    private Methods() {
    }

    public static TrainingMethod create(SemiactiveConfig config, ModelSpec spec, TrainingRun.RunData data,
                                        Normalization normalization) {
        return create(config, spec, data, normalization, PseudoLabelOverrides.none());
    }

    /**
     * As {@link #create(SemiactiveConfig, ModelSpec, TrainingRun.RunData, Normalization)}, with refined (PLAR)
     * pseudo-labels for the unlabelled images: the active-learning loop's entry (ignored by supervised).
     */
    public static TrainingMethod create(SemiactiveConfig config, ModelSpec spec, TrainingRun.RunData data,
                                        Normalization normalization, PseudoLabelOverrides overrides) {
        var train = config.train();
        return switch (train.method()) {
            case SUPERVISED -> SupervisedMethod.builder().setNetwork(Components.deeplab(spec))
                    .setLabelled(data.labelled()).setBatchSize(train.batchSize())
                    .optAugmentation(Components.weak(config.augment(), train.crop()))
                    .optNormalization(normalization).optClassWeightPower(train.classWeightPower())
                    .optImageStreams(train.imageStreams()).build();
            case MEAN_TEACHER -> semiSupervised(config, spec, data, normalization, overrides, Terms.meanTeacher());
            case CPS -> semiSupervised(config, spec, data, normalization, overrides, Terms.cps());
            case TSF -> semiSupervised(config, spec, data, normalization, overrides, Terms.tsf(config.tsf().emd()));
        };
    }

    private static TrainingMethod semiSupervised(SemiactiveConfig config, ModelSpec spec, TrainingRun.RunData data,
                                                 Normalization normalization, PseudoLabelOverrides overrides, Terms terms) {
        var train = config.train();
        var tsf = config.tsf();
        if (data.unlabelled() == null)
            throw new SemiactiveException("train.method " + train.method().configName() + " trains on unlabelled images but "
                    + "there are none: set data.label_fraction below 1 or data.unlabelled_split");
        return SemiSupervisedMethod.builder().setTerms(terms)
                .setNetwork(Components.deeplab(spec)).setErrorMaskDecoder(Components.errorMaskDecoder(spec))
                .setLabelled(data.labelled()).setUnlabelled(data.unlabelled())
                .setBatchSize(train.batchSize()).optUnlabelledBatchSize(train.unlabelledBatchSize())
                .optWeakAugmentation(Components.weak(config.augment(), train.crop()))
                .optPhotometric(Components.photometric(config.augment()))
                .optCutMix(config.augment().cutmix() > 0 ? Components.augmentations(config.augment(), null) : null)
                .optNormalization(normalization)
                .optEmaDecay(tsf.emaDecay()).optThreshold(tsf.threshold())
                .optLossWeights(tsf.lambdaTs(), tsf.lambdaCps()).optEmdPosWeight(tsf.emdPosWeight())
                .optRampUp(tsf.rampupSteps())
                .optWeakBatchNormStatistics(tsf.weakBnStats())
                .optDistributionAlignment(tsf.distributionAlignment())
                .optClassWeightPower(train.classWeightPower()).optImageStreams(train.imageStreams())
                .optPseudoLabelOverrides(overrides).build();
    }
}
