package dev.semiactive.loop;

import dev.semiactive.SemiactiveException;
import dev.semiactive.data.DatasetViews;
import dev.semiactive.data.LabelSpace;
import dev.semiactive.data.Sample;
import dev.semiactive.data.SegmentationDataset;
import dev.semiactive.store.ProjectStore;
import dev.semiactive.store.RegionLabel;
import dev.semiactive.store.StoredImage;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The active-learning pool seen through the project store: the pool dataset supplies the images, the
 * store the labels. Nothing about labels is held in memory: {@link #labelled} masks are composed from the
 * store on every load ({@link ProjectStore#labelMask}), so what a round trains on is what the store says.
 */
public final class LabelledPool {
    private final SegmentationDataset pool;
    private final ProjectStore store;

    public LabelledPool(SegmentationDataset pool, ProjectStore store) {
        this.pool = pool;
        this.store = store;
    }

    public SegmentationDataset pool() {
        return pool;
    }

    public ProjectStore store() {
        return store;
    }

    /**
     * Registers the pool's images in the store (sizes at working resolution) if it has none yet; a store
     * made for another pool is refused.
     */
    public static void register(ProjectStore store, SegmentationDataset pool) {
        List<StoredImage> known = store.images();
        if (known.isEmpty()) {
            List<StoredImage> images = new ArrayList<>(pool.size());
            for (String id : pool.ids()) {
                Sample s = pool.load(id);
                images.add(new StoredImage(id, "", s.width(), s.height(), ""));
            }
            store.putImages(images);
            return;
        }
        Set<String> ids = new HashSet<>(pool.ids());
        List<String> stored = known.stream().map(StoredImage::id).toList();
        if (stored.size() != ids.size() || !ids.containsAll(stored))
            throw new SemiactiveException("project store " + store.file() + " holds " + stored.size() + " images but the pool "
                    + pool.describe() + " has " + ids.size() + " others: use a new run directory (run.output_dir) for another pool");
    }

    /** Ids of the images with at least one label of rounds {@code <= upToRound}, sorted. */
    public List<String> labelledImageIds(int upToRound) {
        Set<String> ids = new TreeSet<>();
        for (int r = 0; r <= upToRound; r++) for (RegionLabel l : store.labels(r)) ids.add(l.imageId());
        return List.copyOf(ids);
    }

    /** Ids of the regions labelled in rounds {@code <= upToRound}, sorted (their hash identifies the label set). */
    public List<String> labelledRegionIds(int upToRound) {
        Set<String> ids = new TreeSet<>();
        for (int r = 0; r <= upToRound; r++) for (RegionLabel l : store.labels(r)) ids.add(l.regionId());
        return List.copyOf(ids);
    }

    /**
     * The images labelled in rounds {@code <= upToRound}, with masks composed from those labels (255 where
     * nothing is labelled yet).
     */
    public SegmentationDataset labelled(int upToRound) {
        List<String> ids = labelledImageIds(upToRound);
        if (ids.isEmpty())
            throw new SemiactiveException("project store " + store.file() + " has no labels up to round " + upToRound
                    + ": label the queued regions of round 0 first");
        String name = "labelled regions up to round " + upToRound;
        return new SegmentationDataset() {
            public LabelSpace labels() { return pool.labels(); }
            public int channels() { return pool.channels(); }
            public List<String> ids() { return ids; }
            public Sample load(String id) {
                Sample s = pool.load(id);
                return s.withMask(store.labelMask(id, s.width(), s.height(), upToRound));
            }
            public String describe() { return name + " (" + ids.size() + " images) of " + pool.describe(); }
        };
    }

    /**
     * PLAR's refined labels of an image from round {@code round}'s scoring (class where refined, 255
     * elsewhere), or null when that round did not refine it. Round r's training would use round r-1's: the
     * shape of the TSF method's pseudo-label overrides ({@code imageId -> int[]}).
     */
    public int[] refined(int round, String imageId) {
        return store.plar(imageId, round).map(dev.semiactive.store.PlarRefinement::refined).orElse(null);
    }

    /**
     * Every pool image without its mask: the unlabelled input of semi-supervised methods. All images, not
     * only the untouched ones, because a partly labelled image's unlabelled pixels are unlabelled data too.
     */
    public SegmentationDataset unlabelled() {
        return DatasetViews.imagesOnly(pool);
    }
}
