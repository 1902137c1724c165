package dev.semiactive.al;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * k-center greedy (Sener and Savarese, 2018), the set selection behind {@code coreset} and {@code al.diversity}:
 * each step picks the candidate FARTHEST (Euclidean) from every centre and makes it a centre, until the pixel
 * allowance is spent. A candidate too large for what is left is skipped and the next farthest tried. With no centre
 * at all, the candidates' mean is a virtual centre for the first pick only (deterministic, instead of a random start).
 * Time: O(picks x candidates x D); memory: one double per candidate beyond the features.
 */
final class KCenterGreedy {
    private KCenterGreedy() {
    }

    /** A pick: the candidate's index in the list given, and its squared distance to the nearest centre when picked. */
    record Pick(int index, double distance2) {
    }

    /**
     * @param regions  the candidates' regions (for their sizes), in a fixed order (ties go to the earlier one)
     * @param features one feature vector per candidate, all of one dimension
     * @param centres  what is already covered (labelled or queried regions' features)
     */
    static List<Pick> select(List<Region> regions, List<float[]> features, List<float[]> centres, long allowance) {
        int n = regions.size();
        if (features.size() != n) throw new IllegalArgumentException(n + " candidates but " + features.size() + " feature vectors");
        double[] minDist = new double[n];
        Arrays.fill(minDist, Double.POSITIVE_INFINITY);
        if (centres.isEmpty() && n > 0) {
            int d = features.get(0).length;
            float[] mean = new float[d];
            for (float[] f : features) for (int i = 0; i < d; i++) mean[i] += f[i] / n;
            for (int j = 0; j < n; j++) minDist[j] = dist2(features.get(j), mean);
        } else {
            for (float[] c : centres)
                for (int j = 0; j < n; j++) minDist[j] = Math.min(minDist[j], dist2(features.get(j), c));
        }
        boolean[] done = new boolean[n];
        List<Pick> out = new ArrayList<>();
        long left = allowance;
        while (left > 0) {
            int best = -1;
            for (int j = 0; j < n; j++) if (!done[j] && (best < 0 || minDist[j] > minDist[best])) best = j;
            if (best < 0) break;
            done[best] = true;
            int px = regions.get(best).pixelCount();
            if (px > left) continue;
            out.add(new Pick(best, minDist[best]));
            left -= px;
            float[] c = features.get(best);
            for (int j = 0; j < n; j++) if (!done[j]) minDist[j] = Math.min(minDist[j], dist2(features.get(j), c));
        }
        return out;
    }

    static double dist2(float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("feature dimensions " + a.length + " and " + b.length + " differ");
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double t = a[i] - b[i];
            s += t * t;
        }
        return s;
    }
}
