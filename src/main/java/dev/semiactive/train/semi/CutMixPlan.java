package dev.semiactive.train.semi;

import dev.semiactive.data.Augmentations;
import dev.semiactive.data.Augmentations.Box;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Which images of an unlabelled batch get a CutMix box, and from which other image of the batch. Drawn once
 * per step and applied twice: to the strong images the Student (and Friend) see, and to the Teacher's
 * pseudo-labels (computed on the unmixed weak view), so a pixel's target always belongs to the image its
 * pixel came from.
 *
 * <p>Image {@code i} is mixed with probability {@code augment.cutmix}: the box is taken from a partner image
 * {@code j != i} drawn uniformly; the partner's own, unmixed content is used (mixing is not chained).
 */
public final class CutMixPlan {
    private final int height;
    private final int width;
    private final int[] partner;
    private final Box[] boxes;

    CutMixPlan(int height, int width, int[] partner, Box[] boxes) {
        if (partner.length != boxes.length) throw new IllegalArgumentException("one partner and one box per image");
        this.height = height;
        this.width = width;
        this.partner = partner.clone();
        this.boxes = boxes.clone();
        for (int i = 0; i < partner.length; i++) {
            if (partner[i] >= 0 && (partner[i] == i || partner[i] >= partner.length || boxes[i] == null))
                throw new IllegalArgumentException("image " + i + " has an invalid CutMix partner " + partner[i]);
        }
    }

    /** No image mixed. */
    public static CutMixPlan none(int n, int height, int width) {
        int[] p = new int[n];
        Arrays.fill(p, -1);
        return new CutMixPlan(height, width, p, new Box[n]);
    }

    /** Draws a plan for {@code n} images of {@code height x width} with the configured CutMix probability and box law. */
    public static CutMixPlan draw(int n, int height, int width, Augmentations cutMix, RandomGenerator rng) {
        int[] p = new int[n];
        Box[] b = new Box[n];
        Arrays.fill(p, -1);
        for (int i = 0; i < n && n > 1; i++) {
            if (!cutMix.rollCutMix(rng)) continue;
            int j = rng.nextInt(n - 1);
            p[i] = j >= i ? j + 1 : j;
            b[i] = cutMix.cutMixBox(height, width, rng);
        }
        return new CutMixPlan(height, width, p, b);
    }

    public int size() {
        return partner.length;
    }

    /** The image whose box content image {@code i} receives, or -1 when it is not mixed. */
    public int partner(int i) {
        return partner[i];
    }

    /** Image {@code i}'s box, or null when it is not mixed. */
    public Box box(int i) {
        return boxes[i];
    }

    public int mixedCount() {
        int k = 0;
        for (int p : partner) if (p >= 0) k++;
        return k;
    }

    /** The batch of CHW images ({@code N*C*H*W}) with every planned box pasted from its partner. */
    public float[] applyImages(float[] images, int channels) {
        int per = channels * height * width;
        if (images.length != per * partner.length)
            throw new IllegalArgumentException("images hold " + images.length + " values, plan is for " + partner.length
                    + "x" + channels + "x" + height + "x" + width);
        float[] out = images.clone();
        for (int i = 0; i < partner.length; i++) {
            if (partner[i] < 0) continue;
            float[] a = Arrays.copyOfRange(images, i * per, (i + 1) * per);
            float[] b = Arrays.copyOfRange(images, partner[i] * per, (partner[i] + 1) * per);
            System.arraycopy(boxes[i].paste(a, b, channels, height, width), 0, out, i * per, per);
        }
        return out;
    }

    /** The batch of masks ({@code N*H*W}) with every planned box pasted from its partner. */
    public int[] applyMasks(int[] masks) {
        int per = height * width;
        if (masks.length != per * partner.length)
            throw new IllegalArgumentException("masks hold " + masks.length + " values, plan is for " + partner.length
                    + "x" + height + "x" + width);
        int[] out = masks.clone();
        for (int i = 0; i < partner.length; i++) {
            if (partner[i] < 0) continue;
            int[] a = Arrays.copyOfRange(masks, i * per, (i + 1) * per);
            int[] b = Arrays.copyOfRange(masks, partner[i] * per, (partner[i] + 1) * per);
            System.arraycopy(boxes[i].paste(a, b, height, width), 0, out, i * per, per);
        }
        return out;
    }
}
