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
import dev.semiactive.SemiactiveException;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Objects;

import static dev.semiactive.model.ActivationLayer.Kind.RELU;

/**
 * DeepLabv3+ (SPEC "Model"): encoder at the spec's output stride, {@link Aspp}, decoder (stride-4
 * low-level features -> 1x1 conv-BN-ReLU to 48 ch, concatenated with the ASPP output resized to the
 * low-level size, two 3x3 conv-BN-ReLU of 256 = F2), 1x1 classifier, bilinear resize to the input size.
 *
 * <p>{@code forward} takes {@code NDList[(N, C, H, W) image]} and returns, per {@link SegmentationOutputs},
 * {@code NDList[logits (N, K, H, W), F1 (N, f1, ceil(H/os), ceil(W/os)), F2 (N, f2, ceil(H/4), ceil(W/4))]}.
 * Any H, W work: every resize goes to the exact size of its target, so sizes that are not multiples of
 * 16 (e.g. 180) line up. Resizes use align_corners=false (torchvision's choice).
 *
 * <p>The parameter file written by {@code saveParameters} embeds the {@link ModelSpec}; loading a file
 * written for another spec fails with a {@link MalformedModelException} that names both.
 */
public final class DeepLabV3Plus extends AbstractBlock {
    private static final byte VERSION = 1;

    private final ModelSpec spec;
    private final Encoder encoder;
    private final Aspp aspp;
    private final Block lowLevelProjection;
    private final Block decoder;
    private final Block classifier;

    private DeepLabV3Plus(Builder builder) {
        super(VERSION);
        this.spec = builder.spec;
        int channels = spec.f1Channels();
        encoder = addChildBlock("encoder", Encoders.forSpec(spec));
        aspp = addChildBlock("aspp", new Aspp(channels, spec.asppRates()));
        lowLevelProjection = addChildBlock("lowLevelProjection",
                Layers.convBnAct(spec.lowLevelProjectionChannels(), 1, 1, 1, 1, RELU));
        decoder = addChildBlock("decoder", new ReleasingSequentialBlock()
                .add(Layers.convBnAct(spec.f2Channels(), 3, 1, 1, 1, RELU))
                .add(Layers.convBnAct(spec.f2Channels(), 3, 1, 1, 1, RELU)));
        classifier = addChildBlock("classifier", Layers.conv(spec.numClasses(), 1, 1, 1, 1, true));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** @return the spec this network was built from */
    public ModelSpec spec() {
        return spec;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        checkInput(x.getShape());
        NDArray laidOut = NdOps.channelsLast(x);
        NDList features = encoder.forward(parameterStore, laidOut == x ? inputs : new NDList(laidOut), training, params);
        if (laidOut != x) laidOut.close();
        NDArray low = features.get(Encoder.LOW);
        NDArray high = features.get(Encoder.HIGH);
        NDArray f1 = aspp.forward(parameterStore, new NDList(high), training, params).singletonOrThrow();
        NDArray lowProjected = lowLevelProjection.forward(parameterStore, new NDList(low), training, params)
                .singletonOrThrow();
        Shape lowShape = low.getShape();
        // intermediates are closed once consumed, as in ReleasingSequentialBlock (why: its class comment)
        high.close();
        low.close();
        NDArray f1Up = NdOps.resizeBilinear(f1, (int) lowShape.get(2), (int) lowShape.get(3), false);
        NDArray decoderIn = NDArrays.concat(new NDList(f1Up, lowProjected), 1);
        f1Up.close();
        lowProjected.close();
        NDArray f2 = decoder.forward(parameterStore, new NDList(decoderIn), training, params).singletonOrThrow();
        decoderIn.close();
        NDArray coarse = classifier.forward(parameterStore, new NDList(f2), training, params).singletonOrThrow();
        Shape in = x.getShape();
        NDArray logits = NdOps.resizeBilinear(coarse, (int) in.get(2), (int) in.get(3), false);
        coarse.close();
        return new NDList(logits, f1, f2);
    }

    private void checkInput(Shape shape) {
        if (shape.dimension() != 4 || shape.get(1) != spec.inputChannels()) {
            throw new IllegalArgumentException("DeepLabV3Plus (" + spec.describe() + ") expects input (N, "
                    + spec.inputChannels() + ", H, W), got " + shape);
        }
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        checkInput(inputShapes[0]);
        encoder.initialize(manager, dataType, inputShapes);
        Shape[] features = encoder.getOutputShapes(inputShapes);
        Shape high = features[Encoder.HIGH];
        Shape low = features[Encoder.LOW];
        aspp.initialize(manager, dataType, high);
        lowLevelProjection.initialize(manager, dataType, low);
        decoder.initialize(manager, dataType, decoderInput(low));
        classifier.initialize(manager, dataType, f2Shape(low));
    }

    private Shape decoderInput(Shape low) {
        return new Shape(low.get(0), spec.f1Channels() + spec.lowLevelProjectionChannels(), low.get(2), low.get(3));
    }

    private Shape f2Shape(Shape low) {
        return new Shape(low.get(0), spec.f2Channels(), low.get(2), low.get(3));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        Shape[] features = encoder.getOutputShapes(inputShapes);
        Shape high = features[Encoder.HIGH];
        Shape low = features[Encoder.LOW];
        return new Shape[] {
            new Shape(in.get(0), spec.numClasses(), in.get(2), in.get(3)),
            new Shape(in.get(0), spec.f1Channels(), high.get(2), high.get(3)),
            f2Shape(low),
        };
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeUTF(spec.toJson());
    }

    @Override
    protected void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException("DeepLabV3Plus parameters of version " + loadVersion
                    + ", expected " + VERSION);
        }
        readInputShapes(is);
        String json = is.readUTF();
        ModelSpec saved;
        try {
            saved = ModelSpec.fromJson(json);
        } catch (SemiactiveException e) {
            throw new MalformedModelException("the stored model spec is unreadable: " + e.getMessage());
        }
        if (!saved.equals(spec)) {
            throw new MalformedModelException("the parameters are for DeepLabv3+ " + saved.describe()
                    + " but the network is " + spec.describe());
        }
    }

    @Override
    public String toString() {
        return "DeepLabV3Plus(" + spec.describe() + ")";
    }

    /** Builder: {@link #setSpec(ModelSpec)} is required. */
    public static final class Builder {
        private ModelSpec spec;

        private Builder() {
        }

        public Builder setSpec(ModelSpec spec) {
            this.spec = spec;
            return this;
        }

        public DeepLabV3Plus build() {
            Objects.requireNonNull(spec, "DeepLabV3Plus.Builder: setSpec is required");
            return new DeepLabV3Plus(this);
        }
    }
}
