package dev.semiactive.data;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class AugmentationsTest {
    /**
     * 4-channel sample whose pixel values encode the pixel's class: R = 0.2*class, G = 0.5, B = 0.25,
     * 4th = 0.1*class. Classes come in 6x6 blocks; no pixel is IGNORE.
     */
    static Sample encoded(int w, int h) {
        int n = w * h;
        float[] img = new float[4 * n];
        int[] mask = new int[n];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                int c = (x / 6 + 2 * (y / 6)) % 5;
                mask[i] = c;
                img[i] = 0.2f * c;
                img[n + i] = 0.5f;
                img[2 * n + i] = 0.25f;
                img[3 * n + i] = 0.1f * c;
            }
        return new Sample("enc", 4, h, w, img, mask);
    }

    /** Every labelled inner pixel whose 3x3 mask neighbourhood is uniform carries its class's encoding; padding is 0/IGNORE. */
    static int assertAligned(Sample s) {
        int w = s.width(), h = s.height(), n = w * h, checked = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                int m = s.mask()[i];
                if (m == LabelSpace.IGNORE) {
                    for (int c = 0; c < 4; c++) assertThat(s.image()[c * n + i]).as("padding at (%d,%d)", x, y).isZero();
                    continue;
                }
                assertThat(s.image()[n + i]).as("G at (%d,%d)", x, y).isCloseTo(0.5f, within(1e-5f));
                // Bilinear samples reach one source pixel further than nearest does: only pixels whose whole
                // 3x3 neighbourhood is in the output and of one class are sure to be unblended.
                boolean uniform = x > 0 && y > 0 && x < w - 1 && y < h - 1;
                for (int dy = -1; dy <= 1 && uniform; dy++)
                    for (int dx = -1; dx <= 1; dx++) {
                        if (s.mask()[(y + dy) * w + x + dx] != m) {
                            uniform = false;
                            break;
                        }
                    }
                if (!uniform) continue;
                assertThat(s.image()[i]).as("R at (%d,%d) class %d", x, y, m).isCloseTo(0.2f * m, within(1e-5f));
                assertThat(s.image()[3 * n + i]).as("4th at (%d,%d) class %d", x, y, m).isCloseTo(0.1f * m, within(1e-5f));
                checked++;
            }
        return checked;
    }

    @Property(tries = 60)
    void weakKeepsImageAndMaskAligned(@ForAll long seed, @ForAll @IntRange(min = 12, max = 40) int w,
                                      @ForAll @IntRange(min = 12, max = 40) int h) {
        Augmentations aug = Augmentations.builder().optScaleRange(0.5, 2.0).optCrop(20, 16).build();
        Sample out = aug.weak(encoded(w, h), new SplittableRandom(seed));
        assertThat(out.width()).isEqualTo(20);
        assertThat(out.height()).isEqualTo(16);
        assertThat(out.channels()).isEqualTo(4);
        assertThat(assertAligned(out)).isPositive();
    }

    @Test
    void cropPadsSmallImagesWithZeroAndIgnore() {
        Augmentations aug = Augmentations.builder().optScaleRange(1, 1).optCrop(16, 12).optFlipProbability(0).build();
        Sample out = aug.weak(encoded(10, 8), new Random(1));
        assertThat(out.width()).isEqualTo(16);
        assertThat(out.height()).isEqualTo(12);
        for (int y = 0; y < 12; y++)
            for (int x = 0; x < 16; x++) {
                boolean inside = x < 10 && y < 8;
                assertThat(out.mask()[y * 16 + x] == LabelSpace.IGNORE).isEqualTo(!inside);
            }
        assertAligned(out);
    }

    @Test
    void flipMirrorsImageAndMaskTogether() {
        Sample s = encoded(13, 7);
        Augmentations flipAlways = Augmentations.builder().optScaleRange(1, 1).optFlipProbability(1).build();
        Sample f = flipAlways.weak(s, new Random(0));
        int n = 13 * 7;
        for (int y = 0; y < 7; y++)
            for (int x = 0; x < 13; x++) {
                assertThat(f.mask()[y * 13 + x]).isEqualTo(s.mask()[y * 13 + 12 - x]);
                assertThat(f.image()[3 * n + y * 13 + x]).isEqualTo(s.image()[3 * n + y * 13 + 12 - x]);
            }
        assertThat(flipAlways.weak(f, new Random(0)).image()).containsExactly(s.image());
    }

    @Test
    void sameSeedSameResult() {
        Augmentations aug = Augmentations.builder().optCrop(16, 16).build();
        Sample s = encoded(30, 30);
        Sample a = aug.strong(s, new SplittableRandom(42));
        Sample b = aug.strong(s, new SplittableRandom(42));
        assertThat(a.image()).containsExactly(b.image());
        assertThat(a.mask()).containsExactly(b.mask());
        Sample c = aug.strong(s, new SplittableRandom(43));
        assertThat(c.image()).isNotEqualTo(a.image());
    }

    @Test
    void photometricJittersOnlyTheFirstThreeChannelsAndKeepsTheMask() {
        Augmentations aug = Augmentations.builder().optColourJitter(0.5, 0.5, 0.5, 1.0).optBlur(0, 0.1, 2.0).build();
        Sample s = encoded(18, 12);
        Sample p = aug.photometric(s, new SplittableRandom(5));
        int n = 18 * 12;
        assertThat(p.mask()).isSameAs(s.mask());
        assertThat(p.width()).isEqualTo(18);
        boolean changed = false;
        for (int i = 0; i < 3 * n; i++) changed |= p.image()[i] != s.image()[i];
        assertThat(changed).isTrue();
        for (int i = 3 * n; i < 4 * n; i++) assertThat(p.image()[i]).isEqualTo(s.image()[i]);
        for (float v : p.image()) assertThat(v).isBetween(0f, 1f);
        // a single-channel image only gets brightness/contrast
        Sample gray = new Sample("g", 1, 2, 2, new float[]{0.1f, 0.2f, 0.3f, 0.4f}, null);
        assertThat(aug.photometric(gray, new Random(3)).image()).hasSize(4);
    }

    @Test
    void blurKeepsConstantsAndSpreadsAnImpulseSymmetrically() {
        float[] flat = new float[2 * 5 * 5];
        java.util.Arrays.fill(flat, 0.7f);
        for (float v : Augmentations.gaussianBlur(flat, 2, 5, 5, 1.2)) assertThat(v).isCloseTo(0.7f, within(1e-5f));
        float[] impulse = new float[9 * 9];
        impulse[4 * 9 + 4] = 1f;
        float[] b = Augmentations.gaussianBlur(impulse, 1, 9, 9, 1.0);
        assertThat(b[4 * 9 + 4]).isLessThan(1f).isGreaterThan(b[4 * 9 + 5]);
        assertThat(b[4 * 9 + 3]).isCloseTo(b[4 * 9 + 5], within(1e-6f));
        assertThat(b[3 * 9 + 4]).isCloseTo(b[4 * 9 + 5], within(1e-6f));
        double sum = 0;
        for (float v : b) sum += v;
        assertThat(sum).isCloseTo(1.0, within(1e-4));
    }

    @Property(tries = 40)
    void cutMixTakesTheBoxFromTheSecondSample(@ForAll long seed) {
        Augmentations aug = Augmentations.builder().optCutMix(1.0, 0.02, 0.4, 0.3).build();
        Sample a = encoded(24, 20);
        Sample b = SampleOps.flipHorizontal(encoded(24, 20));
        Augmentations.CutMix mix = aug.cutMix(a, b, new SplittableRandom(seed));
        Augmentations.Box box = mix.box();
        assertThat(box.x()).isGreaterThanOrEqualTo(0);
        assertThat(box.y()).isGreaterThanOrEqualTo(0);
        assertThat(box.x() + box.width()).isLessThanOrEqualTo(24);
        assertThat(box.y() + box.height()).isLessThanOrEqualTo(20);
        assertThat(box.area()).isBetween(1, (int) Math.ceil(0.4 * 480 * 1.25));
        int n = 480;
        for (int y = 0; y < 20; y++)
            for (int x = 0; x < 24; x++) {
                int i = y * 24 + x;
                Sample from = box.contains(x, y) ? b : a;
                assertThat(mix.mixed().mask()[i]).isEqualTo(from.mask()[i]);
                for (int c = 0; c < 4; c++) assertThat(mix.mixed().image()[c * n + i]).isEqualTo(from.image()[c * n + i]);
            }
        // The same box mixes other per-pixel data, e.g. teacher targets.
        int[] targetA = new int[n], targetB = new int[n];
        java.util.Arrays.fill(targetB, 7);
        int[] mixed = box.paste(targetA, targetB, 20, 24);
        long sevens = java.util.stream.IntStream.of(mixed).filter(v -> v == 7).count();
        assertThat(sevens).isEqualTo(box.area());
    }

    @Test
    void cutMixOfUnlabelledSamples() {
        Sample a = encoded(8, 8).withMask(null);
        Sample b = encoded(8, 8);
        Augmentations.Box box = new Augmentations.Box(2, 2, 3, 3);
        assertThat(Augmentations.mix(a, a, box).mask()).isNull();
        int[] m = Augmentations.mix(a, b, box).mask();
        for (int y = 0; y < 8; y++)
            for (int x = 0; x < 8; x++)
                assertThat(m[y * 8 + x]).isEqualTo(box.contains(x, y) ? b.mask()[y * 8 + x] : LabelSpace.IGNORE);
    }

    @Test
    void weakWorksOnUnlabelledSamples() {
        Augmentations aug = Augmentations.builder().optCrop(10, 10).build();
        Sample out = aug.strong(encoded(20, 14).withMask(null), new Random(9));
        assertThat(out.mask()).isNull();
        assertThat(out.width()).isEqualTo(10);
    }
}
