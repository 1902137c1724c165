package dev.semiactive.al;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * coreset (Sener and Savarese, 2018): k-center greedy on region-pooled feature vectors. Centres start as
 * the excluded regions (labelled or already queried: what the model has, or will have, seen); each step
 * picks the candidate FARTHEST (Euclidean) from every centre and makes it a centre, until the allowance is
 * spent ({@link KCenterGreedy}). This is a set selection, not a per-region score: a region's worth drops once a
 * near neighbour is picked. With no labelled region at all, the first pick is the candidate farthest from the
 * candidates' mean (deterministic instead of a random start).
 *
 * <p>Memory: one float[D] per kept region. Candidates are capped at {@code maxCandidates} by a seeded
 * hash of the region id (the same subset whatever the streaming order); centres are all kept (they are
 * the labelled regions, bounded by the budget). Time: O(picks x candidates x D).
 */
public final class CoresetStrategy implements Strategy {
    private final String name;
    private final long seed;
    private final int maxCandidates;

    public CoresetStrategy(String name, long seed, int maxCandidates) {
        if (maxCandidates < 1) throw new IllegalArgumentException("coreset maxCandidates " + maxCandidates + " < 1");
        this.name = name;
        this.seed = seed;
        this.maxCandidates = maxCandidates;
    }

    @Override
    public String name() {
        return name;
    }

    private record Point(Region region, float[] feature, long priority) {
    }

    @Override
    public RoundSelector newRound(SelectionRequest request) {
        long allowance = request.pixelAllowance();
        // Highest priority at the head: evicted first, so the LOWEST hashes stay.
        PriorityQueue<Point> candidates = new PriorityQueue<>(Comparator.comparingLong(Point::priority).reversed()
            .thenComparing(p -> p.region().id(), Comparator.reverseOrder()));
        List<float[]> centres = new ArrayList<>();
        int[] dim = {-1};
        return new RoundSelector() {
            @Override
            public void accept(PixelEvidence evidence, ImageRegions regions) {
                RankedStrategy.checkSameImage(evidence, regions);
                float[][] f = evidence.regionFeatures();
                if (f == null || f.length != regions.size())
                    throw new IllegalStateException("coreset needs one pooled feature vector per region of " + regions.imageId()
                        + " (" + regions.size() + "), got " + (f == null ? "none" : f.length));
                for (Region r : regions.regions()) {
                    float[] v = f[r.index()];
                    if (dim[0] < 0) dim[0] = v.length;
                    if (v.length != dim[0])
                        throw new IllegalArgumentException("region " + r.id() + " has a feature of dimension " + v.length + ", others " + dim[0]);
                    if (request.excluded().test(r.id())) {
                        centres.add(v.clone());
                    } else if (r.pixelCount() <= allowance) {
                        candidates.add(new Point(r, v.clone(), RandomScoring.hash(seed, r.id())));
                        if (candidates.size() > maxCandidates) candidates.poll();
                    }
                }
            }

            @Override
            public List<Selection> select() {
                List<Point> pts = new ArrayList<>(candidates);
                pts.sort(Comparator.comparing(p -> p.region().id()));
                return kCenterGreedy(pts, centres, allowance);
            }
        };
    }

    private static List<Selection> kCenterGreedy(List<Point> pts, List<float[]> centres, long allowance) {
        List<Selection> out = new ArrayList<>();
        for (KCenterGreedy.Pick p : KCenterGreedy.select(pts.stream().map(Point::region).toList(),
                pts.stream().map(Point::feature).toList(), centres, allowance))
            out.add(new Selection(pts.get(p.index()).region(), Math.sqrt(p.distance2()), out.size()));
        return out;
    }
}
