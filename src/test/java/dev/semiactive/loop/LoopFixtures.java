package dev.semiactive.loop;

import dev.semiactive.config.ConfigLoader;
import dev.semiactive.config.SemiactiveConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Tiny experiment configs: synthetic 32x32 scenes, the tiny backbone, a few steps per round (also used by compare's tests). */
public final class LoopFixtures {
    private LoopFixtures() {
    }

    static final String TINY = """
            run: {name: tiny, seed: 7}
            data:
              format: synthetic
              train_split: train
              val_split: val
              synthetic: {images: 12, width: 32, height: 32, classes: 3}
            model: {backbone: tiny}
            train: {method: supervised, steps: 6, batch_size: 4, lr: 0.02, log_every: 3, eval_every: 0, checkpoint_every: 3}
            augment: {scale: [1.0, 1.0], flip: false}
            al: {cell: 8, strategy: entropy, initial_fraction: 0.0625, round_fraction: 0.0625, budget: 0.1875}
            """;

    public static SemiactiveConfig tiny(Path out, String... overrides) {
        List<String> o = new ArrayList<>(List.of(overrides));
        o.add("run.output_dir=" + out);
        return ConfigLoader.parse(TINY, "test config", o);
    }
}
