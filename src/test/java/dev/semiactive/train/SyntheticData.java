package dev.semiactive.train;

import dev.semiactive.data.LabelSpace;
import dev.semiactive.data.Sample;
import dev.semiactive.data.SegmentationDataset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** In-memory datasets of synthetic scenes for tests: class = colour of a rectangle, plus noise. */
final class SyntheticData {
    static final LabelSpace LABELS = new LabelSpace(List.of("background", "red", "green"), List.of(0x000000, 0xFF0000, 0x00FF00));
    private static final float[][] COLOURS = {{0.2f, 0.2f, 0.8f}, {0.9f, 0.1f, 0.1f}, {0.1f, 0.9f, 0.2f}};

    private SyntheticData() {
    }

    /** {@code n} scenes of {@code size}x{@code size}; a border of width 2 is ignore (255). */
    static InMemory scenes(int n, int size, long seed) {
        List<Sample> samples = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            int plane = size * size;
            float[] img = new float[3 * plane];
            int[] mask = new int[plane];
            int[][] rects = new int[2][];
            for (int k = 0; k < 2; k++) {
                int x0 = r.nextInt(size / 2), y0 = r.nextInt(size / 2);
                rects[k] = new int[]{x0, y0, x0 + 4 + r.nextInt(size / 2), y0 + 4 + r.nextInt(size / 2)};
            }
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int cls = 0;
                    for (int k = 0; k < 2; k++)
                        if (x >= rects[k][0] && x < rects[k][2] && y >= rects[k][1] && y < rects[k][3]) cls = k + 1;
                    for (int c = 0; c < 3; c++)
                        img[c * plane + y * size + x] = Math.min(1f, Math.max(0f, COLOURS[cls][c] + (float) (r.nextGaussian() * 0.08)));
                    boolean border = x < 2 || y < 2 || x >= size - 2 || y >= size - 2;
                    mask[y * size + x] = border ? LabelSpace.IGNORE : cls;
                }
            }
            samples.add(new Sample(String.format("img%03d", i), 3, size, size, img, mask));
        }
        return new InMemory(samples);
    }

    /** A dataset over samples held in memory; counts loads. */
    static class InMemory implements SegmentationDataset {
        final Map<String, Sample> samples = new LinkedHashMap<>();
        final AtomicInteger loads = new AtomicInteger();

        InMemory(List<Sample> list) {
            for (Sample s : list) samples.put(s.id(), s);
        }

        @Override
        public LabelSpace labels() {
            return LABELS;
        }

        @Override
        public int channels() {
            return 3;
        }

        @Override
        public List<String> ids() {
            return List.copyOf(samples.keySet());
        }

        @Override
        public Sample load(String id) {
            loads.incrementAndGet();
            Sample s = samples.get(id);
            if (s == null) throw new IllegalArgumentException("no sample " + id);
            return s;
        }

        @Override
        public String describe() {
            return "synthetic (" + samples.size() + " images)";
        }
    }
}
