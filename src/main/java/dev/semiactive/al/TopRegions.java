package dev.semiactive.al;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The candidates the budget step can possibly take, kept while streaming: for each region SIZE s, only
 * the best floor(allowance / s) regions of that size. This is exact, not a heuristic: if the greedy
 * budget step ({@link Candidate#fit}) takes a region of size s, it took every better region of size s
 * before it (one it had skipped would not have fitted then, and what is left only shrinks), and at most
 * allowance / s of them fit; the regions dropped here are ones the full greedy would skip, and skipping
 * does not change what is left, so the greedy over the kept set selects exactly the same regions.
 *
 * <p>Memory: sum over distinct sizes of allowance / size entries, never more than the regions offered.
 * For a grid (one size, plus edge cells) that is about allowance / cell area: independent of the pool;
 * for SLIC (many sizes) at most allowance x ln(max size / min size) / min size.
 */
final class TopRegions {
    private final long allowance;
    // Per size, worst at the head so eviction is O(log n).
    private final Map<Integer, PriorityQueue<Candidate>> bySize = new HashMap<>();

    TopRegions(long allowance) {
        this.allowance = allowance;
    }

    void offer(Candidate c) {
        int size = c.region().pixelCount();
        long cap = allowance / size;
        if (cap == 0) return;
        PriorityQueue<Candidate> q = bySize.computeIfAbsent(size, s -> new PriorityQueue<>(Candidate.BEST_FIRST.reversed()));
        q.add(c);
        if (q.size() > cap) q.poll();
    }

    int size() {
        return bySize.values().stream().mapToInt(PriorityQueue::size).sum();
    }

    /** Kept candidates, best first. */
    List<Candidate> ranked() {
        List<Candidate> out = new ArrayList<>();
        bySize.values().forEach(out::addAll);
        out.sort(Candidate.BEST_FIRST);
        return out;
    }
}
