package dev.semiactive.al;

import java.util.List;

/**
 * A score-based strategy: every region gets a score from a pure {@link RegionScoring} (optionally a
 * second one to break ties), regions are ranked globally across the pool, and the best that fit the
 * allowance are taken. Streaming keeps only the candidates the budget step could take ({@link TopRegions}).
 */
public final class RankedStrategy implements Strategy {
    private final String name;
    private final RegionScoring scoring;
    private final RegionScoring tieBreak;
    private final double diversity;

    /**
     * @param tieBreak second score for equal first scores (null: none; the region id decides last)
     */
    public RankedStrategy(String name, RegionScoring scoring, RegionScoring tieBreak) {
        this(name, scoring, tieBreak, 0);
    }

    /** @param diversity {@link Diversity}'s multiplier m: 0 for the ranking alone */
    public RankedStrategy(String name, RegionScoring scoring, RegionScoring tieBreak, double diversity) {
        this.name = name;
        this.scoring = scoring;
        this.tieBreak = tieBreak;
        this.diversity = Diversity.requireValid(diversity); // checked now rather than at the first round
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public RoundSelector newRound(SelectionRequest request) {
        long allowance = request.pixelAllowance();
        Diversity thinning = new Diversity(diversity);
        TopRegions top = new TopRegions(thinning.candidateAllowance(allowance));
        return new RoundSelector() {
            @Override
            public void accept(PixelEvidence evidence, ImageRegions regions) {
                checkSameImage(evidence, regions);
                double[] s = scoring.score(evidence, regions);
                double[] t = tieBreak == null ? null : tieBreak.score(evidence, regions);
                float[][] f = thinning.features(evidence, regions, request.excluded());
                for (Region r : regions.regions()) {
                    if (r.pixelCount() > allowance || request.excluded().test(r.id())) continue;
                    top.offer(new Candidate(r, s[r.index()], t == null ? 0 : t[r.index()], f == null ? null : f[r.index()].clone()));
                }
            }

            @Override
            public List<Selection> select() {
                return thinning.select(top.ranked(), allowance);
            }
        };
    }

    static void checkSameImage(PixelEvidence e, ImageRegions r) {
        if (!e.imageId().equals(r.imageId()) || e.width() != r.width() || e.height() != r.height())
            throw new IllegalArgumentException("evidence for " + e.imageId() + " (" + e.width() + "x" + e.height()
                + ") does not match regions of " + r.imageId() + " (" + r.width() + "x" + r.height() + ")");
    }
}
