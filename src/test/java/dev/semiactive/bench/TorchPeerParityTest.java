package dev.semiactive.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.semiactive.model.Networks;
import dev.semiactive.train.NativeStaging;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The PyTorch peer is the same model doing the same work: same parameter count, same outputs from the same
 * weights, and the same first loss / entropy in every mode. Skipped where no python3 can import torch
 * (Debian: apt-get install -y python3-torch).
 */
class TorchPeerParityTest {
    private static final BenchSettings TINY = BenchSettings.defaults().withBatch(4).withSize(32, 32).withSteps(1, 0);
    private static Path python;

    @TempDir
    static Path weights;

    @BeforeAll
    static void exportWeights() throws IOException {
        python = Workers.findPython(null);
        assumeTrue(python != null, "no python3 with torch: apt-get install -y python3-torch to run this test");
        try (NDManager m = NDManager.newBaseManager(); BenchNetworks nets = new BenchNetworks(m, TINY)) {
            nets.export(weights);
        }
    }

    private static Workers workers() {
        return new Workers(python, Workers.findPeer(null), weights, Map.of());
    }

    @Test
    void sameParametersAndSameOutputs() {
        BenchSettings s = TINY.withBatch(2).withSize(64, 64);
        JsonNode peer = workers().pythonCheck(s);
        try (NDManager m = NDManager.newBaseManager(); BenchNetworks nets = new BenchNetworks(m, s)) {
            assertThat(peer.path("parameters").asLong()).isEqualTo(Networks.parameterCount(nets.student())).isEqualTo(5_813_483L);
            assertThat(peer.path("emdParameters").asLong()).isEqualTo(Networks.parameterCount(nets.emd()));
            NDArray x = NativeStaging.floats(m, SyntheticBatches.images(0, 2, 3, 64, 64), new Shape(2, 3, 64, 64));
            NDList out = Networks.forward(nets.student(), x, false);
            NDArray emd = Networks.forward(nets.emd(), new NDList(out.get(1), out.get(2)), false).singletonOrThrow();
            NDArray[] ours = {out.get(0), out.get(1), out.get(2), emd};
            String[] names = {"logits", "f1", "f2", "emd"};
            for (int i = 0; i < names.length; i++) {
                double absSum = ours[i].abs().sum().getFloat();
                double sum = ours[i].sum().getFloat();
                JsonNode theirs = peer.path("sums").path(names[i]);
                assertThat(theirs.get(1).asDouble()).as(names[i] + " sum |x|").isCloseTo(absSum, within(1e-4 * absSum));
                assertThat(theirs.get(0).asDouble()).as(names[i] + " sum x").isCloseTo(sum, within(1e-4 * absSum));
            }
        }
    }

    @Test
    void supervisedStepComputesTheSameLoss() {
        assertSameFirstValue(BenchMode.TRAIN);
    }

    @Test
    void tsfStepComputesTheSameLoss() {
        assertSameFirstValue(BenchMode.TSF);
    }

    /**
     * At tau 0 every pixel the EMD does not flag is a pseudo-label, so the teacher-student term is not empty (at
     * tau 0.7 a freshly initialised Teacher is never that sure); two steps, so the second loss also checks the
     * SGD update of Student, Friend and EMD and the Teacher's EMA.
     */
    @Test
    void tsfStepWithPseudoLabelsComputesTheSameLossesTwoStepsRunning() {
        BenchSettings s = TINY.withTau(0f).withSteps(2, 0);
        ModeResult java = ModeRunner.run(BenchMode.TSF, s, 0);
        ModeResult torch = workers().python(BenchMode.TSF, s, 0, MallocChoice.GLIBC);
        assertThat(torch.firstValue()).as("first loss").isCloseTo(java.firstValue(), within(2e-3 * Math.abs(java.firstValue())));
        assertThat(torch.lastValue()).as("second loss").isCloseTo(java.lastValue(), within(5e-3 * Math.abs(java.lastValue())));
        assertThat(java.lastValue()).as("the update changed the loss").isNotCloseTo(java.firstValue(), within(1e-3));
    }

    @Test
    void scoringComputesTheSameEntropyFlagsTheSamePixelsAndRefinesTheSameShare() {
        ModeResult[] r = assertSameFirstValue(BenchMode.SCORE);
        assertThat(r[1].flaggedFraction()).isCloseTo(r[0].flaggedFraction(), within(0.01));
        assertThat(r[0].refinedFraction()).as("PLAR decided some flagged pixels").isGreaterThan(0);
        assertThat(r[1].refinedFraction()).isCloseTo(r[0].refinedFraction(), within(0.01));
    }

    private static ModeResult[] assertSameFirstValue(BenchMode mode) {
        ModeResult java = ModeRunner.run(mode, TINY, 0);
        ModeResult torch = workers().python(mode, TINY, 0, MallocChoice.GLIBC);
        assertThat(torch.parameters()).isEqualTo(java.parameters());
        assertThat(torch.firstValue()).as(mode.id() + " first value").isCloseTo(java.firstValue(), within(2e-3 * Math.abs(java.firstValue())));
        return new ModeResult[] {java, torch};
    }
}
