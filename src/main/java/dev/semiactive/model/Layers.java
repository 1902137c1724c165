package dev.semiactive.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;

/** Factories for the convolution building blocks shared by the encoders, ASPP, decoder and EMD. */
final class Layers {
    private Layers() {
    }

    /**
     * A square convolution with "same" padding for odd kernels: padding = (k - 1) / 2 * dilation, so a
     * stride-1 convolution keeps the size and a stride-2 one gives ceil(size / 2).
     */
    static Conv2d conv(int filters, int kernel, int stride, int dilation, int groups, boolean bias) {
        int pad = (kernel - 1) / 2 * dilation;
        return Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .setFilters(filters)
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(pad, pad))
                .optDilation(new Shape(dilation, dilation))
                .optGroups(groups)
                .optBias(bias)
                .build();
    }

    /** BatchNorm with PyTorch's defaults (eps 1e-5, momentum 0.1 = DJL's 0.9). */
    static BatchNorm batchNorm() {
        return BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build();
    }

    /** conv (no bias: BatchNorm follows) -> BN -> activation. */
    static ReleasingSequentialBlock convBnAct(int filters, int kernel, int stride, int dilation, int groups,
                                     ActivationLayer.Kind activation) {
        return convBn(filters, kernel, stride, dilation, groups).add(new ActivationLayer(activation));
    }

    /** conv (no bias) -> BN, without activation (MobileNetV2's linear bottleneck, ResNet's last conv). */
    static ReleasingSequentialBlock convBn(int filters, int kernel, int stride, int dilation, int groups) {
        return new ReleasingSequentialBlock()
                .add(conv(filters, kernel, stride, dilation, groups, false))
                .add(batchNorm());
    }

    /** Output size of a convolution or pooling along one axis (PyTorch's floor formula). */
    static long convOut(long in, int kernel, int stride, int pad, int dilation) {
        return (in + 2L * pad - (long) dilation * (kernel - 1) - 1) / stride + 1;
    }
}
