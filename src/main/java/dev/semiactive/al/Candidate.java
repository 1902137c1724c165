package dev.semiactive.al;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A region with its score(s) while a round is being ranked.
 *
 * @param region   the region
 * @param score    primary score, higher first
 * @param tieBreak secondary score for equal primary scores, higher first (then the id decides, so
 *                 the order never depends on streaming order)
 * @param feature  the region's pooled feature vector when the round thins its candidates by diversity
 *                 ({@link Diversity}), else null
 */
record Candidate(Region region, double score, double tieBreak, float[] feature) {
    Candidate(Region region, double score, double tieBreak) {
        this(region, score, tieBreak, null);
    }

    /** Best first. */
    static final Comparator<Candidate> BEST_FIRST = Comparator.comparingDouble(Candidate::score).reversed()
        .thenComparing(Comparator.comparingDouble(Candidate::tieBreak).reversed())
        .thenComparing(c -> c.region().id());

    /**
     * The budget step shared by every strategy: walk {@code ranked} best first and take each region that
     * still fits the remaining allowance (a region that does not fit is skipped, a smaller one after it
     * may still fit). Never exceeds {@code allowance}; never returns a region twice.
     */
    static List<Selection> fit(List<Candidate> ranked, long allowance) {
        List<Selection> out = new ArrayList<>();
        for (Candidate c : fitting(ranked, allowance)) out.add(new Selection(c.region(), c.score(), out.size()));
        return out;
    }

    /** The candidates {@link #fit} takes, in its order. */
    static List<Candidate> fitting(List<Candidate> ranked, long allowance) {
        List<Candidate> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        long left = allowance;
        for (Candidate c : ranked) {
            int px = c.region().pixelCount();
            if (px > left || !seen.add(c.region().id())) continue;
            out.add(c);
            left -= px;
            if (left == 0) break;
        }
        return out;
    }
}
