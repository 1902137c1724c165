package dev.semiactive.pretext;

import dev.semiactive.data.LabelSpace;
import dev.semiactive.data.Sample;
import dev.semiactive.data.SegmentationDataset;

import java.util.ArrayList;
import java.util.List;

/**
 * The colourization pretext as a segmentation dataset over a pool's images: each sample's image is its
 * luminance repeated in every channel (so the network keeps its input shape and the weights transfer), and
 * its mask is every pixel's {@link ChromaBins colour bin}. Any mask the pool has is not read: no label is used.
 */
public final class ColourizationDataset implements SegmentationDataset {
    private final SegmentationDataset images;
    private final ChromaBins bins;
    private final LabelSpace labels;

    public ColourizationDataset(SegmentationDataset images, ChromaBins bins) {
        if (images.channels() != 3)
            throw new IllegalArgumentException(images.describe() + " has " + images.channels()
                    + "-channel images: the colourization pretext needs 3 (RGB or IRRG)");
        this.images = images;
        this.bins = bins;
        List<String> names = new ArrayList<>();
        List<Integer> palette = new ArrayList<>();
        for (int b = 0; b < bins.size(); b++) {
            names.add("chroma-" + b);
            palette.add(bins.displayColour(b));
        }
        this.labels = new LabelSpace(names, palette);
    }

    public ChromaBins bins() {
        return bins;
    }

    @Override
    public LabelSpace labels() {
        return labels;
    }

    @Override
    public int channels() {
        return 3;
    }

    @Override
    public List<String> ids() {
        return images.ids();
    }

    @Override
    public Sample load(String id) {
        Sample s = images.load(id);
        int plane = s.height() * s.width();
        float[] in = s.image();
        float[] grey = new float[3 * plane];
        int[] mask = new int[plane];
        for (int p = 0; p < plane; p++) {
            float r = in[p], g = in[plane + p], b = in[2 * plane + p];
            float y = (float) ChromaBins.luma(r, g, b);
            grey[p] = y;
            grey[plane + p] = y;
            grey[2 * plane + p] = y;
            mask[p] = bins.bin(r, g, b);
        }
        return new Sample(id, 3, s.height(), s.width(), grey, mask);
    }

    @Override
    public String describe() {
        return "colourization (" + bins.size() + " bins) of " + images.describe();
    }
}
