package dev.semiactive.data;

import dev.semiactive.SemiactiveException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Cityscapes: {@code leftImg8bit/<split>/<city>/<x>_leftImg8bit.png} with
 * {@code gtFine/<split>/<city>/<x>_gtFine_labelIds.png}; the 34 label ids map to the 19 train ids, the
 * rest to IGNORE. Ids are {@code <city>/<x>}.
 */
final class CityscapesFormat {
    private static final String IMAGE_SUFFIX = "_leftImg8bit.png";
    private static final String MASK_SUFFIX = "_gtFine_labelIds.png";

    private CityscapesFormat() {
    }

    static SegmentationDataset open(Path root, String split, DataOptions options) {
        DatasetFiles.requireRoot(root, "cityscapes", "leftImg8bit/ and gtFine/");
        if (split == null || split.isBlank()) throw new SemiactiveException("cityscapes needs a split such as train or val");
        Path imageSplit = DatasetFiles.requireDir(root.resolve("leftImg8bit").resolve(split), "cityscapes image split");
        Path maskSplit = root.resolve("gtFine").resolve(split);
        boolean labelled = DatasetFiles.maskFolder(maskSplit, imageSplit, options);
        List<SourceImage> sources = new ArrayList<>();
        for (String city : DatasetFiles.subfolders(imageSplit)) {
            for (Path image : cityImages(imageSplit.resolve(city))) {
                String file = image.getFileName().toString();
                String stem = file.substring(0, file.length() - IMAGE_SUFFIX.length());
                Path mask = labelled ? DatasetFiles.findMask(maskSplit.resolve(city), image, options, stem + MASK_SUFFIX) : null;
                sources.add(new SourceImage(city + "/" + stem, image, mask, null));
            }
        }
        if (sources.isEmpty()) throw DatasetFiles.emptySplit(imageSplit, "cityscapes image split (no <city>/*" + IMAGE_SUFFIX + ")");
        LabelMapping mapping = LabelMapping.cityscapes();
        FileSource source = new FileSource(sources, FileSource.imageAndMask(3, file -> {
            IntImage raw = MaskIo.readIndex(file);
            return new IntImage(raw.height(), raw.width(), mapping.apply(raw, file, "cityscapes"));
        }));
        return new PreparedDataset("cityscapes", imageSplit.toString(), LabelSpaces.cityscapes(), 3, source, options);
    }

    private static List<Path> cityImages(Path cityDir) {
        try (Stream<Path> s = Files.list(cityDir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(IMAGE_SUFFIX) && Files.isRegularFile(p))
                    .sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new SemiactiveException("cannot list " + cityDir + " (" + e.getMessage() + "): check the folder's permissions", e);
        }
    }
}
