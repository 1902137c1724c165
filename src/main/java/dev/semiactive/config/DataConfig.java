package dev.semiactive.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Section {@code data}: which dataset, which splits, and at what resolution the model sees it.
 * Relative paths are relative to the directory semiactive is started from (the repository root for the
 * presets, which read {@code ../shared/datasets/...}).
 *
 * @param format          dataset layout (default {@code synthetic}, so an empty config runs)
 * @param root            dataset folder; required for every format but {@code synthetic}
 * @param trainSplit      {@code train_split}: split name(s) to train on, a name or a list (default {@code train})
 * @param valSplit        {@code val_split}: split name(s) to validate on; null = no validation (default {@code val})
 * @param unlabelledSplit {@code unlabelled_split}: extra split(s) used as unlabelled images; null = none
 * @param size            resize every image to {@code [width, height]}; null = native size
 * @param scale           alternatively resize by this factor (for sets whose images differ in size); null = 1
 * @param tile            cut (resized) images into tiles of {@code [width, height]}; null = whole images
 * @param labelFraction   {@code label_fraction}: fraction of training images that keep their masks (chosen
 *                        with {@code run.seed}); the rest are unlabelled (default 1.0)
 * @param synthetic       parameters of the {@code synthetic} format
 * @param dsm             read the DSM as an extra input channel ({@code vaihingen} only; needs
 *                        {@code model.in_channels: 4})
 */
public record DataConfig(DatasetFormat format, Path root, List<String> trainSplit, List<String> valSplit,
                         List<String> unlabelledSplit, ImageSize size, Double scale, ImageSize tile,
                         double labelFraction, SyntheticConfig synthetic, boolean dsm) {
    public DataConfig {
        ConfigChecks.required("data.format", format);
        if (format.readsFolder() && root == null)
            throw new ConfigValueException("data.root", null,
                    "format " + format.configName() + " reads a dataset folder: set data.root");
        trainSplit = ConfigChecks.splits("data.train_split", ConfigChecks.required("data.train_split", trainSplit));
        valSplit = ConfigChecks.splits("data.val_split", valSplit);
        unlabelledSplit = ConfigChecks.splits("data.unlabelled_split", unlabelledSplit);
        if (scale != null) {
            if (!(scale > 0 && scale <= 8)) throw new ConfigValueException("data.scale", scale, "must be a number > 0 and <= 8");
            if (size != null)
                throw new ConfigValueException("data.scale", scale, "set either data.size or data.scale, not both");
        }
        // 0 would keep no labelled image to train on (the training would fail only when it starts)
        ConfigChecks.positiveFraction("data.label_fraction", labelFraction);
        ConfigChecks.required("data.synthetic", synthetic);
        if (dsm && format != DatasetFormat.VAIHINGEN)
            throw new ConfigValueException("data.dsm", true, "only the vaihingen format has a DSM");
    }

    public static DataConfig defaults() {
        return new DataConfig(DatasetFormat.SYNTHETIC, null, List.of("train"), List.of("val"), null,
                null, null, null, 1.0, SyntheticConfig.defaults(), false);
    }
}
