package dev.semiactive.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.semiactive.SemiactiveException;
import dev.semiactive.data.LabelSpace;
import dev.semiactive.data.Sample;

import java.util.List;

/**
 * A batch in Java memory, already normalised: built on a loader thread, turned into NDArrays on the
 * training thread inside the step's manager.
 *
 * @param ids      sample ids in batch order
 * @param channels C
 * @param height   H
 * @param width    W
 * @param images   N*C*H*W normalised floats
 * @param masks    N*H*W class ids (255 = ignore), or null when no sample of the batch has a mask
 */
public record HostBatch(List<String> ids, int channels, int height, int width, float[] images, int[] masks) {
    public int size() {
        return ids.size();
    }

    public boolean labelled() {
        return masks != null;
    }

    /** Stacks samples of one size; samples without a mask get all-ignore masks if another sample has one. */
    public static HostBatch stack(List<Sample> samples, Normalization normalization) {
        if (samples.isEmpty()) throw new IllegalArgumentException("empty batch");
        Sample first = samples.get(0);
        int c = first.channels(), h = first.height(), w = first.width(), plane = h * w;
        boolean anyMask = samples.stream().anyMatch(Sample::labelled);
        float[] images = new float[samples.size() * c * plane];
        int[] masks = anyMask ? new int[samples.size() * plane] : null;
        String[] ids = new String[samples.size()];
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            if (s.channels() != c || s.height() != h || s.width() != w)
                throw new SemiactiveException("sample " + s.id() + " is " + s.channels() + "x" + s.height() + "x" + s.width()
                        + " but sample " + first.id() + " of the same batch is " + c + "x" + h + "x" + w
                        + ": a dataset's samples must share the working resolution (configure resize/tiling)");
            ids[i] = s.id();
            normalization.apply(s.image(), c, plane, images, i * c * plane);
            if (masks != null) {
                if (s.mask() != null) System.arraycopy(s.mask(), 0, masks, i * plane, plane);
                else java.util.Arrays.fill(masks, i * plane, (i + 1) * plane, LabelSpace.IGNORE);
            }
        }
        return new HostBatch(List.of(ids), c, h, w, images, masks);
    }

    /** (N,C,H,W) float32 in {@code manager}. */
    public NDArray imagesArray(NDManager manager) {
        return NativeStaging.floats(manager, images, new Shape(size(), channels, height, width));
    }

    /** (N,H,W) int64 in {@code manager}; throws if the batch has no masks. */
    public NDArray masksArray(NDManager manager) {
        if (masks == null) throw new IllegalStateException("batch " + ids + " has no masks");
        return NativeStaging.int64(manager, masks, new Shape(size(), height, width));
    }
}
