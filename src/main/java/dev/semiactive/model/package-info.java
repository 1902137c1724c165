/**
 * Segmentation networks (DJL blocks on the PyTorch engine, CPU).
 *
 * <ul>
 *   <li>{@link dev.semiactive.model.ModelSpec}: backbone, width, input channels, classes, output stride;
 *       JSON round trip; F1/F2 channel counts.</li>
 *   <li>{@link dev.semiactive.model.DeepLabV3Plus}: forward returns {@code [logits, F1, F2]} as in
 *       {@link dev.semiactive.model.SegmentationOutputs}.</li>
 *   <li>{@link dev.semiactive.model.ErrorMaskDecoder}: {@code [F1, F2] -> [error logit]} at stride 4.</li>
 *   <li>{@link dev.semiactive.model.Networks}: build, seeded initialisation, forward, parameter count,
 *       gradient zeroing, atomic save / checked load.</li>
 *   <li>{@link dev.semiactive.model.NdOps}: bilinear / nearest resize with PyTorch semantics.</li>
 * </ul>
 *
 * <p>Memory rules that the networks rely on: run each step on arrays of a sub-manager that is closed at
 * the end (every activation lands in the manager of the input); zero gradients with
 * {@link dev.semiactive.model.Networks#zeroGradients} (DJL's {@code GradientCollector.zeroGradients()}
 * leaks); freeze networks that are never trained by gradients (the EMA Teacher) with
 * {@code block.freezeParameters(true)}.
 */
package dev.semiactive.model;
