package dev.semiactive.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.semiactive.SemiactiveException;

/**
 * Everything needed to rebuild a segmentation network with the same parameter layout: checkpoints
 * carry it as JSON ({@link #toJson()} / {@link #fromJson(String)}) and {@link DeepLabV3Plus} writes it
 * into its parameter file so that loading into a different architecture fails with a clear message.
 *
 * @param backbone the encoder
 * @param widthMultiplier channel multiplier of MobileNetV2 and of the tiny encoder (1.0 = standard);
 *     must be 1.0 for the ResNets
 * @param inputChannels channels of the input image (3 RGB, 3 IRRG, 4 IRRG+DSM, ...)
 * @param numClasses number of classes K (logit channels)
 * @param outputStride stride of F1 (the ASPP input): 16 (default) or 8
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record ModelSpec(Backbone backbone, double widthMultiplier, int inputChannels, int numClasses,
                        int outputStride) {

    public static final int DEFAULT_OUTPUT_STRIDE = 16;
    /** F1/F2 width of the real DeepLabv3+ (SPEC: 256). */
    private static final int DEEPLAB_CHANNELS = 256;
    /** Low-level projection width of the real DeepLabv3+ (SPEC: 48). */
    private static final int DEEPLAB_LOW_LEVEL_CHANNELS = 48;
    private static final ObjectMapper JSON = new ObjectMapper();

    public ModelSpec {
        if (backbone == null) {
            throw new SemiactiveException("model spec: 'backbone' is missing: use one of mobilenetv2, "
                    + "resnet50, resnet101, tiny");
        }
        if (!(widthMultiplier > 0 && widthMultiplier <= 4)) {
            throw new SemiactiveException("model spec: widthMultiplier " + widthMultiplier
                    + " is out of range: use a value in (0, 4], e.g. 1.0 or 0.5");
        }
        if ((backbone == Backbone.RESNET50 || backbone == Backbone.RESNET101) && widthMultiplier != 1.0) {
            throw new SemiactiveException("model spec: widthMultiplier " + widthMultiplier + " given for "
                    + backbone + ": only mobilenetv2 and tiny have a width multiplier, set it to 1.0");
        }
        if (inputChannels < 1 || inputChannels > 64) {
            throw new SemiactiveException("model spec: inputChannels " + inputChannels
                    + " is out of range: use the number of image bands, 1..64 (3 for RGB/IRRG, 4 for IRRG+DSM)");
        }
        if (numClasses < 2 || numClasses > 1024) {
            throw new SemiactiveException("model spec: numClasses " + numClasses
                    + " is out of range: use the number of classes in the label space, 2..1024");
        }
        if (outputStride != 8 && outputStride != 16) {
            throw new SemiactiveException("model spec: outputStride " + outputStride
                    + " is not supported: use 16 (default) or 8");
        }
    }

    /** A spec with width 1.0 and output stride 16. */
    public static ModelSpec of(Backbone backbone, int inputChannels, int numClasses) {
        return new ModelSpec(backbone, 1.0, inputChannels, numClasses, DEFAULT_OUTPUT_STRIDE);
    }

    /** A MobileNetV2 spec at output stride 16. */
    public static ModelSpec mobileNetV2(double widthMultiplier, int inputChannels, int numClasses) {
        return new ModelSpec(Backbone.MOBILENETV2, widthMultiplier, inputChannels, numClasses,
                DEFAULT_OUTPUT_STRIDE);
    }

    /** The JSON/YAML creator: widthMultiplier (1.0) and outputStride (16) may be left out. */
    @JsonCreator
    static ModelSpec create(@JsonProperty("backbone") Backbone backbone,
                            @JsonProperty("widthMultiplier") Double widthMultiplier,
                            @JsonProperty("inputChannels") Integer inputChannels,
                            @JsonProperty("numClasses") Integer numClasses,
                            @JsonProperty("outputStride") Integer outputStride) {
        if (inputChannels == null) {
            throw new SemiactiveException("model spec: 'inputChannels' is missing: set it to the number of "
                    + "image bands (3 for RGB/IRRG, 4 for IRRG+DSM)");
        }
        if (numClasses == null) {
            throw new SemiactiveException("model spec: 'numClasses' is missing: set it to the number of "
                    + "classes in the label space");
        }
        return new ModelSpec(backbone, widthMultiplier == null ? 1.0 : widthMultiplier, inputChannels,
                numClasses, outputStride == null ? DEFAULT_OUTPUT_STRIDE : outputStride);
    }

    /** Channels of F1 (the ASPP output): 256, or 64*w (multiple of 8) for the tiny backbone. */
    public int f1Channels() {
        return backbone == Backbone.TINY ? makeDivisible(64 * widthMultiplier, 8) : DEEPLAB_CHANNELS;
    }

    /** Channels of F2 (decoder features before the classifier); equal to {@link #f1Channels()}. */
    public int f2Channels() {
        return f1Channels();
    }

    /** Channels the stride-4 low-level features are reduced to before the decoder: 48 (tiny: 16*w). */
    public int lowLevelProjectionChannels() {
        return backbone == Backbone.TINY ? makeDivisible(16 * widthMultiplier, 8) : DEEPLAB_LOW_LEVEL_CHANNELS;
    }

    /** Dilation rates of the three 3x3 ASPP branches: 6/12/18 at stride 16, doubled at stride 8. */
    public int[] asppRates() {
        int scale = DEFAULT_OUTPUT_STRIDE / outputStride;
        return new int[] {6 * scale, 12 * scale, 18 * scale};
    }

    /** @return the spec as one-line JSON */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write model spec as JSON", e);
        }
    }

    /**
     * @param json a spec written by {@link #toJson()} (or by hand)
     * @return the spec
     * @throws SemiactiveException when the JSON is malformed or a value is invalid
     */
    public static ModelSpec fromJson(String json) {
        try {
            return JSON.readValue(json, ModelSpec.class);
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof SemiactiveException se) {
                throw se;
            }
            throw new SemiactiveException("model spec JSON is invalid: " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof SemiactiveException se) {
                throw se;
            }
            throw new SemiactiveException("model spec JSON is invalid: " + e.getOriginalMessage()
                    + ": expected {\"backbone\":..,\"widthMultiplier\":..,\"inputChannels\":..,"
                    + "\"numClasses\":..,\"outputStride\":..}", e);
        }
    }

    /** One line for logs and error messages, e.g. {@code mobilenetv2 x1.0, 3 -> 11 classes, OS16}. */
    public String describe() {
        String width = (backbone == Backbone.MOBILENETV2 || backbone == Backbone.TINY)
                ? " x" + widthMultiplier : "";
        return backbone + width + ", " + inputChannels + " input channels -> " + numClasses
                + " classes, OS" + outputStride;
    }

    /** torchvision's _make_divisible: round to a multiple of {@code divisor}, never down by more than 10%. */
    static int makeDivisible(double value, int divisor) {
        int v = Math.max(divisor, (int) (value + divisor / 2.0) / divisor * divisor);
        if (v < 0.9 * value) {
            v += divisor;
        }
        return v;
    }
}
