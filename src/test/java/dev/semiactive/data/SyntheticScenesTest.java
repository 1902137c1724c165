package dev.semiactive.data;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SyntheticScenesTest {
    private static DataOptions opts(long seed) {
        return DataOptions.builder().optSynthetic(12, 48, 40, 4).optSeed(seed).build();
    }

    @Test
    void sameSeedSameSampleDifferentSeedOrSplitDifferentSample() {
        SegmentationDataset a = Datasets.synthetic("train", opts(7));
        SegmentationDataset b = Datasets.synthetic("train", opts(7));
        assertThat(a.ids()).hasSize(12).isSorted().startsWith("syn_00000");
        Sample s1 = a.load("syn_00003");
        Sample s2 = b.load("syn_00003");
        assertThat(s1.image()).containsExactly(s2.image());
        assertThat(s1.mask()).containsExactly(s2.mask());
        // loading again (any order) gives the same pixels: no hidden state
        a.load("syn_00001");
        assertThat(a.load("syn_00003").image()).containsExactly(s1.image());

        assertThat(Datasets.synthetic("train", opts(8)).load("syn_00003").image()).isNotEqualTo(s1.image());
        assertThat(Datasets.synthetic("val", opts(7)).load("syn_00003").image()).isNotEqualTo(s1.image());
        assertThat(a.load("syn_00004").image()).isNotEqualTo(s1.image());
    }

    @Test
    void shapesValuesAndClasses() {
        SegmentationDataset ds = Datasets.synthetic("train", opts(1));
        assertThat(ds.channels()).isEqualTo(3);
        assertThat(ds.labels().classNames()).containsExactly("background", "box", "disc", "stripe");
        Set<Integer> seen = new HashSet<>();
        for (String id : ds.ids()) {
            Sample s = ds.load(id);
            assertThat(s.width()).isEqualTo(48);
            assertThat(s.height()).isEqualTo(40);
            for (float v : s.image()) assertThat(v).isBetween(0f, 1f);
            for (int v : s.mask()) {
                assertThat(v).isBetween(0, 3);
                seen.add(v);
            }
        }
        assertThat(seen).containsExactlyInAnyOrder(0, 1, 2, 3);
        SegmentationDataset eight = Datasets.synthetic("train", DataOptions.builder().optSynthetic(2, 32, 32, 8).build());
        assertThat(eight.labels().numClasses()).isEqualTo(8);
        assertThatThrownBy(() -> new SyntheticScenes(32, 32, 9)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("synthetic scenes have 2..8 classes, not 9");
        assertThatThrownBy(() -> new SyntheticScenes(32, 32, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("synthetic scenes have 2..8 classes, not 1");
        assertThatThrownBy(() -> new SyntheticScenes(7, 32, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("synthetic scenes need at least 8x8 pixels");
    }

    @Test
    void geometryOptionsApplyToSyntheticScenesToo() {
        SegmentationDataset ds = Datasets.synthetic("train",
                DataOptions.builder().optSynthetic(2, 40, 40, 3).optScale(0.5).optTile(16, 16).build());
        assertThat(ds.ids()).containsExactly("syn_00000@0_0", "syn_00000@0_4", "syn_00000@4_0", "syn_00000@4_4",
                "syn_00001@0_0", "syn_00001@0_4", "syn_00001@4_0", "syn_00001@4_4");
        assertThat(ds.load("syn_00001@4_4").width()).isEqualTo(16);
    }

    /**
     * The task must be learnable but not trivial: a nearest-centroid classifier on local colour statistics
     * (5x5 mean and spread) does clearly better than chance, yet far from perfect, on held-out scenes.
     */
    @Test
    void learnableFromLocalAppearanceButNotTrivially() {
        DataOptions o = DataOptions.builder().optSynthetic(16, 48, 48, 4).optSeed(3).build();
        SegmentationDataset train = Datasets.synthetic("train", o), val = Datasets.synthetic("val", o);
        int k = 4, d = 6;
        double[][] centroid = new double[k][d];
        long[] count = new long[k];
        for (String id : train.ids()) {
            Sample s = train.load(id);
            for (int i = 0; i < s.mask().length; i++) {
                double[] f = localFeatures(s, i % 48, i / 48);
                for (int j = 0; j < d; j++) centroid[s.mask()[i]][j] += f[j];
                count[s.mask()[i]]++;
            }
        }
        for (int c = 0; c < k; c++) for (int j = 0; j < d; j++) centroid[c][j] /= count[c];
        long[][] confusion = new long[k][k];
        for (String id : val.ids()) {
            Sample s = val.load(id);
            for (int i = 0; i < s.mask().length; i++) {
                double[] f = localFeatures(s, i % 48, i / 48);
                int best = 0;
                double bestD = Double.MAX_VALUE;
                for (int c = 0; c < k; c++) {
                    double dist = 0;
                    for (int j = 0; j < d; j++) dist += (f[j] - centroid[c][j]) * (f[j] - centroid[c][j]);
                    if (dist < bestD) {
                        bestD = dist;
                        best = c;
                    }
                }
                confusion[s.mask()[i]][best]++;
            }
        }
        double miou = 0;
        for (int c = 0; c < k; c++) {
            long tp = confusion[c][c], fp = 0, fn = 0;
            for (int q = 0; q < k; q++)
                if (q != c) {
                    fp += confusion[q][c];
                    fn += confusion[c][q];
                }
            miou += tp / (double) (tp + fp + fn) / k;
        }
        assertThat(miou).isBetween(0.45, 0.95);
    }

    private static double[] localFeatures(Sample s, int x, int y) {
        int w = s.width(), h = s.height(), n = w * h;
        double[] sum = new double[3], sq = new double[3];
        for (int dy = -2; dy <= 2; dy++)
            for (int dx = -2; dx <= 2; dx++) {
                int xx = Math.min(w - 1, Math.max(0, x + dx)), yy = Math.min(h - 1, Math.max(0, y + dy));
                for (int c = 0; c < 3; c++) {
                    double v = s.image()[c * n + yy * w + xx];
                    sum[c] += v;
                    sq[c] += v * v;
                }
            }
        double[] f = new double[6];
        for (int c = 0; c < 3; c++) {
            f[c] = sum[c] / 25;
            f[3 + c] = 3 * Math.sqrt(Math.max(0, sq[c] / 25 - f[c] * f[c]));
        }
        return f;
    }
}
