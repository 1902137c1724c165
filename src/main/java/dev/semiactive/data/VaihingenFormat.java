package dev.semiactive.data;

import dev.semiactive.SemiactiveException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ISPRS Vaihingen: IRRG tiles {@code top/top_mosaic_09cm_areaN.tif}, optional DSM
 * {@code dsm/dsm_09cm_matching_areaN.tif} appended as a 4th channel when {@link DataOptions#dsm()}
 * (normalised to [0, 1] by the min and max of its whole area, so tiles of one area share a scale), and
 * colour-coded ground truth {@code gts_for_participants/top_mosaic_09cm_areaN.tif} decoded with
 * {@link ColourPalette#vaihingen()}. The split is {@code train} (the standard ISPRS training areas),
 * {@code val} (every other area that has ground truth), {@code all} (every area in top/), or area
 * numbers: "1,3,5", "1-7", "area1,area3". Ids are {@code areaN}.
 */
final class VaihingenFormat {
    /** The 16 areas of the ISPRS Vaihingen training set. */
    static final List<Integer> TRAIN_AREAS = List.of(1, 3, 5, 7, 11, 13, 15, 17, 21, 23, 26, 28, 30, 32, 34, 37);
    private static final Pattern TOP = Pattern.compile("top_mosaic_09cm_area(\\d+)\\.tif");

    private VaihingenFormat() {
    }

    static Path topFile(Path root, int area) {
        return root.resolve("top").resolve("top_mosaic_09cm_area" + area + ".tif");
    }

    static Path dsmFile(Path root, int area) {
        return root.resolve("dsm").resolve("dsm_09cm_matching_area" + area + ".tif");
    }

    static Path gtFile(Path root, int area) {
        return root.resolve("gts_for_participants").resolve("top_mosaic_09cm_area" + area + ".tif");
    }

    static SegmentationDataset open(Path root, String split, DataOptions options) {
        DatasetFiles.requireRoot(root, "vaihingen", "top/, gts_for_participants/ and (for dsm=true) dsm/");
        Path topDir = DatasetFiles.requireDir(root.resolve("top"), "vaihingen image folder");
        if (options.dsm()) DatasetFiles.requireDir(root.resolve("dsm"), "vaihingen DSM folder (needed for dsm=true)");
        List<SourceImage> sources = new ArrayList<>();
        for (int area : areas(root, topDir, split)) {
            Path top = topFile(root, area);
            if (!Files.isRegularFile(top))
                throw new SemiactiveException("vaihingen area " + area + " of split '" + split + "' has no image " + top
                        + ": add the file or leave the area out of the split");
            Path gt = gtFile(root, area);
            Path mask = DatasetFiles.findMask(gt.getParent(), top, options, gt.getFileName().toString());
            Path dsm = null;
            if (options.dsm()) {
                dsm = dsmFile(root, area);
                if (!Files.isRegularFile(dsm))
                    throw new SemiactiveException("vaihingen area " + area + " has no DSM " + dsm + ": add it or set dsm=false");
            }
            sources.add(new SourceImage("area" + area, top, mask, dsm));
        }
        ColourPalette palette = ColourPalette.vaihingen();
        FileSource.MaskDecoder masks = file -> {
            IntImage rgb = MaskIo.readRgb(file);
            return new IntImage(rgb.height(), rgb.width(), palette.decode(rgb, file));
        };
        FileSource source = new FileSource(sources, src -> {
            ChwImage irrg = ImageIo.read(src.image(), 3);
            ChwImage img = src.aux() == null ? irrg : withDsm(irrg, src);
            return FileSource.combine(src, img, masks);
        });
        int channels = options.dsm() ? 4 : 3;
        return new PreparedDataset("vaihingen", root + " " + split, palette.labels(), channels, source, options);
    }

    /** Area numbers of a split, ascending. */
    static List<Integer> areas(Path root, Path topDir, String split) {
        Set<Integer> present = new TreeSet<>();
        for (Path p : DatasetFiles.listImages(topDir)) {
            Matcher m = TOP.matcher(p.getFileName().toString());
            if (m.matches()) present.add(Integer.parseInt(m.group(1)));
        }
        Set<Integer> out = new TreeSet<>();
        String s = split == null ? "" : split.strip();
        switch (s) {
            case "train" -> out.addAll(TRAIN_AREAS);
            case "all" -> out.addAll(present);
            case "val" -> {
                for (int a : present) if (!TRAIN_AREAS.contains(a) && Files.isRegularFile(gtFile(root, a))) out.add(a);
            }
            default -> {
                for (String item : SplitSpec.expand(s)) {
                    String digits = item.startsWith("area") ? item.substring(4) : item;
                    try {
                        out.add(Integer.parseInt(digits));
                    } catch (NumberFormatException e) {
                        throw new SemiactiveException("vaihingen split item '" + item
                                + "' is not an area number: use train, val, all, or numbers such as 1,3,5 or 1-7");
                    }
                }
            }
        }
        if (out.isEmpty())
            throw new SemiactiveException("vaihingen split '" + s + "' selects no area of " + topDir.toAbsolutePath().normalize()
                    + " (areas there: " + present + "): use train, val, all or area numbers that exist");
        return new ArrayList<>(out);
    }

    private static ChwImage withDsm(ChwImage irrg, SourceImage src) {
        ChwImage dsm = ImageIo.readRaw(src.aux());
        if (dsm.channels() != 1)
            throw new SemiactiveException("DSM " + src.aux() + " has " + dsm.channels() + " channels: a DSM must be a single-band TIFF");
        FileSource.requireSameSize(src.aux(), "DSM", dsm.width(), dsm.height(), src.image(), irrg);
        float[] d = dsm.data();
        float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        for (float v : d) {
            if (Float.isNaN(v)) continue;
            if (v < min) min = v;
            if (v > max) max = v;
        }
        float range = max > min ? max - min : 1f;
        int n = irrg.plane();
        float[] out = new float[4 * n];
        System.arraycopy(irrg.data(), 0, out, 0, 3 * n);
        for (int i = 0; i < n; i++) out[3 * n + i] = Float.isNaN(d[i]) || !(max > min) ? 0f : (d[i] - min) / range;
        return new ChwImage(4, irrg.height(), irrg.width(), out);
    }
}
