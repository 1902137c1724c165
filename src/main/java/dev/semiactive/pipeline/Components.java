package dev.semiactive.pipeline;

import ai.djl.ndarray.types.Shape;
import dev.semiactive.SemiactiveException;
import dev.semiactive.config.AugmentConfig;
import dev.semiactive.config.DataConfig;
import dev.semiactive.config.ImageSize;
import dev.semiactive.config.ModelConfig;
import dev.semiactive.data.Augmentations;
import dev.semiactive.data.DataOptions;
import dev.semiactive.data.Datasets;
import dev.semiactive.data.SegmentationDataset;
import dev.semiactive.model.Backbone;
import dev.semiactive.model.ModelSpec;
import dev.semiactive.model.Networks;
import dev.semiactive.train.Augmentation;
import dev.semiactive.train.ModelCard;
import dev.semiactive.train.NetworkFactory;

import java.util.List;
import java.util.function.Function;

/**
 * The composition root: turns typed config sections into the toolkit's components (datasets, networks,
 * augmentations). Every command builds its parts here, so a preset means the same thing to `train`,
 * `experiment` and `evaluate`.
 */
public final class Components {
    private Components() {
    }

    /** Loader options for a config's data section: working resolution, tiling, DSM, synthetic scenes. */
    public static DataOptions dataOptions(DataConfig data, long seed, boolean requireMasks) {
        DataOptions.Builder b = DataOptions.builder().optSeed(seed).optRequireMasks(requireMasks).optDsm(data.dsm());
        if (data.size() != null) b.optSize(data.size().width(), data.size().height());
        if (data.scale() != null) b.optScale(data.scale());
        if (data.tile() != null) b.optTile(data.tile().width(), data.tile().height());
        var syn = data.synthetic();
        b.optSynthetic(syn.images(), syn.width(), syn.height(), syn.classes());
        return b.build();
    }

    /**
     * Opens one or more splits as one dataset. Several splits are passed to the format as a comma list
     * (the palette, vaihingen and cityscapes formats take lists; camvid takes one folder at a time).
     */
    public static SegmentationDataset open(DataConfig data, List<String> splits, long seed, boolean requireMasks) {
        if (splits == null || splits.isEmpty())
            throw new SemiactiveException("no split given for data.format " + data.format().configName() + ": set data.train_split");
        String split = String.join(",", splits);
        return Datasets.open(data.format().configName(), data.root(), split, dataOptions(data, seed, requireMasks));
    }

    /** The network description for a config's model section and a dataset's class count. */
    public static ModelSpec modelSpec(ModelConfig model, int numClasses) {
        return new ModelSpec(Backbone.fromId(model.backbone().configName()), model.width(), model.inChannels(),
                numClasses, model.outputStride());
    }

    /**
     * A factory of DeepLabv3+ networks for {@code spec}, initialised from a seed. Parameter shapes do not
     * depend on the input size, so a small dummy input initialises them.
     */
    public static NetworkFactory deeplab(ModelSpec spec) {
        return (manager, seed) -> {
            var block = Networks.deeplab(spec);
            Networks.initialize(block, manager, new Shape(1, spec.inputChannels(), 64, 64), seed);
            return block;
        };
    }

    /** The error mask decoder (EMD) head for {@code spec}'s feature taps. */
    public static NetworkFactory errorMaskDecoder(ModelSpec spec) {
        return (manager, seed) -> {
            var block = Networks.errorMaskDecoder(spec);
            Networks.initialize(block, manager, seed, Networks.emdInputShapes(spec, 1, 64, 64));
            return block;
        };
    }

    /** Rebuilds the architecture a checkpoint's model card describes (evaluate, predict, refine). */
    public static Function<ModelCard, NetworkFactory> architectures() {
        return card -> deeplab(ModelSpec.fromJson(card.spec().toString()));
    }

    /** The weak training view: random scale, crop to {@code crop} (null = keep size), flip. */
    public static Augmentation weak(AugmentConfig augment, ImageSize crop) {
        Augmentations a = augmentations(augment, crop);
        if (crop != null) return a::weak;
        // Without a crop size, scale jitter would change the sample size and batches could not stack:
        // crop (or pad) back to the sample's own size.
        return (s, r) -> Augmentations.randomCrop(a.weak(s, r), s.width(), s.height(), r);
    }

    /** The strong view of unlabelled images: weak + colour jitter and blur (CutMix is applied per pair by the method). */
    public static Augmentation strong(AugmentConfig augment, ImageSize crop) {
        return weak(augment, crop).andThen(photometric(augment));
    }

    /** Photometric-only perturbation (colour jitter, blur): the strong view of an already weak-augmented image. */
    public static Augmentation photometric(AugmentConfig augment) {
        Augmentations a = augmentations(augment, null);
        return a::photometric;
    }

    static Augmentations augmentations(AugmentConfig augment, ImageSize crop) {
        Augmentations.Builder b = Augmentations.builder()
                .optScaleRange(augment.scale().min(), augment.scale().max())
                .optFlipProbability(augment.flip() ? 0.5 : 0.0)
                .optColourJitter(augment.colorJitter(), augment.colorJitter(), augment.colorJitter(),
                        augment.colorJitter() > 0 ? 0.8 : 0.0)
                .optBlur(augment.blur(), 0.1, 2.0)
                .optCutMix(augment.cutmix(), 0.02, 0.4, 0.3);
        if (crop != null) b.optCrop(crop.width(), crop.height());
        return b.build();
    }
}
