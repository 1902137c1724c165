package dev.semiactive.data;

import dev.semiactive.SemiactiveException;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Maps the raw values of an index mask file to class ids / IGNORE through a lookup table; a value the
 * table does not know is an error naming the file, the pixel and the value.
 */
final class LabelMapping {
    private static final int INVALID = -1;
    private final int[] lut;
    private final String meaning;

    private LabelMapping(int[] lut, String meaning) {
        this.lut = lut;
        this.meaning = meaning;
    }

    /** Values 0..K-1 are classes, 255 is ignore: the project's own convention. */
    static LabelMapping identity(int numClasses) {
        int[] lut = new int[256];
        Arrays.fill(lut, INVALID);
        for (int i = 0; i < numClasses; i++) lut[i] = i;
        lut[LabelSpace.IGNORE] = LabelSpace.IGNORE;
        return new LabelMapping(lut, "0-" + (numClasses - 1) + " are classes, 255 = ignore");
    }

    /** CamVid SegNet masks: 0..10 classes, 11 = Unlabelled -> ignore (255 tolerated as ignore too). */
    static LabelMapping camvid() {
        int[] lut = identity(11).lut.clone();
        lut[11] = LabelSpace.IGNORE;
        return new LabelMapping(lut, "0-10 are classes, 11 = Unlabelled, 255 = ignore");
    }

    /** Cityscapes labelIds (0..33) -> the 19 train ids; void ids -> ignore. */
    static LabelMapping cityscapes() {
        int[] trainIdOfLabelId = {
                255, 255, 255, 255, 255, 255, 255, // 0-6 unlabeled, ego vehicle, rectification border, out of roi, static, dynamic, ground
                0, 1, 255, 255,                    // 7 road, 8 sidewalk, 9 parking, 10 rail track
                2, 3, 4, 255, 255, 255,            // 11 building, 12 wall, 13 fence, 14 guard rail, 15 bridge, 16 tunnel
                5, 255, 6, 7,                      // 17 pole, 18 polegroup, 19 traffic light, 20 traffic sign
                8, 9, 10, 11, 12, 13, 14, 15,      // 21 vegetation, 22 terrain, 23 sky, 24 person, 25 rider, 26 car, 27 truck, 28 bus
                255, 255, 16, 17, 18               // 29 caravan, 30 trailer, 31 train, 32 motorcycle, 33 bicycle
        };
        int[] lut = new int[256];
        Arrays.fill(lut, INVALID);
        System.arraycopy(trainIdOfLabelId, 0, lut, 0, trainIdOfLabelId.length);
        lut[LabelSpace.IGNORE] = LabelSpace.IGNORE;
        return new LabelMapping(lut, "label ids 0-33, 255 = ignore");
    }

    /** Train id of a raw value, IGNORE, or -1 when invalid. */
    int map(int raw) {
        return raw >= 0 && raw < lut.length ? lut[raw] : INVALID;
    }

    int[] apply(IntImage raw, Path file, String format) {
        int[] v = raw.values();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            int m = map(v[i]);
            if (m == INVALID)
                throw new SemiactiveException("mask " + file + " has value " + v[i] + " at pixel (" + (i % raw.width())
                        + "," + (i / raw.width()) + "), which " + format + " does not define (" + meaning
                        + "): fix the mask or open the data with the format it was made for");
            out[i] = m;
        }
        return out;
    }
}
