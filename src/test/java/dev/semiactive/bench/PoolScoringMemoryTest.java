package dev.semiactive.bench;

import ai.djl.ndarray.NDManager;
import dev.semiactive.util.ResidentMemory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Pool scoring streams: resident memory does not grow with the number of batches scored. */
class PoolScoringMemoryTest {
    @Test
    void residentMemoryStaysFlatOverManyBatches() {
        BenchSettings s = BenchSettings.defaults().withBatch(4).withSize(32, 32);
        try (NDManager root = NDManager.newBaseManager(); BenchNetworks nets = new BenchNetworks(root, s)) {
            try (PoolScoring scoring = new PoolScoring(nets, s, root)) {
                int image = 0;
                for (int i = 0; i < 4; i++, image += 4) scoreBatch(scoring, image); // warm-up: allocator pools, JIT
                long before = ResidentMemory.currentBytes();
                for (int i = 0; i < 25; i++, image += 4) scoreBatch(scoring, image);
                long after = ResidentMemory.currentBytes();
                // one leaked batch (activations, F2, copies) is several MB: 25 of them would be far above this
                assertThat(after - before).as("RSS growth over 25 batches").isLessThan(48L << 20);
                assertThat((Double) scoring.extras().get("flaggedFraction")).isBetween(0.0, 1.0);
            }
        }
    }

    private static void scoreBatch(PoolScoring scoring, int first) {
        SyntheticDataset images = SyntheticDataset.unlabelled(BenchSettings.defaults().withBatch(4).withSize(32, 32), first, 4);
        float entropy = scoring.score(images.ids().stream().map(images::load).toList());
        assertThat(entropy).isPositive().isFinite();
    }
}
