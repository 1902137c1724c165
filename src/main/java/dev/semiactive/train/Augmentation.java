package dev.semiactive.train;

import dev.semiactive.data.Sample;

import java.util.SplittableRandom;

/**
 * Transforms one training sample (flip, scale-crop, colour jitter...). The data package supplies the real
 * ones. {@code random} is seeded from (run seed, position of the sample in the stream), so a sample gets the
 * same augmentation whatever thread loads it and after a resume; implementations must draw all their
 * randomness from it and must not modify the input arrays.
 */
@FunctionalInterface
public interface Augmentation {
    Sample apply(Sample sample, SplittableRandom random);

    static Augmentation none() {
        return (sample, random) -> sample;
    }

    /** This, then {@code next}, with the same generator. */
    default Augmentation andThen(Augmentation next) {
        return (sample, random) -> next.apply(apply(sample, random), random);
    }
}
