package dev.semiactive.al;

/**
 * One selected region.
 *
 * @param region the region
 * @param score  its score under the strategy (for coreset: its distance to the nearest centre when picked)
 * @param rank   0-based position in the round's selection (labelling order)
 */
public record Selection(Region region, double score, int rank) {
}
