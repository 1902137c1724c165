package dev.semiactive.data;

import dev.semiactive.SemiactiveException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CamVid in the SegNet layout: {@code <root>/<split>/*.png} with index masks {@code <root>/<split>annot/}
 * of the same file name. Any split folder name works. Values 0-10 are the 11 classes, 11 (Unlabelled)
 * becomes IGNORE. Without {@code <split>annot} the split is an error, or unlabelled images when
 * {@link DataOptions#requireMasks()} is false.
 */
final class CamvidFormat {
    static final String LAYOUT = "train/, trainannot/, val/, valannot/ (SegNet CamVid layout)";

    private CamvidFormat() {
    }

    static SegmentationDataset open(Path root, String split, DataOptions options) {
        DatasetFiles.requireRoot(root, "camvid", LAYOUT);
        if (split == null || split.isBlank()) throw new SemiactiveException("camvid needs a split folder name such as train or val");
        Path imageDir = DatasetFiles.requireDir(root.resolve(split), "camvid split folder");
        Path maskDir = root.resolve(split + "annot");
        boolean labelled = DatasetFiles.maskFolder(maskDir, imageDir, options);
        List<SourceImage> sources = new ArrayList<>();
        for (Path image : DatasetFiles.requireImages(imageDir, "camvid split folder")) {
            String base = ImageIo.baseName(image);
            Path mask = labelled ? DatasetFiles.findMask(maskDir, image, options, image.getFileName().toString(), base + ".png") : null;
            sources.add(new SourceImage(base, image, mask, null));
        }
        LabelMapping mapping = LabelMapping.camvid();
        FileSource source = new FileSource(sources, FileSource.imageAndMask(3, file -> {
            IntImage raw = MaskIo.readIndex(file);
            return new IntImage(raw.height(), raw.width(), mapping.apply(raw, file, "camvid"));
        }));
        return new PreparedDataset("camvid", imageDir.toString(), LabelSpaces.camvid(), 3, source, options);
    }
}
