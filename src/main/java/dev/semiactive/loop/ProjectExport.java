package dev.semiactive.loop;

import dev.semiactive.SemiactiveException;
import dev.semiactive.data.ImageIo;
import dev.semiactive.data.MaskIo;
import dev.semiactive.data.Sample;
import dev.semiactive.store.StoredImage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code project export}: every image with at least one label (person-made or not), at working resolution,
 * with its label mask (class ids, 255 where nothing is labelled), in one of three layouts, plus the class
 * file and the newest model:
 * <pre>
 * index       OUT/train/images/ID.png + OUT/train/masks/ID.png       (the 'folder' format: folder:OUT, split train)
 * camvid      OUT/train/ID.png + OUT/trainannot/ID.png               (SegNet CamVid layout)
 * cityscapes  OUT/leftImg8bit/train/project/ID_leftImg8bit.png + OUT/gtFine/train/project/ID_gtFine_labelIds.png
 * all         OUT/classes.yaml (names and colours, class id = mask value), OUT/model/ (the last round's checkpoint)
 * </pre>
 * The cityscapes layout writes the project's class ids (0..K-1, 255 void) under gtFine's labelIds names:
 * they are TRAIN ids, not Cityscapes' 34 label ids, so read them back with the project's class file rather
 * than the cityscapes format's label mapping.
 */
public final class ProjectExport {
    public enum Layout {
        INDEX, CAMVID, CITYSCAPES;

        public static Layout of(String name) {
            try {
                return valueOf(name.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new SemiactiveException("unknown export layout '" + name + "': use index, camvid or cityscapes");
            }
        }
    }

    public static final String SPLIT = "train";
    public static final String CITY = "project";

    private ProjectExport() {
    }

    /** What was written. */
    public record Result(int images, long labelledPixels, Optional<Path> model) {
    }

    public static Result export(Project project, Path out, Layout layout) {
        long pixels = 0;
        int images = 0;
        var store = project.store();
        for (StoredImage im : store.images()) {
            int[] mask = store.labelMask(im.id(), im.width(), im.height());
            long labelled = 0;
            for (int v : mask) if (v != 255) labelled++;
            if (labelled == 0) continue;
            Sample s = project.pool().load(im.id());
            String name = fileName(im.id());
            Path imageFile, maskFile;
            switch (layout) {
                case INDEX -> {
                    imageFile = out.resolve(SPLIT).resolve("images").resolve(name + ".png");
                    maskFile = out.resolve(SPLIT).resolve("masks").resolve(name + ".png");
                }
                case CAMVID -> {
                    imageFile = out.resolve(SPLIT).resolve(name + ".png");
                    maskFile = out.resolve(SPLIT + "annot").resolve(name + ".png");
                }
                default -> {
                    imageFile = out.resolve("leftImg8bit").resolve(SPLIT).resolve(CITY).resolve(name + "_leftImg8bit.png");
                    maskFile = out.resolve("gtFine").resolve(SPLIT).resolve(CITY).resolve(name + "_gtFine_labelIds.png");
                }
            }
            ImageIo.writePng(imageFile, ImageIo.toBufferedImage(s.image(), s.channels(), s.height(), s.width()));
            MaskIo.writeIndexPng(maskFile, mask, s.height(), s.width());
            images++;
            pixels += labelled;
        }
        try {
            Files.createDirectories(out);
            Files.copy(project.dir().resolve(Project.CLASSES), out.resolve("classes.yaml"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new SemiactiveException("cannot write " + out + ": " + e.getMessage(), e);
        }
        Optional<Path> model = ActiveLearningLoop.latestModel(project.dir(), store);
        if (model.isPresent()) copyTree(model.get(), out.resolve("model"));
        return new Result(images, pixels, model.map(m -> out.resolve("model")));
    }

    /** A file name for an image id: ids from a folder are base names already; anything else becomes '_'. */
    static String fileName(String id) {
        String s = id.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.startsWith(".") ? "_" + s : s;
    }

    /**
     * Copies the checkpoint into a temporary folder beside {@code to}, then renames it into place: an export killed
     * mid-copy never leaves a {@code model/} that looks like a whole checkpoint (its state.json beside missing weights).
     */
    private static void copyTree(Path from, Path to) {
        Path tmp = to.resolveSibling(to.getFileName() + ".partial");
        try {
            if (Files.exists(tmp)) dev.semiactive.train.Checkpoint.deleteRecursively(tmp);
            try (Stream<Path> walk = Files.walk(from)) {
                for (Path p : walk.toList()) {
                    Path target = tmp.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) Files.createDirectories(target);
                    else Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (Files.exists(to)) dev.semiactive.train.Checkpoint.deleteRecursively(to);
            Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new SemiactiveException("cannot copy the model " + from + " to " + to + ": " + e.getMessage()
                    + " (check the output folder is writable and the disk not full)", e);
        }
    }
}
