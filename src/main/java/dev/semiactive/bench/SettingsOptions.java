package dev.semiactive.bench;

import picocli.CommandLine.Option;

/** The benchmark settings as command-line options, shared by {@code semiactive bench speed} and its workers. */
public final class SettingsOptions {
    @Option(names = "--batch", defaultValue = "8", description = "Images per step (TSF: half labelled, half unlabelled). Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--size", defaultValue = "256x256", paramLabel = "HxW", description = "Image size of the step rows. Default: ${DEFAULT-VALUE}.")
    String size;

    @Option(names = "--threads", defaultValue = "2", description = "Intra-op threads of both engines (inter-op: 1). Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--steps", defaultValue = "10", description = "Measured steps; the median is reported. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--warmup", defaultValue = "3", description = "Unmeasured steps first. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--classes", defaultValue = "11", description = "Classes K. Default: ${DEFAULT-VALUE}.")
    int classes;

    @Option(names = "--channels", defaultValue = "3", description = "Input channels. Default: ${DEFAULT-VALUE}.")
    int channels;

    @Option(names = "--lr", defaultValue = "0.01", hidden = true)
    float lr;

    @Option(names = "--weight-decay", defaultValue = "1e-4", hidden = true)
    float weightDecay;

    @Option(names = "--tau", defaultValue = "0.7", description = "Teacher confidence threshold (TSF, error mask). Default: ${DEFAULT-VALUE}.")
    float tau;

    @Option(names = "--ema", defaultValue = "0.99", hidden = true)
    float ema;

    @Option(names = "--pos-weight", defaultValue = "2.0", hidden = true)
    float posWeight;

    @Option(names = "--seed", defaultValue = "42", description = "Initialisation seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    BenchSettings settings() {
        int[] hw = BenchSettings.parseSize(size, "--size");
        return new BenchSettings(batch, hw[0], hw[1], threads, steps, warmup, classes, channels, lr, weightDecay, tau, ema,
                posWeight, seed);
    }
}
