package dev.semiactive.train;

import dev.semiactive.eval.ConfusionMatrix;

import java.nio.file.Path;
import java.util.Map;

/**
 * What {@link TrainingLoop#run()} did.
 *
 * @param startStep      first step run (0, or where it resumed)
 * @param endStep        steps completed when it returned
 * @param resumed        whether it resumed from a checkpoint
 * @param lastScalars    window means of the last log: loss terms etc.
 * @param lastValidation last validation matrix (null if none ran)
 * @param bestMetric     best validation mIoU (null if none)
 * @param bestStep       its step (-1 if none)
 * @param latest         the latest checkpoint directory
 */
public record TrainingResult(long startStep, long endStep, boolean resumed, Map<String, Double> lastScalars,
                             ConfusionMatrix lastValidation, Double bestMetric, long bestStep, Path latest) {
}
