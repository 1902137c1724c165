package dev.semiactive.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * NDArray operations DJL's engine-neutral API lacks. Results belong to the input's manager (as for any
 * DJL operation) and keep the autograd graph.
 *
 * <p><b>Constants in differentiable code go through {@link #scale} / {@link #scalar}, never a Java number.</b>
 * DJL's PyTorch {@code x.mul(2f)} (likewise {@code div}, {@code maximum}, {@code minimum}, {@code pow} with a
 * {@code Number}) wraps the number in a tensor over a fresh Java direct buffer (from_blob), runs the op and
 * closes that tensor. Autograd has saved it for the backward pass, but the buffer is now garbage: once the
 * Java GC frees it, the backward reads freed memory. Gradients then come out scaled by whatever was
 * written there since (measured: 3.4e38 or 0 instead of 3), which is how TSF runs diverged or differed
 * between two runs of the same seed (BENCHMARKS.md, "Label efficiency"). A scalar made here lives in memory
 * libtorch owns and reference-counts, so the graph keeps it alive. {@code add}/{@code sub} with a number
 * are safe (their backward does not read the other operand), and so is any Number op with autograd off.
 */
public final class NdOps {
    /** libtorch's interpolation mode codes (djl pytorch-native utils::GetInterpolationMode). */
    private static final int TORCH_NEAREST = 0;
    private static final int TORCH_BILINEAR = 2;
    /** F.interpolate(x, size, mode="bilinear", align_corners=False) as TorchScript: libtorch's plain kernel. */
    private static final ScriptedOp BILINEAR = new ScriptedOp("Bilinear", """
            class Bilinear(Module):
              __parameters__ = []
              __buffers__ = []
              training : bool
              def forward(self: __torch__.Bilinear,
                x: Tensor,
                size: Tensor) -> Tensor:
                return torch.upsample_bilinear2d(x, [int(size[0]), int(size[1])], False, None)
            """, "bilinear upsampling falls back to DJL's antialiased kernel (slower backward)");
    /** x.contiguous(memory_format=torch.channels_last): DJL's API has no memory formats (ChannelsLast=2 in TorchScript). */
    private static final ScriptedOp CHANNELS_LAST = new ScriptedOp("ChannelsLast", """
            class ChannelsLast(Module):
              __parameters__ = []
              __buffers__ = []
              training : bool
              def forward(self: __torch__.ChannelsLast,
                x: Tensor) -> Tensor:
                return torch.contiguous(x, memory_format=2)
            """, "channels-last memory format unavailable: networks run in NCHW");
    /**
     * Whether networks lay their input out channels-last (docs/speed.md, "Memory format"): on unless
     * SEMIACTIVE_MEMORY_FORMAT=nchw. Not final so that a test can compare both layouts in one process.
     */
    private static volatile boolean channelsLastInputs = !"nchw".equals(System.getenv("SEMIACTIVE_MEMORY_FORMAT"));
    /** SEMIACTIVE_BILINEAR=aa: upsample with DJL's antialiased kernel instead (speed comparisons). */
    static final boolean ANTIALIASED_BILINEAR = "aa".equals(System.getenv("SEMIACTIVE_BILINEAR"));

    private NdOps() {
    }

    /**
     * The same values laid out channels-last (NHWC strides, shape unchanged): oneDNN's convolutions then keep
     * that layout through the network instead of reordering NCHW around every call. Returns x itself (no copy)
     * where the layout is unavailable.
     */
    public static NDArray channelsLast(NDArray x) {
        return channelsLastInputs ? toChannelsLast(x) : x;
    }

    /** Sets whether {@link #channelsLast} changes the layout; returns the previous setting (tests). */
    static boolean useChannelsLast(boolean on) {
        boolean before = channelsLastInputs;
        channelsLastInputs = on;
        return before;
    }

    /** {@link #channelsLast} whatever the setting (tests). */
    static NDArray toChannelsLast(NDArray x) {
        if (!CHANNELS_LAST.available()) return x;
        return CHANNELS_LAST.call(new NDList(x)).singletonOrThrow();
    }

