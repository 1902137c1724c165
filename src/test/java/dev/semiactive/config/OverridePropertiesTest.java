package dev.semiactive.config;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OverridePropertiesTest {
    @Property(tries = 50)
    void stepsOverrideIsAcceptedExactlyWhenPositive(@ForAll @IntRange(min = -1000, max = 100000) int steps) {
        List<String> overrides = List.of("train.steps=" + steps);
        if (steps >= 1) {
            assertThat(ConfigLoader.defaults(overrides).train().steps()).isEqualTo(steps);
        } else {
            assertThatThrownBy(() -> ConfigLoader.defaults(overrides))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("--set train.steps=" + steps + ": train.steps = " + steps + " is invalid: must be an integer >= 1");
        }
    }

    @Property(tries = 50)
    void fractionsRoundTripThroughOverrideAndDump(@ForAll @DoubleRange(min = 0, max = 1) double fraction) {
        // label_fraction keeps at least some labelled images: (0, 1]; the budget may be 0
        double labelled = fraction > 0 ? fraction : 1.0;
        SemiactiveConfig config = ConfigLoader.defaults(List.of("data.label_fraction=" + labelled, "al.budget=" + fraction,
                "al.initial_fraction=0"));
        assertThat(config.data().labelFraction()).isEqualTo(labelled);
        assertThat(ConfigLoader.parse(ConfigWriter.toYaml(config), "dump", List.of())).isEqualTo(config);
    }
}
