/**
 * The dataset layer: opening dataset splits by format, bringing them to working resolution, image and
 * mask file IO, and training augmentations. Pure Java (javax.imageio + the TwelveMonkeys TIFF plugin);
 * no native memory is touched here.
 *
 * <ul>
 *   <li>{@link dev.semiactive.data.Datasets#open} opens {@code camvid}, {@code cityscapes}, {@code folder},
 *       {@code palette}, {@code synthetic} and {@code vaihingen} splits as lazy
 *       {@link dev.semiactive.data.SegmentationDataset}s; {@link dev.semiactive.data.Datasets#openImages}
 *       opens a plain folder of unlabelled images.</li>
 *   <li>{@link dev.semiactive.data.DataOptions}: resize / scale, tiling ({@code name@x_y} ids), DSM,
 *       unlabelled splits, synthetic parameters, tile cache; from a builder or a config map.</li>
 *   <li>{@link dev.semiactive.data.ImageIo} and {@link dev.semiactive.data.MaskIo}: CHW float images,
 *       index masks, colour masks, index PNG output, overlays; atomic writes.</li>
 *   <li>{@link dev.semiactive.data.Augmentations}: weak / photometric / strong views and CutMix, seeded by
 *       the caller.</li>
 *   <li>{@link dev.semiactive.data.SampleOps}, {@link dev.semiactive.data.TileGrid}: the geometric
 *       primitives both of the above use.</li>
 * </ul>
 * Bad input raises {@link dev.semiactive.SemiactiveException} with one line naming the file and the fix.
 */
package dev.semiactive.data;
