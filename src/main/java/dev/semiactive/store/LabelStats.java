package dev.semiactive.store;

/** Label cost so far: labelled pixels, labelled regions (annotation clicks) and images touched. */
public record LabelStats(long pixels, long regions, long imagesTouched) {
}
