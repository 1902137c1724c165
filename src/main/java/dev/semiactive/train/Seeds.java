package dev.semiactive.train;

import java.util.SplittableRandom;

/**
 * Derives independent seeds from a run seed and a path of integers (epoch, sample index, step...).
 * Everything random in training is a pure function of (seed, position), never of a generator's history:
 * that is what makes a resumed run, or a run with a different number of loader threads, draw exactly the
 * same batches, augmentations and dropout masks as an uninterrupted one.
 */
public final class Seeds {
    private Seeds() {
    }

    /** A well-mixed 64-bit seed for {@code parts} under {@code seed} (SplitMix64 finaliser per part). */
    public static long derive(long seed, long... parts) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        for (long p : parts) h = mix(h ^ mix(p + 0x632BE59BD9B4E019L));
        return h;
    }

    /** A generator seeded from {@link #derive}. */
    public static SplittableRandom random(long seed, long... parts) {
        return new SplittableRandom(derive(seed, parts));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
