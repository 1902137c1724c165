package dev.semiactive.data;

import dev.semiactive.SemiactiveException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The generic layout: {@code <root>/<split>/images/*} (any readable format) with index masks
 * {@code <root>/<split>/masks/<same base name>.png} (values 0..K-1 are classes, 255 = ignore, anything
 * else is an error). The classes come from {@code <root>/classes.txt} (or {@code classes.yaml},
 * {@code .yml}, {@code .json}; see {@link LabelSpaces#readClassFile}). Images are read with
 * {@link DataOptions#channels()} channels (default 3). Ids are the image base names.
 */
final class FolderFormat {
    private FolderFormat() {
    }

    static LabelSpace classes(Path root) {
        Path file = DatasetFiles.firstExisting(root, "classes.txt", "classes.yaml", "classes.yml", "classes.json");
        if (file == null)
            throw new SemiactiveException("folder dataset " + root + " has no class file: create " + root.resolve("classes.txt")
                    + " with one class name per line (in mask value order)");
        return LabelSpaces.readClassFile(file);
    }

    static SegmentationDataset open(Path root, String split, DataOptions options) {
        DatasetFiles.requireRoot(root, "folder", "classes.txt and <split>/images/ + <split>/masks/");
        if (split == null || split.isBlank()) throw new SemiactiveException("folder needs a split folder name such as train or val");
        LabelSpace labels = classes(root);
        Path splitDir = DatasetFiles.requireDir(root.resolve(split), "folder split");
        Path imageDir = DatasetFiles.requireDir(splitDir.resolve("images"), "image folder");
        Path maskDir = splitDir.resolve("masks");
        boolean labelled = DatasetFiles.maskFolder(maskDir, imageDir, options);
        List<SourceImage> sources = new ArrayList<>();
        for (Path image : DatasetFiles.requireImages(imageDir, "image folder")) {
            String base = ImageIo.baseName(image);
            Path mask = labelled ? DatasetFiles.findMask(maskDir, image, options, base + ".png") : null;
            sources.add(new SourceImage(base, image, mask, null));
        }
        int channels = options.channels() > 0 ? options.channels() : 3;
        LabelMapping mapping = LabelMapping.identity(labels.numClasses());
        FileSource source = new FileSource(sources, FileSource.imageAndMask(channels, file -> {
            IntImage raw = MaskIo.readIndex(file);
            return new IntImage(raw.height(), raw.width(), mapping.apply(raw, file, "this folder dataset's class list"));
        }));
        return new PreparedDataset("folder", splitDir.toString(), labels, channels, source, options);
    }
}
