package dev.semiactive.loop;

import dev.semiactive.al.PixelScores;
import dev.semiactive.plar.FeatureMap;

/**
 * What the scoring model says about one image, copied to plain arrays: class probabilities at image
 * resolution, the feature taps, and the error mask decoder's probability (when the checkpoint has one).
 *
 * @param id            image id
 * @param height        rows (working resolution)
 * @param width         columns
 * @param numClasses    K
 * @param probabilities softmax, K x H x W
 * @param f1            ASPP features (stride 16)
 * @param f2            decoder features (stride 4)
 * @param emd           sigmoid of the EMD logit on F2's grid (P(prediction wrong)), or null without an EMD
 */
public record ModelOutputs(String id, int height, int width, int numClasses, float[] probabilities, FeatureMap f1,
                           FeatureMap f2, float[] emd) {
    /** Argmax class and its probability per pixel. */
    public void argmax(int[] classes, float[] confidence) {
        PixelScores.argmax(probabilities, numClasses, height * width, classes, confidence);
    }
}
