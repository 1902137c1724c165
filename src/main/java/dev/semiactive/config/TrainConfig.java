package dev.semiactive.config;

/**
 * Section {@code train}: the optimisation schedule. SGD with momentum and a poly learning-rate decay
 * {@code lr * (1 - step/steps)^poly_power}.
 *
 * @param method              training scheme (default {@code supervised})
 * @param steps               optimiser steps (default 3000)
 * @param batchSize           {@code batch_size}: labelled images per step (default 8)
 * @param unlabelledBatchSize {@code unlabelled_batch_size}: unlabelled images per step, semi-supervised
 *                            methods only (default 8)
 * @param crop                random training crop {@code [width, height]}; null = whole images (default)
 * @param lr                  base learning rate (default 0.01)
 * @param momentum            SGD momentum, [0, 1) (default 0.9)
 * @param weightDecay         {@code weight_decay} (default 0.0001)
 * @param polyPower           {@code poly_power} (default 0.9)
 * @param logEvery            {@code log_every}: steps between log lines with losses and health signals (default 20)
 * @param evalEvery           {@code eval_every}: steps between validations; 0 = only at the end (default 500)
 * @param checkpointEvery     {@code checkpoint_every}: steps between checkpoints; 0 = only at the end (default 100)
 * @param threads             PyTorch intra-op threads; 0 = as the launcher set them (all cores) (default 0)
 * @param clipPercentile      {@code clip_percentile}: per network, a gradient whose norm exceeds this
 *                            percentile of the norms seen so far in the run is scaled down to it
 *                            (AutoClip, Seetharaman et al. 2020), and a non-finite one skips the step;
 *                            0 = off (default 0). A guard against single exploding steps, e.g. 90
 * @param warmupSteps         {@code warmup_steps}: the learning rate rises linearly over the first this many
 *                            steps of a run (default 0 = none); for from-scratch training with sparse labels,
 *                            whose first gradients are the largest (docs/tsf.md)
 * @param classWeightPower    {@code class_weight_power}: the supervised cross-entropy weights each class by its
 *                            labelled-pixel frequency to the power minus this, in [0, 1] (0.5 = inverse square
 *                            root, 1 = inverse frequency); 0 = unweighted (default). An active-learning round
 *                            computes the weights from its own labels ({@code train.ClassWeights})
 * @param roundStreams        {@code round_streams}: an active-learning round's training takes its random streams
 *                            (dropout, batch order, augmentation, the seeded start of networks not warm-started) from
 *                            ({@code run.seed}, round) instead of {@code run.seed} alone, so round r does not replay
 *                            the streams rounds 1..r-1 trained on (default false: every round under {@code run.seed},
 *                            as every run before 2026-12-05; the active-learning presets set it, BENCHMARKS.md "The replay")
 * @param imageStreams        {@code image_streams}: each image's place in an epoch and its augmentation come from (seed,
 *                            epoch, image id) rather than from positions in the batch stream, so a round on the images
 *                            of the round before and more sees those images as it did, epoch for epoch: the replay for
 *                            every arm, not only those whose images stay the same (default false; without
 *                            {@code round_streams}, which draws each round's streams anew)
 */
public record TrainConfig(TrainingMethod method, int steps, int batchSize, int unlabelledBatchSize, ImageSize crop,
                          double lr, double momentum, double weightDecay, double polyPower, int logEvery,
                          int evalEvery, int checkpointEvery, int threads, double clipPercentile, int warmupSteps,
                          double classWeightPower, boolean roundStreams, boolean imageStreams) {
    public TrainConfig {
        ConfigChecks.required("train.method", method);
        ConfigChecks.atLeast("train.steps", steps, 1);
        ConfigChecks.atLeast("train.batch_size", batchSize, 1);
        ConfigChecks.atLeast("train.unlabelled_batch_size", unlabelledBatchSize, 1);
        ConfigChecks.positive("train.lr", lr);
        ConfigChecks.decay("train.momentum", momentum);
        ConfigChecks.nonNegative("train.weight_decay", weightDecay);
        ConfigChecks.nonNegative("train.poly_power", polyPower);
        ConfigChecks.atLeast("train.log_every", logEvery, 1);
        ConfigChecks.atLeast("train.eval_every", evalEvery, 0);
        ConfigChecks.atLeast("train.checkpoint_every", checkpointEvery, 0);
        ConfigChecks.between("train.threads", threads, 0, 1024);
        if (!(clipPercentile >= 0 && clipPercentile <= 100))
            throw new ConfigValueException("train.clip_percentile", clipPercentile, "must be between 0 (off) and 100");
        ConfigChecks.atLeast("train.warmup_steps", warmupSteps, 0);
        if (warmupSteps >= steps)
            throw new ConfigValueException("train.warmup_steps", warmupSteps, "must be below train.steps (" + steps + ")");
        if (!(classWeightPower >= 0 && classWeightPower <= 1))
            throw new ConfigValueException("train.class_weight_power", classWeightPower,
                    "must be between 0 (unweighted) and 1 (inverse frequency), e.g. 0.5");
        if (imageStreams && roundStreams)
            throw new ConfigValueException("train.image_streams", true, "replays each image's views from round to round, and "
                    + "train.round_streams draws every round's anew: set one of them to false");
    }

    public static TrainConfig defaults() {
        return new TrainConfig(TrainingMethod.SUPERVISED, 3000, 8, 8, null, 0.01, 0.9, 1e-4, 0.9, 20, 500, 100, 0, 0, 0, 0, false, false);
    }
}
