package dev.semiactive.al;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The top-k regions of EVERY image by a score, so that every image contributes: s4al (entropy) and
 * tsf-plar-spread (tsf-plar's score). The
 * selection order is round-robin over ranks: every image's best region first (best scores first among
 * them), then every image's second best, and so on, so a budget too small for k per image still spreads
 * over images. Memory: k candidates per image.
 *
 * <p>k is given, or (k = 0) derived from the request: allowance / (pool images x mean region size of the
 * first image streamed), at least 1; without a pool size it falls back to {@link #FALLBACK_K}.
 */
public final class PerImageQuotaStrategy implements Strategy {
    public static final int FALLBACK_K = 8;

    private final String name;
    private final RegionScoring scoring;
    private final RegionScoring tieBreak;
    private final int k;
    private final double diversity;

    public PerImageQuotaStrategy(String name, RegionScoring scoring, int k) {
        this(name, scoring, null, k);
    }

    /** @param tieBreak orders regions of equal score (within an image and across), or null for region id order */
    public PerImageQuotaStrategy(String name, RegionScoring scoring, RegionScoring tieBreak, int k) {
        this(name, scoring, tieBreak, k, 0);
    }

    /**
     * @param diversity {@link Diversity}'s multiplier m: 0 for the ranking alone; else the quota (k, or the one derived
     *                  from m x the allowance) gives the candidates that k-center greedy thins to the allowance
     */
    public PerImageQuotaStrategy(String name, RegionScoring scoring, RegionScoring tieBreak, int k, double diversity) {
        if (k < 0) throw new IllegalArgumentException("per-image quota " + k + " < 0");
        this.name = name;
        this.scoring = scoring;
        this.tieBreak = tieBreak;
        this.k = k;
        this.diversity = Diversity.requireValid(diversity); // checked now rather than at the first round
    }

    @Override
    public String name() {
        return name;
    }

    private record Ranked(Candidate candidate, int rankInImage) {
    }

    @Override
    public RoundSelector newRound(SelectionRequest request) {
        long allowance = request.pixelAllowance();
        Diversity thinning = new Diversity(diversity);
        List<Ranked> kept = new ArrayList<>();
        return new RoundSelector() {
            private int quota = k;

            @Override
            public void accept(PixelEvidence evidence, ImageRegions regions) {
                RankedStrategy.checkSameImage(evidence, regions);
                if (quota == 0) quota = deriveQuota(request.poolImages(), thinning.candidateAllowance(allowance), regions);
                double[] s = scoring.score(evidence, regions);
                double[] t = tieBreak == null ? null : tieBreak.score(evidence, regions);
                float[][] f = thinning.features(evidence, regions, request.excluded());
                List<Candidate> image = new ArrayList<>();
                for (Region r : regions.regions()) {
                    if (r.pixelCount() > allowance || request.excluded().test(r.id())) continue;
                    image.add(new Candidate(r, s[r.index()], t == null ? 0 : t[r.index()], f == null ? null : f[r.index()]));
                }
                image.sort(Candidate.BEST_FIRST);
                for (int i = 0; i < Math.min(quota, image.size()); i++) {
                    Candidate c = image.get(i);
                    // only the kept candidates hold a copy of their feature: the image's rows are released with it
                    kept.add(new Ranked(c.feature() == null ? c : new Candidate(c.region(), c.score(), c.tieBreak(), c.feature().clone()), i));
                }
            }

            @Override
            public List<Selection> select() {
                List<Ranked> order = new ArrayList<>(kept);
                order.sort(Comparator.comparingInt(Ranked::rankInImage)
                    .thenComparing(Ranked::candidate, Candidate.BEST_FIRST));
                return thinning.select(order.stream().map(Ranked::candidate).toList(), allowance);
            }
        };
    }

    private static int deriveQuota(int poolImages, long allowance, ImageRegions regions) {
        if (poolImages <= 0) return FALLBACK_K;
        double meanRegion = (double) regions.width() * regions.height() / regions.size();
        return (int) Math.max(1, Math.ceil(allowance / (poolImages * meanRegion)));
    }
}
