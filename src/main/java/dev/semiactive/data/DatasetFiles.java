package dev.semiactive.data;

import dev.semiactive.SemiactiveException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Folder checks and listings shared by the file-based formats, with one-line errors. */
final class DatasetFiles {
    private DatasetFiles() {
    }

    static Path requireRoot(Path root, String format, String layout) {
        if (root == null)
            throw new SemiactiveException(format + " dataset needs a root folder: pass the folder that holds " + layout);
        if (!Files.isDirectory(root))
            throw new SemiactiveException(format + " dataset root " + root.toAbsolutePath().normalize()
                    + " does not exist: pass the folder that holds " + layout);
        return root;
    }

    /** A folder that must exist; the message lists what the parent does hold, to spot typos. */
    static Path requireDir(Path dir, String what) {
        if (!Files.isDirectory(dir))
            throw new SemiactiveException(what + " " + dir.toAbsolutePath().normalize() + " does not exist: pick one of "
                    + subfolders(dir.getParent()) + " or create it");
        return dir;
    }

    /** Sub-folder names of a folder, sorted, for messages. */
    static List<String> subfolders(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Image files of a folder (by readable suffix), sorted by file name. */
    static List<Path> listImages(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(ImageIo::isImageFile).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new SemiactiveException("cannot list " + dir + " (" + e.getMessage() + "): check the folder's permissions", e);
        }
    }

    /** Image files of a folder; none is an error. */
    static List<Path> requireImages(Path dir, String what) {
        List<Path> images = listImages(dir);
        if (images.isEmpty()) throw emptySplit(dir, what);
        return images;
    }

    static SemiactiveException emptySplit(Path dir, String what) {
        return new SemiactiveException(what + " " + dir.toAbsolutePath().normalize()
                + " holds no images (png, jpg, tif...): put the split's images there or pick another split");
    }

    /**
     * The mask file of an image: the first existing candidate in {@code maskDir}. Missing: an error when
     * masks are required, else null (the image is unlabelled).
     */
    static Path findMask(Path maskDir, Path image, DataOptions options, String... candidates) {
        for (String c : candidates) {
            Path p = maskDir.resolve(c);
            if (Files.isRegularFile(p)) return p;
        }
        if (!options.requireMasks()) return null;
        throw new SemiactiveException("image " + image + " has no mask: expected " + maskDir.resolve(candidates[0])
                + "; add the mask, remove the image, or name the split in data.unlabelled_split to train on its images unlabelled");
    }

    /**
     * Whether a split's mask folder is there. Missing: an error when masks are required, else false (the
     * split's images load unlabelled).
     */
    static boolean maskFolder(Path maskDir, Path imageDir, DataOptions options) {
        if (Files.isDirectory(maskDir)) return true;
        if (!options.requireMasks()) return false;
        throw new SemiactiveException("mask folder " + maskDir.toAbsolutePath().normalize() + " is missing: add the masks of "
                + imageDir.toAbsolutePath().normalize() + " there, or name the split in data.unlabelled_split to train on its images unlabelled");
    }

    /** The first existing file among candidates, or null. */
    static Path firstExisting(Path dir, String... names) {
        for (String n : names) {
            Path p = dir.resolve(n);
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }
}
