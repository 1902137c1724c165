package dev.semiactive.data;

/** Labelled pixels per class of a dataset split, read once from its masks. */
public final class ClassCounts {
    private ClassCounts() {
    }

    /**
     * Pixels per class id over every mask of {@code dataset}; {@link LabelSpace#IGNORE} and ids outside the
     * class list are not counted, unlabelled samples (no mask) add nothing.
     */
    public static long[] of(SegmentationDataset dataset) {
        long[] counts = new long[dataset.labels().numClasses()];
        for (String id : dataset.ids()) {
            int[] mask = dataset.load(id).mask();
            if (mask == null) continue;
            for (int v : mask) if (v >= 0 && v < counts.length) counts[v]++;
        }
        return counts;
    }
}
