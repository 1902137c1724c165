package dev.semiactive.al;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The best candidates seen so far, bounded by PIXELS rather than by count: it keeps the best regions
 * until they add up to {@code capacityPixels}, evicting the worst beyond that. With capacity = overfill x
 * allowance the budget step ({@link Candidate#fit}) sees every region it could take unless regions it
 * skips (too big for what is left) add up to more than (overfill - 1) x allowance, which only very
 * uneven region sizes could do. Memory: O(capacity / smallest region) entries, independent of the pool.
 */
final class TopRegions {
    private final long capacityPixels;
    // Worst at the head, so eviction is O(log n).
    private final PriorityQueue<Candidate> heap = new PriorityQueue<>(Candidate.BEST_FIRST.reversed());
    private long pixels;

    TopRegions(long capacityPixels) {
        this.capacityPixels = capacityPixels;
    }

    void offer(Candidate c) {
        if (capacityPixels <= 0) return;
        heap.add(c);
        pixels += c.region().pixelCount();
        while (!heap.isEmpty() && pixels - heap.peek().region().pixelCount() >= capacityPixels) {
            pixels -= heap.poll().region().pixelCount();
        }
    }

    int size() {
        return heap.size();
    }

    /** Kept candidates, best first. */
    List<Candidate> ranked() {
        List<Candidate> out = new ArrayList<>(heap);
        out.sort(Candidate.BEST_FIRST);
        return Collections.unmodifiableList(out);
    }
}
