package dev.semiactive.train.semi;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RampUpTest {
    @Test
    void rampsFromExpMinusFiveToOneAndStays() {
        assertThat(RampUp.weight(0, 100)).isCloseTo(Math.exp(-5), within(1e-12));
        assertThat(RampUp.weight(50, 100)).isCloseTo(Math.exp(-1.25), within(1e-12));
        assertThat(RampUp.weight(100, 100)).isEqualTo(1.0);
        assertThat(RampUp.weight(5000, 100)).isEqualTo(1.0);
        double previous = 0;
        for (int s = 0; s <= 100; s++) {
            double w = RampUp.weight(s, 100);
            assertThat(w).as("step %d", s).isGreaterThan(previous).isLessThanOrEqualTo(1.0);
            previous = w;
        }
    }

    @Test
    void noRampIsFullWeight() {
        assertThat(RampUp.weight(0, 0)).isEqualTo(1.0);
        assertThatThrownBy(() -> RampUp.weight(-1, 10)).hasMessageContaining("step");
    }
}
