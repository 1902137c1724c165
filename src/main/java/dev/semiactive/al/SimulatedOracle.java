package dev.semiactive.al;

import dev.semiactive.SemiactiveException;
import dev.semiactive.data.LabelSpace;
import dev.semiactive.store.RegionLabel;
import dev.semiactive.store.RegionPixels;

import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark oracle: reveals the ground truth of a region, either every pixel ({@link Mode#ALL_PIXELS})
 * or only its dominant class ({@link Mode#DOMINANT_CLASS}: every pixel of the region gets the majority
 * class among its non-ignore ground-truth pixels, ties to the lower class id; a region whose ground truth
 * is all ignore gets ignore). Never pending.
 */
public final class SimulatedOracle implements Oracle {
    public enum Mode { ALL_PIXELS, DOMINANT_CLASS }

    private final MaskSource groundTruth;
    private final Mode mode;
    // Queries come grouped by image: keep the last mask rather than re-reading it per region.
    private String cachedId;
    private int[] cachedMask;

    public SimulatedOracle(MaskSource groundTruth, Mode mode) {
        this.groundTruth = groundTruth;
        this.mode = mode;
    }

    @Override
    public String name() {
        return mode == Mode.ALL_PIXELS ? "simulated" : "simulated-dominant";
    }

    public Mode mode() {
        return mode;
    }

    @Override
    public List<OracleAnswer> answer(List<RegionPixels> queries) {
        List<OracleAnswer> out = new ArrayList<>(queries.size());
        for (RegionPixels q : queries) {
            int[] gt = mask(q);
            int[] px = q.pixels();
            if (mode == Mode.ALL_PIXELS) {
                int[] labels = new int[px.length];
                for (int i = 0; i < px.length; i++) labels[i] = gt[px[i]];
                out.add(OracleAnswer.of(new RegionLabel(q.regionId(), q.imageId(), px, labels, -1, name())));
            } else {
                out.add(OracleAnswer.of(RegionLabel.dominant(q.regionId(), q.imageId(), px, dominantClass(gt, px), name())));
            }
        }
        return out;
    }

    /** Majority non-ignore class of {@code mask} over {@code pixels}; ties to the lower id; all ignore -> ignore. */
    public static int dominantClass(int[] mask, int[] pixels) {
        int[] count = new int[LabelSpace.IGNORE];
        for (int p : pixels) {
            int c = mask[p];
            if (c >= 0 && c < LabelSpace.IGNORE) count[c]++;
        }
        int best = LabelSpace.IGNORE;
        int bestN = 0;
        for (int c = 0; c < count.length; c++) {
            if (count[c] > bestN) {
                bestN = count[c];
                best = c;
            }
        }
        return best;
    }

    private int[] mask(RegionPixels q) {
        if (!q.imageId().equals(cachedId)) {
            int[] m = groundTruth.mask(q.imageId());
            if (m == null)
                throw new SemiactiveException("image " + q.imageId() + " has no ground-truth mask: the simulated oracle needs a labelled pool");
            if (m.length != q.width() * q.height())
                throw new SemiactiveException("ground-truth mask of " + q.imageId() + " has " + m.length + " pixels but the image is "
                    + q.width() + "x" + q.height() + ": masks must match their image size");
            cachedId = q.imageId();
            cachedMask = m;
        }
        return cachedMask;
    }
}
