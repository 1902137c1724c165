package dev.semiactive.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import static dev.semiactive.model.ActivationLayer.Kind.RELU;

/**
 * EMD, the error mask decoder (SPEC "Model"): {@code NDList[F1, F2]} -> F1 resized (bilinear) to F2's
 * size, concatenated with F2 -> 3x3 conv-BN-ReLU -> 3x3 conv-BN-ReLU -> 1x1 conv -> {@code NDList[(N, 1,
 * H/4, W/4) logit]}.
 *
 * <p>The output is a LOGIT of "the segmentation network's prediction here is wrong": apply the sigmoid
 * in the caller (error mask: sigmoid > 0.5, i.e. logit > 0) or use a BCE-with-logits loss, which is
 * numerically safer than sigmoid + BCE. The EMD must not train the segmentation network: the CALLER
 * passes detached features ({@code f.stopGradient()}).
 */
public final class ErrorMaskDecoder extends AbstractBlock {
    private static final byte VERSION = 1;
    /** Default hidden width: 64 keeps the EMD at about a third of the decoder's cost at stride 4. */
    public static final int DEFAULT_HIDDEN_CHANNELS = 64;

    private final int hiddenChannels;
    private final Block head;

    private ErrorMaskDecoder(Builder builder) {
        super(VERSION);
        this.hiddenChannels = builder.hiddenChannels;
        head = addChildBlock("head", new ReleasingSequentialBlock()
                .add(Layers.convBnAct(hiddenChannels, 3, 1, 1, 1, RELU))
                .add(Layers.convBnAct(hiddenChannels, 3, 1, 1, 1, RELU))
                .add(Layers.conv(1, 1, 1, 1, 1, true)));
    }

    public static Builder builder() {
        return new Builder();
    }

    public int hiddenChannels() {
        return hiddenChannels;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        if (inputs.size() != 2) {
            throw new IllegalArgumentException("ErrorMaskDecoder expects NDList[F1, F2], got " + inputs.size()
                    + " arrays");
        }
        NDArray f1 = inputs.get(0);
        NDArray f2 = inputs.get(1);
        Shape s2 = f2.getShape();
        NDArray f1Up = NdOps.resizeBilinear(f1, (int) s2.get(2), (int) s2.get(3), false);
        NDArray concat = NDArrays.concat(new NDList(f1Up, f2), 1);
        return head.forward(parameterStore, new NDList(concat), training, params);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        head.initialize(manager, dataType, headInput(inputShapes));
    }

    private static Shape headInput(Shape[] inputShapes) {
        if (inputShapes.length != 2) {
            throw new IllegalArgumentException("ErrorMaskDecoder expects shapes of [F1, F2], got "
                    + inputShapes.length);
        }
        Shape f1 = inputShapes[0];
        Shape f2 = inputShapes[1];
        return new Shape(f2.get(0), f1.get(1) + f2.get(1), f2.get(2), f2.get(3));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape f2 = inputShapes[1];
        return new Shape[] {new Shape(f2.get(0), 1, f2.get(2), f2.get(3))};
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeInt(hiddenChannels);
    }

    @Override
    protected void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException("ErrorMaskDecoder parameters of version " + loadVersion
                    + ", expected " + VERSION);
        }
        readInputShapes(is);
        int saved = is.readInt();
        if (saved != hiddenChannels) {
            throw new MalformedModelException("the parameters are for an error mask decoder with " + saved
                    + " hidden channels but the network has " + hiddenChannels);
        }
    }

    @Override
    public String toString() {
        return "ErrorMaskDecoder(hidden " + hiddenChannels + ")";
    }

    /** Builder: everything optional. */
    public static final class Builder {
        private int hiddenChannels = DEFAULT_HIDDEN_CHANNELS;

        private Builder() {
        }

        /** Width of the two 3x3 convolutions (default {@value ErrorMaskDecoder#DEFAULT_HIDDEN_CHANNELS}). */
        public Builder optHiddenChannels(int hiddenChannels) {
            if (hiddenChannels < 1) {
                throw new IllegalArgumentException("hiddenChannels must be positive, got " + hiddenChannels);
            }
            this.hiddenChannels = hiddenChannels;
            return this;
        }

        public ErrorMaskDecoder build() {
            return new ErrorMaskDecoder(this);
        }
    }
}
