package dev.semiactive.al;

import java.util.SplittableRandom;

/**
 * random: each region's score is a seeded uniform draw keyed by its id, so the ranking is the same
 * whatever order images are streamed in and on a resumed run (no shared generator state).
 */
public final class RandomScoring implements RegionScoring {
    private final long seed;

    public RandomScoring(long seed) {
        this.seed = seed;
    }

    @Override
    public double[] score(PixelEvidence evidence, ImageRegions regions) {
        double[] s = new double[regions.size()];
        for (Region r : regions.regions()) s[r.index()] = new SplittableRandom(hash(seed, r.id())).nextDouble();
        return s;
    }

    /** 64-bit FNV-1a of the id's chars, mixed with the seed: stable across JVMs and runs. */
    static long hash(long seed, String id) {
        long h = 0xcbf29ce484222325L ^ seed;
        for (int i = 0; i < id.length(); i++) {
            h ^= id.charAt(i);
            h *= 0x100000001b3L;
        }
        return new SplittableRandom(h).nextLong();
    }
}
