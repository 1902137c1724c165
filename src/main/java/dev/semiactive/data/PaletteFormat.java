package dev.semiactive.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Colour-coded masks in part folders, the Dubai aerial layout: {@code <root>/<part>/images/*} with
 * {@code <root>/<part>/masks/<same base name>.png}. The split names the parts: "tile1,tile2" or a range
 * "tile1-6". Ids are {@code <part>/<base name>}. The palette is {@link DataOptions#paletteFile()}, else
 * {@code <root>/palette.yaml|yml|json}, else the built-in {@link ColourPalette#dubai()}.
 */
final class PaletteFormat {
    private PaletteFormat() {
    }

    static ColourPalette palette(Path root, DataOptions options) {
        if (options.paletteFile() != null) return ColourPalette.load(options.paletteFile());
        Path file = DatasetFiles.firstExisting(root, "palette.yaml", "palette.yml", "palette.json");
        return file != null ? ColourPalette.load(file) : ColourPalette.dubai();
    }

    static SegmentationDataset open(Path root, String split, DataOptions options) {
        DatasetFiles.requireRoot(root, "palette", "part folders such as tile1/ with images/ and masks/ inside");
        ColourPalette palette = palette(root, options);
        List<SourceImage> sources = new ArrayList<>();
        for (String part : SplitSpec.expand(split)) {
            Path partDir = DatasetFiles.requireDir(root.resolve(part), "palette part folder");
            Path imageDir = DatasetFiles.requireDir(partDir.resolve("images"), "image folder");
            Path maskDir = partDir.resolve("masks");
            boolean labelled = DatasetFiles.maskFolder(maskDir, imageDir, options);
            for (Path image : DatasetFiles.requireImages(imageDir, "image folder")) {
                String base = ImageIo.baseName(image);
                Path mask = labelled ? DatasetFiles.findMask(maskDir, image, options, base + ".png") : null;
                sources.add(new SourceImage(part + "/" + base, image, mask, null));
            }
        }
        FileSource source = new FileSource(sources, FileSource.imageAndMask(3, file -> {
            IntImage rgb = MaskIo.readRgb(file);
            return new IntImage(rgb.height(), rgb.width(), palette.decode(rgb, file));
        }));
        return new PreparedDataset("palette", root + " " + split, palette.labels(), 3, source, options);
    }
}
