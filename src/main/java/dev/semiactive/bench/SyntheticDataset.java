package dev.semiactive.bench;

import dev.semiactive.data.LabelSpace;
import dev.semiactive.data.LabelSpaces;
import dev.semiactive.data.Sample;
import dev.semiactive.data.SegmentationDataset;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link SyntheticBatches} images {@code [first, first + n)} as a dataset, so the benchmark can feed the shipped
 * training methods through their own batch samplers. With as many images as a batch holds, every batch is the
 * whole dataset in some order, and the mean losses a step computes do not depend on that order: the peer, which
 * takes the images in index order, computes the same first loss.
 */
final class SyntheticDataset implements SegmentationDataset {
    private static final String PREFIX = "synthetic";
    private final LabelSpace labels;
    private final int channels;
    private final int height;
    private final int width;
    private final long first;
    private final boolean labelled;
    private final List<String> ids;

    private SyntheticDataset(BenchSettings s, long first, int n, boolean labelled) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < s.classes(); i++) names.add("class" + i);
        this.labels = LabelSpaces.withDefaultColours(names);
        this.channels = s.channels();
        this.height = s.height();
        this.width = s.width();
        this.first = first;
        this.labelled = labelled;
        List<String> list = new ArrayList<>();
        for (int i = 0; i < n; i++) list.add(String.format(PREFIX + "%06d", first + i));
        this.ids = List.copyOf(list);
    }

    /** Images {@code [first, first + n)} with their {@link SyntheticBatches#masks}. */
    static SyntheticDataset labelled(BenchSettings s, long first, int n) {
        return new SyntheticDataset(s, first, n, true);
    }

    /** Images {@code [first, first + n)} without masks. */
    static SyntheticDataset unlabelled(BenchSettings s, long first, int n) {
        return new SyntheticDataset(s, first, n, false);
    }

    @Override
    public LabelSpace labels() {
        return labels;
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public List<String> ids() {
        return ids;
    }

    @Override
    public Sample load(String id) {
        int i = index(id);
        float[] image = SyntheticBatches.images(first + i, 1, channels, height, width);
        int[] mask = labelled ? SyntheticBatches.masks(first + i, 1, height, width, labels.classNames().size()) : null;
        return new Sample(id, channels, height, width, image, mask);
    }

    /** Position of {@code id} in this dataset (ids are "synthetic" + the image's number). */
    private int index(String id) {
        long number = -1;
        if (id.startsWith(PREFIX)) {
            try {
                number = Long.parseLong(id.substring(PREFIX.length()));
            } catch (NumberFormatException e) {
                number = -1;
            }
        }
        if (number < first || number >= first + ids.size()) throw new IllegalArgumentException("no synthetic image " + id + " in " + describe());
        return (int) (number - first);
    }

    @Override
    public String describe() {
        return "synthetic bench images " + first + ".." + (first + ids.size() - 1) + (labelled ? " with masks" : "");
    }
}
