package dev.semiactive.al;

/**
 * A pure scoring function: the evidence of one image and its regions in, one score per region index out
 * (higher = more worth labelling). No state, no side effects: the same inputs give the same scores
 * whatever order images are streamed in.
 */
@FunctionalInterface
public interface RegionScoring {
    double[] score(PixelEvidence evidence, ImageRegions regions);
}
