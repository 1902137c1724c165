/**
 * Self-supervised pretext tasks on the pool's images, for a backbone that starts from something learnt rather
 * than from noise (no ImageNet weights can be had offline). Colourization (Zhang et al. 2016; Larsson et al.
 * 2017, "Colorization as a proxy task for visual understanding"): the network sees the luminance and predicts
 * each pixel's colour bin, a dense task on every pixel of every image, needing no label. Pure Java; the
 * training itself is the project's supervised loop on the pretext's labels ({@code pipeline.PretextRun}).
 */
package dev.semiactive.pretext;
