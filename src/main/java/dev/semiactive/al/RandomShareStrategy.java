package dev.semiactive.al;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A strategy with a share of every round's allowance drawn at random ({@code al.random_share}): the wrapped
 * strategy ranks first with {@code (1 - share)} of the allowance, then seeded random regions the strategy did not
 * take fill what is left. Why: an uncertainty ranking keeps returning to the same kinds of region (on CamVid
 * tsf-plar-spread labelled 0-1% Sky against random's 15-19%, and 7-14% void against 3-5%; BENCHMARKS.md "250 steps
 * a round"), and a random share keeps the labelled set covering the pool's class mix. Both selectors see the same
 * stream; the random one keeps only the candidates its budget step can take ({@link TopRegions}), which is enough:
 * at most the inner strategy's pixels of them can be taken already, and the random part needs only the rest.
 */
public final class RandomShareStrategy implements Strategy {
    private final Strategy inner;
    private final Strategy random;
    private final double share;

    /**
     * @param share fraction of each round's allowance spent on random regions, in [0, 1)
     * @param seed  seed of the random draw (per region id, as {@code random})
     */
    public RandomShareStrategy(Strategy inner, double share, long seed) {
        if (!(share >= 0 && share < 1)) throw new IllegalArgumentException("random share " + share + " is not in [0, 1)");
        this.inner = inner;
        this.share = share;
        this.random = new RankedStrategy("random", new RandomScoring(seed), null);
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public RoundSelector newRound(SelectionRequest request) {
        long allowance = request.pixelAllowance();
        long innerAllowance = (long) Math.floor(allowance * (1 - share));
        RoundSelector ranked = inner.newRound(new SelectionRequest(innerAllowance, request.excluded(), request.poolImages()));
        RoundSelector drawn = random.newRound(request);
        return new RoundSelector() {
            @Override
            public void accept(PixelEvidence evidence, ImageRegions regions) {
                ranked.accept(evidence, regions);
                drawn.accept(evidence, regions);
            }

            @Override
            public List<Selection> select() {
                List<Selection> out = new ArrayList<>(ranked.select());
                Set<String> taken = new HashSet<>();
                long left = allowance;
                for (Selection s : out) {
                    taken.add(s.region().id());
                    left -= s.region().pixelCount();
                }
                for (Selection s : drawn.select()) {
                    if (left == 0) break;
                    int px = s.region().pixelCount();
                    if (px > left || !taken.add(s.region().id())) continue;
                    out.add(new Selection(s.region(), s.score(), out.size()));
                    left -= px;
                }
                return out;
            }
        };
    }
}
