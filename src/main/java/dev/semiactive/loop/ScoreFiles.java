package dev.semiactive.loop;

import dev.semiactive.data.IntImage;
import dev.semiactive.data.MaskIo;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Optional;

/**
 * The last scoring pass's per-image maps for the annotation page, as small PNGs under a project folder:
 * {@code scores/prediction/<id>.png} (class per pixel) and {@code scores/flagged/<id>.png} (1 where the
 * error mask flagged the prediction). Each round's scoring overwrites them (atomic writes), so they always
 * describe the newest model; PLAR's undecided pixels are in the store. File names are the URL-encoded image
 * id behind a fixed prefix, so no id can name a path outside these folders.
 */
public final class ScoreFiles {
    public static final String DIR = "scores";

    private final Path root;

    public ScoreFiles(Path projectDir) {
        this.root = projectDir.resolve(DIR);
    }

    public void write(Refinement.ImageRefinement r) {
        MaskIo.writeIndexPng(file("prediction", r.id()), r.prediction(), r.height(), r.width());
        int[] flags = new int[r.flagged().length];
        for (int p = 0; p < flags.length; p++) flags[p] = r.flagged()[p] ? 1 : 0;
        MaskIo.writeIndexPng(file("flagged", r.id()), flags, r.height(), r.width());
    }

    public Optional<int[]> prediction(String imageId) {
        Path f = file("prediction", imageId);
        return Files.isRegularFile(f) ? Optional.of(MaskIo.readIndex(f).values()) : Optional.empty();
    }

    public Optional<BitSet> flagged(String imageId) {
        Path f = file("flagged", imageId);
        if (!Files.isRegularFile(f)) return Optional.empty();
        IntImage img = MaskIo.readIndex(f);
        BitSet b = new BitSet(img.values().length);
        for (int p = 0; p < img.values().length; p++) if (img.values()[p] != 0) b.set(p);
        return Optional.of(b);
    }

    Path file(String kind, String imageId) {
        return root.resolve(kind).resolve("i-" + URLEncoder.encode(imageId, StandardCharsets.UTF_8) + ".png");
    }
}
