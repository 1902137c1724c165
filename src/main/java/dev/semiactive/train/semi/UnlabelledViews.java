package dev.semiactive.train.semi;

import dev.semiactive.data.Augmentations;
import dev.semiactive.data.Sample;
import dev.semiactive.train.Augmentation;
import dev.semiactive.train.HostBatch;
import dev.semiactive.train.Normalization;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The two views of an unlabelled batch, in Java memory and normalised: the weak view (random scale, crop,
 * flip; done by the batch loader) that the Teacher labels, and the strong view the Student and Friend learn
 * from = the weak view + photometric perturbation (colour jitter, blur) per image + CutMix within the batch.
 *
 * @param weak     N*C*H*W normalised weak images
 * @param strong   N*C*H*W normalised strong images (CutMix applied)
 * @param refined  N*H*W refined pseudo-labels of the weak view (255 = none), or null when no image has one
 * @param plan     the CutMix plan to apply to the Teacher's targets
 */
public record UnlabelledViews(int size, int channels, int height, int width, float[] weak, float[] strong,
                              int[] refined, CutMixPlan plan) {

    /** Identity normalisation: the unlabelled loader hands over [0,1] images so photometric ops can run on them. */
    static Normalization raw(int channels) {
        return Normalization.identity(channels);
    }

    /**
     * Builds both views from a batch loaded with {@link #raw} normalisation. All randomness comes from
     * {@code rng} in a fixed order (photometric per image, then the CutMix plan), so a step's views are a
     * function of (seed, step).
     *
     * @param cutMix the CutMix probability and box law, or null for none
     */
    public static UnlabelledViews of(HostBatch raw, Augmentation photometric, Augmentations cutMix,
                                     Normalization normalization, SplittableRandom rng) {
        int n = raw.size(), c = raw.channels(), h = raw.height(), w = raw.width(), per = c * h * w, plane = h * w;
        float[] strong = new float[n * per];
        for (int i = 0; i < n; i++) {
            float[] image = Arrays.copyOfRange(raw.images(), i * per, (i + 1) * per);
            Sample s = photometric.apply(new Sample(raw.ids().get(i), c, h, w, image, null), rng);
            System.arraycopy(s.image(), 0, strong, i * per, per);
        }
        CutMixPlan plan = cutMix == null ? CutMixPlan.none(n, h, w) : CutMixPlan.draw(n, h, w, cutMix, rng);
        strong = plan.applyImages(strong, c);
        float[] weakNorm = new float[n * per];
        float[] strongNorm = new float[n * per];
        for (int i = 0; i < n; i++) {
            normalization.apply(Arrays.copyOfRange(raw.images(), i * per, (i + 1) * per), c, plane, weakNorm, i * per);
            normalization.apply(Arrays.copyOfRange(strong, i * per, (i + 1) * per), c, plane, strongNorm, i * per);
        }
        return new UnlabelledViews(n, c, h, w, weakNorm, strongNorm, raw.masks(), plan);
    }
}
