package dev.semiactive.train;

import java.util.List;
import java.util.Map;

/**
 * state.json of a checkpoint. Batches, augmentations, dropout and step randomness are all functions of
 * (seed, step), so seed and step are the whole random state needed to resume exactly.
 *
 * @param formatVersion 1
 * @param method        method name; resume refuses another method's checkpoint
 * @param step          steps completed (the next step to run)
 * @param totalSteps    planned steps of the run
 * @param seed          run seed
 * @param bestMetric    best validation mIoU so far (NaN/null if none)
 * @param bestStep      step of the best checkpoint (-1 if none)
 * @param optimizers    per trained network: names of the parameters its momentum file holds, in order
 * @param savedAt       ISO-8601 time of writing
 */
public record TrainingState(int formatVersion, String method, long step, long totalSteps, long seed,
                            Double bestMetric, long bestStep, Map<String, List<String>> optimizers,
                            String savedAt) {
}
