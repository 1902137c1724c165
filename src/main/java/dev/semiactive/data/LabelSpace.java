package dev.semiactive.data;

import java.util.List;

/**
 * The classes of a dataset: names and display colours, index = class id. Lives with the dataset
 * (mmsegmentation style), travels into checkpoints so a model knows what it predicts.
 *
 * @param classNames  class names, index = class id (0..K-1)
 * @param paletteRgb  one 0xRRGGBB colour per class, same order
 */
public record LabelSpace(List<String> classNames, List<Integer> paletteRgb) {
    /** Mask value meaning "no label here": unlabelled pixels, void classes, not-yet-queried regions. */
    public static final int IGNORE = 255;

    public LabelSpace {
        classNames = List.copyOf(classNames);
        paletteRgb = List.copyOf(paletteRgb);
        if (classNames.isEmpty()) throw new IllegalArgumentException("a label space needs at least one class");
        if (classNames.size() != paletteRgb.size())
            throw new IllegalArgumentException("classNames and paletteRgb differ in length");
        if (classNames.size() >= IGNORE) throw new IllegalArgumentException("at most 254 classes");
    }

    public int numClasses() {
        return classNames.size();
    }
}
