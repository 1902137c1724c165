package dev.semiactive.model;

import ai.djl.nn.Block;

import static dev.semiactive.model.ActivationLayer.Kind.RELU;
import static dev.semiactive.model.ActivationLayer.Kind.RELU6;

/**
 * Builds the {@link Encoder} of each {@link Backbone}. Stages whose stride would exceed the output
 * stride keep stride 1 and dilate instead (the first block of such a stage keeps the previous
 * dilation, as in torchvision's {@code replace_stride_with_dilation}).
 */
final class Encoders {
    /** MobileNetV2 inverted-residual settings (expansion t, channels c, repeats n, stride s). */
    private static final int[][] MOBILENET_V2_SETTINGS = {
        {1, 16, 1, 1}, {6, 24, 2, 2}, // -> stride 4: the low-level features end here
        {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1},
    };
    /** Number of setting groups that belong to the low-level (stride-4) part. */
    private static final int MOBILENET_V2_LOW_GROUPS = 2;
    private static final int[] RESNET50_BLOCKS = {3, 4, 6, 3};
    private static final int[] RESNET101_BLOCKS = {3, 4, 23, 3};

    private Encoders() {
    }

    static Encoder forSpec(ModelSpec spec) {
        return switch (spec.backbone()) {
            case MOBILENETV2 -> mobileNetV2(spec.widthMultiplier(), spec.outputStride());
            case RESNET50 -> resNet(RESNET50_BLOCKS, spec.outputStride());
            case RESNET101 -> resNet(RESNET101_BLOCKS, spec.outputStride());
            case TINY -> tiny(spec.widthMultiplier(), spec.outputStride());
        };
    }

    /** Tracks the running stride and dilation while stages are appended. */
    private static final class StrideTracker {
        private final int outputStride;
        private int stride;
        private int dilation = 1;
        /** Stride and dilation for the first block of the stage just planned, then for the others. */
        private int firstStride;
        private int firstDilation;

        StrideTracker(int outputStride, int initialStride) {
            this.outputStride = outputStride;
            this.stride = initialStride;
        }

        /** Plans a stage that asks for {@code s}; afterwards read firstStride/firstDilation/dilation. */
        void plan(int s) {
            firstDilation = dilation;
            if (s > 1 && stride >= outputStride) {
                firstStride = 1;
                dilation *= s;
            } else {
                firstStride = s;
                stride *= s;
            }
        }
    }

    static Encoder mobileNetV2(double width, int outputStride) {
        int inChannels = ModelSpec.makeDivisible(32 * width, 8);
        ReleasingSequentialBlock low = new ReleasingSequentialBlock().add(Layers.convBnAct(inChannels, 3, 2, 1, 1, RELU6));
        ReleasingSequentialBlock high = new ReleasingSequentialBlock();
        StrideTracker tracker = new StrideTracker(outputStride, 2);
        for (int g = 0; g < MOBILENET_V2_SETTINGS.length; g++) {
            int[] setting = MOBILENET_V2_SETTINGS[g];
            int t = setting[0];
            int out = ModelSpec.makeDivisible(setting[1] * width, 8);
            int n = setting[2];
            tracker.plan(setting[3]);
            ReleasingSequentialBlock target = g < MOBILENET_V2_LOW_GROUPS ? low : high;
            for (int i = 0; i < n; i++) {
                int stride = i == 0 ? tracker.firstStride : 1;
                int dilation = i == 0 ? tracker.firstDilation : tracker.dilation;
                target.add(invertedResidual(inChannels, out, stride, dilation, t));
                inChannels = out;
            }
        }
        return new Encoder(low, high);
    }

    private static Block invertedResidual(int in, int out, int stride, int dilation, int expansion) {
        int hidden = Math.round(in * (float) expansion);
        ReleasingSequentialBlock main = new ReleasingSequentialBlock();
        if (expansion != 1) {
            main.add(Layers.convBnAct(hidden, 1, 1, 1, 1, RELU6));
        }
        main.add(Layers.convBnAct(hidden, 3, stride, dilation, hidden, RELU6)) // depthwise
                .add(Layers.convBn(out, 1, 1, 1, 1)); // linear bottleneck
        boolean identity = stride == 1 && in == out;
        return identity ? new ResidualBlock(main, null, false) : main;
    }

    static Encoder resNet(int[] blocks, int outputStride) {
        ReleasingSequentialBlock low = new ReleasingSequentialBlock()
                .add(Layers.convBnAct(64, 7, 2, 1, 1, RELU))
                .add(new MaxPoolLayer());
        ReleasingSequentialBlock high = new ReleasingSequentialBlock();
        StrideTracker tracker = new StrideTracker(outputStride, 4);
        int inChannels = 64;
        int[] planes = {64, 128, 256, 512};
        for (int stage = 0; stage < 4; stage++) {
            tracker.plan(stage == 0 ? 1 : 2);
            ReleasingSequentialBlock target = stage == 0 ? low : high;
            for (int i = 0; i < blocks[stage]; i++) {
                int stride = i == 0 ? tracker.firstStride : 1;
                int dilation = i == 0 ? tracker.firstDilation : tracker.dilation;
                target.add(bottleneck(inChannels, planes[stage], stride, dilation));
                inChannels = planes[stage] * 4;
            }
        }
        return new Encoder(low, high);
    }

    private static Block bottleneck(int in, int planes, int stride, int dilation) {
        int out = planes * 4;
        ReleasingSequentialBlock main = new ReleasingSequentialBlock()
                .add(Layers.convBnAct(planes, 1, 1, 1, 1, RELU))
                .add(Layers.convBnAct(planes, 3, stride, dilation, 1, RELU))
                .add(Layers.convBn(out, 1, 1, 1, 1));
        Block shortcut = (stride != 1 || in != out) ? Layers.convBn(out, 1, stride, 1, 1) : null;
        return new ResidualBlock(main, shortcut, true);
    }

    /**
     * Plain conv-BN-ReLU stack: 16w (s2), 24w (s2, the stride-4 low-level features), 48w (s2),
     * 64w (s2, or dilated at OS8), 64w (dilated 2 at OS16, 4 at OS8).
     */
    static Encoder tiny(double width, int outputStride) {
        int c1 = ModelSpec.makeDivisible(16 * width, 8);
        int c2 = ModelSpec.makeDivisible(24 * width, 8);
        int c3 = ModelSpec.makeDivisible(48 * width, 8);
        int c4 = ModelSpec.makeDivisible(64 * width, 8);
        ReleasingSequentialBlock low = new ReleasingSequentialBlock()
                .add(Layers.convBnAct(c1, 3, 2, 1, 1, RELU))
                .add(Layers.convBnAct(c2, 3, 2, 1, 1, RELU));
        StrideTracker tracker = new StrideTracker(outputStride, 4);
        ReleasingSequentialBlock high = new ReleasingSequentialBlock();
        tracker.plan(2);
        high.add(Layers.convBnAct(c3, 3, tracker.firstStride, tracker.firstDilation, 1, RELU));
        tracker.plan(2);
        high.add(Layers.convBnAct(c4, 3, tracker.firstStride, tracker.firstDilation, 1, RELU));
        tracker.plan(2); // a virtual stride-32 stage, always dilated: widens the receptive field
        high.add(Layers.convBnAct(c4, 3, tracker.firstStride, tracker.dilation, 1, RELU));
        return new Encoder(low, high);
    }
}
