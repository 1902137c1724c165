package dev.semiactive.train;

import java.util.List;
import java.util.Map;

/**
 * state.json of a checkpoint. Batches, augmentations, dropout and step randomness are all functions of
 * (seed, step), so seed and step are the whole random state needed to resume exactly; the one other thing a
 * step depends on is AutoClip's history of gradient norms, kept here too.
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
 * @param gradientNorms per trained network, its gradient norms so far in this run, in step order: AutoClip's
 *                      history ({@code train.clip_percentile}), without which a resumed run would clip
 *                      differently from the uninterrupted one; null in checkpoints written before it was kept
 *                      (such a run resumes with an empty history, as it did then)
 */
public record TrainingState(int formatVersion, String method, long step, long totalSteps, long seed,
                            Double bestMetric, long bestStep, Map<String, List<String>> optimizers,
                            String savedAt, Map<String, List<Double>> gradientNorms) {
}
