package dev.semiactive.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** One tiny step of every mode, in this process: the numbers a worker reports are sane. */
class ModeRunnerTest {
    private static final BenchSettings TINY = BenchSettings.defaults().withBatch(4).withSize(32, 32).withSteps(2, 1);

    private static void assertTimed(ModeResult r, String mode) {
        assertThat(r.engine()).isEqualTo("djl");
        assertThat(r.mode()).isEqualTo(mode);
        assertThat(r.parameters()).isEqualTo(5_813_483L); // the reference network (11 classes)
        assertThat(r.stepSeconds()).hasSize(2).allSatisfy(t -> assertThat(t).isPositive().isFinite());
        assertThat(r.medianSeconds()).isPositive().isFinite();
        assertThat(r.imagesPerSecond()).isCloseTo(4 / r.medianSeconds(), org.assertj.core.data.Percentage.withPercentage(1e-6));
        assertThat(r.firstValue()).isFinite();
        assertThat(r.lastValue()).isFinite();
        assertThat(r.peakRssBytes()).isGreaterThan(50L << 20);
    }

    @Test
    void supervisedStepTrains() {
        ModeResult r = ModeRunner.run(BenchMode.TRAIN, TINY, 0);
        assertTimed(r, "train");
        // an untrained network's cross-entropy over 11 classes is near ln 11 = 2.398 (its logits are small)
        assertThat(r.firstValue()).isCloseTo(Math.log(11), org.assertj.core.data.Offset.offset(0.3));
    }

    @Test
    void tsfStepRunsAllNetworks() {
        ModeResult r = ModeRunner.run(BenchMode.TSF, TINY, 0);
        assertTimed(r, "tsf");
        // the Student's and the Friend's supervised terms alone are each near ln 11 on an untrained network
        assertThat(r.firstValue()).isGreaterThan(2 * Math.log(11) - 0.6);
    }

    @Test
    void scoringReportsEntropyAndFlaggedFraction() {
        ModeResult r = ModeRunner.run(BenchMode.SCORE, TINY, 0);
        assertTimed(r, "score");
        // mean entropy of an 11-class distribution lies in (0, ln 11]
        assertThat(r.firstValue()).isGreaterThan(0.0).isLessThanOrEqualTo(Math.log(11) + 1e-4);
        // scoring does not change the networks: the same batch gives the same entropy every time
        assertThat(r.lastValue()).isEqualTo(r.firstValue());
        assertThat(r.flaggedFraction()).isBetween(0.0, 1.0);
    }

    @Test
    void poolStreamsEveryImageIncludingAPartialLastBatch() {
        ModeResult r = ModeRunner.run(BenchMode.POOL, TINY, 6);
        assertThat(r.images()).isEqualTo(6);
        assertThat(r.totalSeconds()).isPositive().isFinite();
        assertThat(r.imagesPerSecond()).isCloseTo(6 / r.totalSeconds(), org.assertj.core.data.Percentage.withPercentage(1e-6));
        assertThat(r.peakRssBytes()).isPositive();
    }

    @Test
    void medianOfEvenAndOddCounts() {
        assertThat(ModeRunner.median(java.util.List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(ModeRunner.median(java.util.List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
    }
}
