package dev.semiactive.al;

import java.util.List;

/**
 * One round of selection with one strategy. The caller streams the pool through {@link #accept}, one
 * image at a time (the image's pixel maps can be dropped right after); {@link #select} then returns the
 * chosen regions, whose pixels add up to at most the request's allowance, none of them excluded, none
 * twice. What a selector keeps between images is per REGION (scores, or pooled features for coreset) and
 * bounded where the strategy allows, never per pixel.
 */
public interface RoundSelector {
    void accept(PixelEvidence evidence, ImageRegions regions);

    List<Selection> select();
}
