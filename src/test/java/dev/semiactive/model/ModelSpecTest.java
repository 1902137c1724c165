package dev.semiactive.model;

import dev.semiactive.SemiactiveException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelSpecTest {

    @Test
    void jsonRoundTripsEveryBackbone() {
        for (Backbone b : Backbone.values()) {
            double width = (b == Backbone.MOBILENETV2 || b == Backbone.TINY) ? 0.75 : 1.0;
            ModelSpec spec = new ModelSpec(b, width, 4, 6, 8);
            String json = spec.toJson();
            assertThat(json).contains("\"backbone\":\"" + b.id() + "\"");
            assertThat(ModelSpec.fromJson(json)).isEqualTo(spec);
        }
    }

    @Test
    void jsonDefaultsWidthAndOutputStride() {
        ModelSpec spec = ModelSpec.fromJson("{\"backbone\":\"MobileNetV2\",\"inputChannels\":3,\"numClasses\":11}");
        assertThat(spec).isEqualTo(new ModelSpec(Backbone.MOBILENETV2, 1.0, 3, 11, 16));
    }

    @Test
    void badJsonGivesOneLineMessagesNamingTheFix() {
        assertThatThrownBy(() -> ModelSpec.fromJson("{\"backbone\":\"vgg\",\"inputChannels\":3,\"numClasses\":11}"))
                .isInstanceOf(SemiactiveException.class)
                .hasMessageContaining("unknown backbone 'vgg'").hasMessageContaining("mobilenetv2, resnet50");
        assertThatThrownBy(() -> ModelSpec.fromJson("{\"backbone\":\"tiny\",\"numClasses\":11}"))
                .isInstanceOf(SemiactiveException.class).hasMessageContaining("'inputChannels' is missing");
        assertThatThrownBy(() -> ModelSpec.fromJson("{\"backbone\":\"tiny\",\"inputChannels\":3,\"numClasses\":11,"
                + "\"outputStride\":32}"))
                .isInstanceOf(SemiactiveException.class).hasMessageContaining("outputStride 32");
        assertThatThrownBy(() -> ModelSpec.fromJson("{\"backbone\":\"tiny\",\"inputChannels\":3,\"numClasses\":11,"
                + "\"colour\":1}"))
                .isInstanceOf(SemiactiveException.class).hasMessageContaining("colour");
        assertThatThrownBy(() -> ModelSpec.fromJson("{not json"))
                .isInstanceOf(SemiactiveException.class).hasMessageContaining("model spec JSON is invalid");
        for (SemiactiveException e : new SemiactiveException[] {
            catchSemiactive("{\"backbone\":\"vgg\",\"inputChannels\":3,\"numClasses\":11}"),
            catchSemiactive("{not json")}) {
            assertThat(e.getMessage()).doesNotContain("\n");
        }
    }

    private static SemiactiveException catchSemiactive(String json) {
        try {
            ModelSpec.fromJson(json);
        } catch (SemiactiveException e) {
            return e;
        }
        throw new AssertionError("no exception for " + json);
    }

    @Test
    void constructorValidates() {
        assertThatThrownBy(() -> new ModelSpec(Backbone.RESNET50, 0.5, 3, 11, 16))
                .isInstanceOf(SemiactiveException.class).hasMessageContaining("only mobilenetv2 and tiny");
        assertThatThrownBy(() -> new ModelSpec(Backbone.MOBILENETV2, 0, 3, 11, 16))
                .isInstanceOf(SemiactiveException.class).hasMessageContaining("widthMultiplier");
        assertThatThrownBy(() -> new ModelSpec(Backbone.MOBILENETV2, 1, 0, 11, 16))
                .isInstanceOf(SemiactiveException.class).hasMessageContaining("inputChannels 0");
        assertThatThrownBy(() -> new ModelSpec(Backbone.MOBILENETV2, 1, 3, 1, 16))
                .isInstanceOf(SemiactiveException.class).hasMessageContaining("numClasses 1");
        assertThatThrownBy(() -> new ModelSpec(null, 1, 3, 11, 16))
                .isInstanceOf(SemiactiveException.class).hasMessageContaining("'backbone' is missing");
    }

    @Test
    void featureChannelsAndRates() {
        ModelSpec mnv2 = ModelSpec.mobileNetV2(0.5, 3, 11);
        assertThat(mnv2.f1Channels()).isEqualTo(256);
        assertThat(mnv2.f2Channels()).isEqualTo(256);
        assertThat(mnv2.lowLevelProjectionChannels()).isEqualTo(48);
        assertThat(mnv2.asppRates()).containsExactly(6, 12, 18);
        ModelSpec tiny = new ModelSpec(Backbone.TINY, 0.5, 3, 11, 8);
        assertThat(tiny.f1Channels()).isEqualTo(32);
        assertThat(tiny.f2Channels()).isEqualTo(32);
        assertThat(tiny.lowLevelProjectionChannels()).isEqualTo(8);
        assertThat(tiny.asppRates()).containsExactly(12, 24, 36);
        assertThat(ModelSpec.of(Backbone.TINY, 3, 11).f1Channels()).isEqualTo(64);
    }

    @Test
    void makeDivisibleMatchesTorchvision() {
        // values of torchvision.models._utils._make_divisible
        assertThat(ModelSpec.makeDivisible(32 * 0.5, 8)).isEqualTo(16);
        assertThat(ModelSpec.makeDivisible(24 * 0.75, 8)).isEqualTo(24); // 16 would lose more than 10%
        assertThat(ModelSpec.makeDivisible(32 * 1.4, 8)).isEqualTo(48);
        assertThat(ModelSpec.makeDivisible(16 * 0.35, 8)).isEqualTo(8);
        assertThat(ModelSpec.makeDivisible(320, 8)).isEqualTo(320);
    }

    @Test
    void describeIsOneReadableLine() {
        assertThat(ModelSpec.mobileNetV2(1.0, 4, 6).describe())
                .isEqualTo("mobilenetv2 x1.0, 4 input channels -> 6 classes, OS16");
        assertThat(ModelSpec.of(Backbone.RESNET101, 3, 6).describe())
                .isEqualTo("resnet101, 3 input channels -> 6 classes, OS16");
    }
}
