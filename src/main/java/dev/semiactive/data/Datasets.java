package dev.semiactive.data;

import dev.semiactive.SemiactiveException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Opens dataset splits by format name. Formats (details in each one's documentation):
 * <ul>
 *   <li>{@code camvid}: {@code <root>/<split>/*.png} + {@code <root>/<split>annot/} index masks, 11 classes.</li>
 *   <li>{@code cityscapes}: {@code leftImg8bit/<split>/<city>/} + {@code gtFine/...labelIds}, 19 train ids.</li>
 *   <li>{@code folder}: {@code <root>/<split>/images/} + {@code masks/} index PNGs, classes from
 *       {@code <root>/classes.txt|yaml|json}.</li>
 *   <li>{@code palette}: colour-coded masks in part folders ({@code <root>/tile1/images|masks}), split
 *       "tile1-6"; palette from {@code <root>/palette.yaml|json} or the built-in Dubai palette.</li>
 *   <li>{@code synthetic}: procedural scenes (root ignored), see {@link SyntheticScenes}.</li>
 *   <li>{@code vaihingen}: ISPRS IRRG TIFFs, optional DSM channel, colour-coded ground truth; split
 *       train / val / all / area numbers.</li>
 * </ul>
 * Every dataset applies {@link DataOptions} (resize or scale, then tiling) and loads lazily.
 * Unlabelled data: {@link DataOptions#requireMasks()} = false turns a missing mask folder or file into
 * images with null masks; {@link #openImages} opens a plain folder of images.
 */
public final class Datasets {
    /** Known format names, sorted. */
    public static final List<String> FORMATS = List.of("camvid", "cityscapes", "folder", "palette", "synthetic", "vaihingen");

    private Datasets() {
    }

    public static SegmentationDataset open(String format, Path root, String split, DataOptions options) {
        String f = format == null ? "" : format.strip().toLowerCase(Locale.ROOT);
        DataOptions o = options == null ? DataOptions.defaults() : options;
        return switch (f) {
            case "camvid" -> CamvidFormat.open(root, split, o);
            case "cityscapes" -> CityscapesFormat.open(root, split, o);
            case "folder" -> FolderFormat.open(root, split, o);
            case "palette" -> PaletteFormat.open(root, split, o);
            case "synthetic" -> SyntheticSource.open(split, o);
            case "vaihingen" -> VaihingenFormat.open(root, split, o);
            default -> throw new SemiactiveException("unknown dataset format '" + format + "': known formats are "
                    + String.join(", ", FORMATS));
        };
    }

    /** Synthetic scenes ({@code open("synthetic", null, split, options)}). */
    public static SegmentationDataset synthetic(String split, DataOptions options) {
        return open("synthetic", null, split, options);
    }

    /**
     * Every image file directly in a folder, unlabelled (null masks), ids = base names, read with
     * {@code channels} channels (gray is replicated to 3), under a given label space (usually the
     * model's). For prediction and for a practitioner's pool of unlabelled images.
     */
    public static SegmentationDataset openImages(Path folder, int channels, LabelSpace labels, DataOptions options) {
        DataOptions o = options == null ? DataOptions.defaults() : options;
        if (folder == null || !Files.isDirectory(folder))
            throw new SemiactiveException("image folder " + (folder == null ? "(none)" : folder.toAbsolutePath().normalize())
                    + " does not exist: pass a folder of images");
        List<SourceImage> sources = new ArrayList<>();
        for (Path image : DatasetFiles.requireImages(folder, "image folder"))
            sources.add(new SourceImage(ImageIo.baseName(image), image, null, null));
        FileSource source = new FileSource(sources, FileSource.imageAndMask(channels, file -> {
            throw new IllegalStateException("images-only datasets have no masks");
        }));
        return new PreparedDataset("images", folder.toString(), labels, channels, source, o);
    }
}
