package dev.semiactive.data;

import dev.semiactive.SemiactiveException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Views over a dataset that select or hide without copying: the labelled/unlabelled partition of a
 * training split, and an images-only view for unlabelled training.
 */
public final class DatasetViews {
    private DatasetViews() {
    }

    /** The samples with the given ids, in the base dataset's order. Unknown ids are an error. */
    public static SegmentationDataset subset(SegmentationDataset base, Set<String> ids, String name) {
        List<String> kept = new ArrayList<>();
        for (String id : base.ids()) if (ids.contains(id)) kept.add(id);
        if (kept.size() != ids.size()) {
            Set<String> missing = new HashSet<>(ids);
            missing.removeAll(kept);
            throw new SemiactiveException(base.describe() + " has no sample(s) " + missing.stream().sorted().limit(3).toList()
                    + ": select ids the dataset lists");
        }
        if (kept.isEmpty()) throw new SemiactiveException(name + " of " + base.describe() + " is empty: select at least one image");
        List<String> view = List.copyOf(kept);
        return new SegmentationDataset() {
            public LabelSpace labels() { return base.labels(); }
            public int channels() { return base.channels(); }
            public List<String> ids() { return view; }
            public Sample load(String id) { return base.load(id); }
            public String describe() { return name + " (" + view.size() + " images) of " + base.describe(); }
        };
    }

    /** The same images with their masks dropped: what an unlabelled pool looks like to a method. */
    public static SegmentationDataset imagesOnly(SegmentationDataset base) {
        return new SegmentationDataset() {
            public LabelSpace labels() { return base.labels(); }
            public int channels() { return base.channels(); }
            public List<String> ids() { return base.ids(); }
            public Sample load(String id) { return base.load(id).withMask(null); }
            public String describe() { return "images of " + base.describe(); }
        };
    }

    /**
     * Seeded choice of {@code fraction} of the images (at least one) to keep their labels; the rest are
     * the unlabelled part (empty when fraction is 1).
     */
    public static Partition partition(SegmentationDataset base, double fraction, long seed) {
        if (!(fraction > 0 && fraction <= 1))
            throw new SemiactiveException("label fraction " + fraction + " is outside (0, 1]: use e.g. 0.125 for 1/8 labelled");
        List<String> ids = new ArrayList<>(base.ids());
        int n = Math.max(1, (int) Math.round(fraction * ids.size()));
        Collections.shuffle(ids, new Random(seed));
        Set<String> labelled = new HashSet<>(ids.subList(0, n));
        Set<String> unlabelled = new HashSet<>(ids.subList(n, ids.size()));
        return new Partition(subset(base, labelled, "labelled part"),
                unlabelled.isEmpty() ? null : imagesOnly(subset(base, unlabelled, "unlabelled part")));
    }

    /** @param unlabelled null when every image is labelled */
    public record Partition(SegmentationDataset labelled, SegmentationDataset unlabelled) {
    }
}
