package dev.semiactive.data;

import dev.semiactive.SemiactiveException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link SampleSource} over files: sizes from headers, decoding delegated to the format. */
final class FileSource implements SampleSource {
    /** Decodes one source image (native resolution) with its mask. */
    interface Decoder {
        Sample decode(SourceImage src);
    }

    /** Turns a mask file into class ids / IGNORE. */
    interface MaskDecoder {
        IntImage decode(Path maskFile);
    }

    private final Map<String, SourceImage> byName = new LinkedHashMap<>();
    private final List<String> names;
    private final Decoder decoder;

    FileSource(List<SourceImage> images, Decoder decoder) {
        List<SourceImage> sorted = new ArrayList<>(images);
        sorted.sort((a, b) -> a.name().compareTo(b.name()));
        for (SourceImage s : sorted) {
            SourceImage previous = byName.put(s.name(), s);
            if (previous != null)
                throw new SemiactiveException("images " + previous.image() + " and " + s.image() + " have the same name '" + s.name()
                        + "': rename one, sample ids must be unique");
        }
        this.names = Collections.unmodifiableList(new ArrayList<>(byName.keySet()));
        this.decoder = decoder;
        // every mask against its image by their headers (nothing decoded): a wrong-size mask is found when the split
        // opens, not when training first loads it (a validation image's only after the steps before the first validation)
        for (SourceImage s : sorted) {
            if (s.mask() == null) continue;
            ImageIo.Size image = ImageIo.size(s.image()), mask = ImageIo.size(s.mask());
            requireSameSize(s.mask(), "mask", mask.width(), mask.height(), s.image(), image.width(), image.height());
        }
    }

    /** Decoder for the common case: an image file of {@code channels} channels plus an optional mask. */
    static Decoder imageAndMask(int channels, MaskDecoder masks) {
        return src -> combine(src, ImageIo.read(src.image(), channels), masks);
    }

    /** Decodes the mask (if any), checks it matches the image size, builds the sample. */
    static Sample combine(SourceImage src, ChwImage img, MaskDecoder masks) {
        int[] mask = null;
        if (src.mask() != null) {
            IntImage m = masks.decode(src.mask());
            requireSameSize(src.mask(), "mask", m.width(), m.height(), src.image(), img);
            mask = m.values();
        }
        return new Sample(src.name(), img.channels(), img.height(), img.width(), img.data(), mask);
    }

    static void requireSameSize(Path file, String what, int w, int h, Path imageFile, ChwImage img) {
        requireSameSize(file, what, w, h, imageFile, img.width(), img.height());
    }

    static void requireSameSize(Path file, String what, int w, int h, Path imageFile, int imageWidth, int imageHeight) {
        if (w != imageWidth || h != imageHeight)
            throw new SemiactiveException(what + " " + file + " is " + w + "x" + h + " but its image " + imageFile + " is "
                    + imageWidth + "x" + imageHeight + ": " + what + "s must match their image size");
    }

    List<SourceImage> images() {
        return List.copyOf(byName.values());
    }

    @Override
    public List<String> names() {
        return names;
    }

    @Override
    public ImageIo.Size nativeSize(String name) {
        return ImageIo.size(get(name).image());
    }

    @Override
    public Sample read(String name) {
        return decoder.decode(get(name));
    }

    private SourceImage get(String name) {
        SourceImage s = byName.get(name);
        if (s == null) throw new IllegalArgumentException("no source image named " + name);
        return s;
    }
}