    /** Whether the channels-last TorchScript module loads (tests, diagnostics). */
    static boolean channelsLastScriptLoaded() {
        return CHANNELS_LAST.available();
    }

    /** Whether bilinear upsampling runs through the TorchScript module (tests, diagnostics). */
    static boolean bilinearScriptLoaded() {
        return BILINEAR.available();
    }

    /** A 0-d array of x's type holding {@code value}, in libtorch-owned memory: safe to save for a backward pass. */
    public static NDArray scalar(NDArray like, double value) {
        return like.getManager().full(new Shape(), (float) value, like.getDataType());
    }

    /** {@code x * factor}, differentiable, without DJL's from_blob scalar (class comment). */
    public static NDArray scale(NDArray x, double factor) {
        try (NDArray f = scalar(x, factor)) {
            return x.mul(f);
        }
    }

    /**
     * Bilinear resize of the last two axes to exactly (h, w), with the semantics of PyTorch's
     * {@code F.interpolate(x, size=(h, w), mode="bilinear", align_corners=alignCorners)} (no antialiasing).
     *
     * <p>DJL's {@code NDArrayEx.interpolation} drops the align-corners flag, and the libtorch call under
     * it turns antialiasing on, which changes downsampling and breaks align_corners=true. So libtorch is
     * called directly only where that is exact (upsampling or same size, align_corners=false: every
     * resize inside the networks); other cases are computed as two interpolation-matrix products.
     *
     * @param x a float array of shape (H, W), (C, H, W) or (N, C, H, W) from the PyTorch engine
     * @param alignCorners PyTorch's align_corners: false (the DeepLab/torchvision default) maps pixel
     *     areas, true maps corner pixel centres onto each other
     * @return a new array of the same rank with the last two axes (h, w), in x's manager, differentiable
     */
    public static NDArray resizeBilinear(NDArray x, int h, int w, boolean alignCorners) {
        if (!x.getDataType().isFloating()) {
            throw new IllegalArgumentException("resizeBilinear needs a floating-point array, got "
                    + x.getDataType() + ": use resizeNearest for labels");
        }
        checkResize(x, h, w);
        Shape shape = x.getShape();
        int rank = shape.dimension();
        long inH = shape.get(rank - 2);
        long inW = shape.get(rank - 1);
        if (!alignCorners && h >= inH && w >= inW) {
            return interpolate(x, h, w, TORCH_BILINEAR, false);
        }
        return resizeByMatrices(x, h, w, alignCorners);
    }

    /** y = R_h . x . R_w^T over the last two axes, with PyTorch's bilinear source-index rule. */
    static NDArray resizeByMatrices(NDArray x, int h, int w, boolean alignCorners) {
        Shape shape = x.getShape();
        int rank = shape.dimension();
        int inH = (int) shape.get(rank - 2);
        int inW = (int) shape.get(rank - 1);
        try (NDArray rwT = matrix(x, transpose(interpolationMatrix(inW, w, alignCorners), w, inW), new Shape(inW, w));
             NDArray rh = matrix(x, interpolationMatrix(inH, h, alignCorners), new Shape(h, inH));
             NDArray alongW = x.matMul(rwT)) {
            // (h, H) @ (..., H, w) broadcasts over the leading axes
            return rh.matMul(alongW);
        }
    }

    /**
     * A constant matrix in x's manager and type, in memory libtorch owns: the matrix product saves it for
     * the backward pass, and {@code create(float[])} would leave it on a Java buffer the GC may free (class comment).
     */
    private static NDArray matrix(NDArray x, float[] values, Shape shape) {
        NDManager manager = x.getManager();
        try (NDArray f = manager.create(values, shape)) {
            return x.getDataType() == DataType.FLOAT32 ? f.duplicate() : f.toType(x.getDataType(), true);
        }
    }

