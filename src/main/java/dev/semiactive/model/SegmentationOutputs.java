package dev.semiactive.model;

/**
 * The output convention of every segmentation network in the project (DJL has no forward hooks, so the
 * block returns its feature taps itself): {@code block.forward(...)} returns an NDList
 * <ol start="0">
 *   <li>logits, (N, K, H, W) at the input size</li>
 *   <li>F1 = ASPP output, (N, 256, H/16, W/16)</li>
 *   <li>F2 = decoder features before the classifier, (N, 256, H/4, W/4)</li>
 * </ol>
 */
public final class SegmentationOutputs {
    public static final int LOGITS = 0;
    public static final int F1 = 1;
    public static final int F2 = 2;

    private SegmentationOutputs() {
    }
}
