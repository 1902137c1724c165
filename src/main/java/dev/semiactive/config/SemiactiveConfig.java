package dev.semiactive.config;

/**
 * A whole semiactive configuration: one record per YAML section, snake_case keys in the file
 * ({@code train.batch_size} is {@code train().batchSize()}). Every value has a default, so an empty file
 * is a valid config (a synthetic-data run); every record checks its values in its constructor, so a config
 * built in code is as valid as one loaded with {@link ConfigLoader}.
 *
 * <p>Adding a key: add a component to the section record (camelCase; the file key is its snake_case
 * form), give it a value in the record's {@code defaults()}, check it in the compact constructor with
 * {@link ConfigValueException} naming the dotted key, and document it in the record's javadoc. Unknown-key
 * detection, overrides and dumping pick it up from the defaults.
 */
public record SemiactiveConfig(RunConfig run, DataConfig data, ModelConfig model, TrainConfig train,
                               AugmentConfig augment, TsfConfig tsf, PlarConfig plar, AlConfig al) {
    public SemiactiveConfig {
        ConfigChecks.required("run", run);
        ConfigChecks.required("data", data);
        ConfigChecks.required("model", model);
        ConfigChecks.required("train", train);
        ConfigChecks.required("augment", augment);
        ConfigChecks.required("tsf", tsf);
        ConfigChecks.required("plar", plar);
        ConfigChecks.required("al", al);
        if (data.dsm() && model.inChannels() != 4)
            throw new ConfigValueException("model.in_channels", model.inChannels(),
                    "data.dsm adds a DSM channel to IRRG: set model.in_channels to 4");
    }

    public static SemiactiveConfig defaults() {
        return new SemiactiveConfig(RunConfig.defaults(), DataConfig.defaults(), ModelConfig.defaults(),
                TrainConfig.defaults(), AugmentConfig.defaults(), TsfConfig.defaults(), PlarConfig.defaults(),
                AlConfig.defaults());
    }

    /** This config with {@code run.output_dir} filled in ({@code runs/<name>} when it was null). */
    public SemiactiveConfig withResolvedOutputDir() {
        return run.outputDir() != null ? this : withOutputDir(run.resolvedOutputDir());
    }

    /** This config under another {@code run.seed} (the same round trained again under another training seed). */
    public SemiactiveConfig withSeed(long seed) {
        return new SemiactiveConfig(new RunConfig(run.name(), run.outputDir(), seed), data, model, train, augment, tsf, plar, al);
    }

    /** This config writing to another folder (e.g. a command's {@code --output}). */
    public SemiactiveConfig withOutputDir(java.nio.file.Path outputDir) {
        return new SemiactiveConfig(new RunConfig(run.name(), outputDir, run.seed()), data, model, train, augment,
                tsf, plar, al);
    }
}