    private static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[m.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = m[r * cols + c];
            }
        }
        return t;
    }

    /**
     * Row-major (out x in) matrix whose row i holds the two bilinear weights of output index i
     * (aten's area_pixel_compute_source_index for linear modes).
     */
    static float[] interpolationMatrix(int in, int out, boolean alignCorners) {
        float[] m = new float[out * in];
        for (int i = 0; i < out; i++) {
            double src;
            if (alignCorners) {
                src = out > 1 ? i * (double) (in - 1) / (out - 1) : 0;
            } else {
                src = Math.max(0, (i + 0.5) * in / out - 0.5);
            }
            int i0 = Math.min((int) Math.floor(src), in - 1);
            int i1 = Math.min(i0 + 1, in - 1);
            double lambda = src - i0;
            m[i * in + i0] += (float) (1 - lambda);
            m[i * in + i1] += (float) lambda;
        }
        return m;
    }

    /**
     * Nearest-neighbour resize of the last two axes to (h, w) (PyTorch mode="nearest"), for label maps
     * and masks. Integer arrays are resized through float32 (exact for labels below 2^24) and returned
     * in their own type.
     *
     * @param x an array of shape (H, W), (C, H, W) or (N, C, H, W) from the PyTorch engine
     */
    public static NDArray resizeNearest(NDArray x, int h, int w) {
        DataType type = x.getDataType();
        if (type == DataType.FLOAT32) {
            return interpolate(x, h, w, TORCH_NEAREST, false);
        }
        try (NDArray asFloat = x.toType(DataType.FLOAT32, false);
             NDArray resized = interpolate(asFloat, h, w, TORCH_NEAREST, false)) {
            return resized.toType(type, false);
        }
    }

    private static void checkResize(NDArray x, int h, int w) {
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException("cannot resize to " + h + "x" + w);
        }
        if (!(x instanceof PtNDArray)) {
            throw new IllegalArgumentException("NdOps needs the PyTorch engine, got "
                    + x.getClass().getName());
        }
        int rank = x.getShape().dimension();
        if (rank < 2 || rank > 4) {
            throw new IllegalArgumentException("resize needs (H,W), (C,H,W) or (N,C,H,W), got " + x.getShape());
        }
    }

    private static NDArray interpolate(NDArray x, int h, int w, int mode, boolean alignCorners) {
        checkResize(x, h, w);
        Shape shape = x.getShape();
        int rank = shape.dimension();
        if (rank == 4) {
            return interpolate4d(x, h, w, mode, alignCorners);
        }
        // libtorch's 2-D interpolation wants (N, C, H, W): add the missing leading axes and drop them again
        Shape as4d = rank == 3 ? new Shape(1, shape.get(0), shape.get(1), shape.get(2))
                : new Shape(1, 1, shape.get(0), shape.get(1));
        try (NDArray x4 = x.reshape(as4d);
             NDArray y4 = interpolate4d(x4, h, w, mode, alignCorners)) {
            Shape out = rank == 3 ? new Shape(shape.get(0), h, w) : new Shape(h, w);
            return y4.reshape(out);
        }
    }

    /**
     * Bilinear upsampling without align_corners goes through {@link #BILINEAR} (libtorch's plain
     * upsample_bilinear2d, as PyTorch's F.interpolate); everything else through DJL's JNI, which asks for
     * the antialiased kernel: the same values when upsampling, but a backward about twice as slow.
     */
    private static NDArray interpolate4d(NDArray x, int h, int w, int mode, boolean alignCorners) {
        if (mode == TORCH_BILINEAR && !alignCorners && !ANTIALIASED_BILINEAR && BILINEAR.available()) {
            NDArray size;
            try (NDArray javaBacked = x.getManager().create(new long[] {h, w})) {
                size = javaBacked.duplicate(); // owned memory, as every constant handed to libtorch (class comment)
            }
            try (size) {
                return BILINEAR.call(new NDList(x, size)).singletonOrThrow();
            }
        }
        return JniUtils.interpolate((PtNDArray) x, new long[] {h, w}, mode, alignCorners);
    }
}
