package dev.semiactive.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semiactive.SemiactiveException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Decodes colour-coded masks: each class has one RGB colour, a few colours mean "ignore", and any other
 * colour is an error in the data (reported with file, pixel and colour, never silently ignored).
 *
 * <p>Palette file ({@code palette.yaml}, {@code .yml} or {@code .json}), classes in id order:
 * <pre>
 * classes:
 *   Building: "#3C1098"
 *   Land: "#8429F6"
 * ignore: ["#9B9B9B", "#000000"]
 * </pre>
 * Colours are quoted "#RRGGBB" strings (an unquoted # starts a YAML comment) or [r, g, b] lists.
 */
public final class ColourPalette {
    private final LabelSpace labels;
    private final List<Integer> ignoreColours;
    private final Map<Integer, Integer> valueOfColour = new HashMap<>();

    public ColourPalette(LabelSpace labels, List<Integer> ignoreColours) {
        this.labels = labels;
        this.ignoreColours = List.copyOf(ignoreColours);
        for (int i = 0; i < labels.numClasses(); i++) {
            Integer previous = valueOfColour.put(labels.paletteRgb().get(i) & 0xFFFFFF, i);
            if (previous != null)
                throw new IllegalArgumentException("classes " + labels.classNames().get(previous) + " and "
                        + labels.classNames().get(i) + " share colour " + Colours.hex(labels.paletteRgb().get(i)));
        }
        for (int c : this.ignoreColours) {
            Integer previous = valueOfColour.put(c & 0xFFFFFF, LabelSpace.IGNORE);
            if (previous != null && previous != LabelSpace.IGNORE)
                throw new IllegalArgumentException("colour " + Colours.hex(c) + " is both class "
                        + labels.classNames().get(previous) + " and ignored");
        }
    }

    /** Dubai aerial imagery: 5 classes; Unlabeled #9B9B9B and the stray #000000 are ignored. */
    public static ColourPalette dubai() {
        return new ColourPalette(new LabelSpace(
                List.of("Building", "Land", "Road", "Vegetation", "Water"),
                List.of(0x3C1098, 0x8429F6, 0x6EC1E4, 0xFEDD3A, 0xE2A929)),
                List.of(0x9B9B9B, 0x000000));
    }

    /**
     * ISPRS Vaihingen: 6 classes, Clutter/background is class 5. Black is ignored so the boundary-eroded
     * ground truth (black borders) also decodes.
     */
    public static ColourPalette vaihingen() {
        return new ColourPalette(new LabelSpace(
                List.of("Impervious", "Building", "LowVeg", "Tree", "Car", "Clutter"),
                List.of(0xFFFFFF, 0x0000FF, 0x00FFFF, 0x00FF00, 0xFFFF00, 0xFF0000)),
                List.of(0x000000));
    }

    /** Reads a palette file (see class doc). */
    public static ColourPalette load(Path file) {
        if (!Files.isRegularFile(file))
            throw new SemiactiveException("palette file " + file + " does not exist: create it (classes: {name: \"#RRGGBB\"}, ignore: [...]) or drop the option");
        JsonNode root = LabelSpaces.readTree(file);
        JsonNode classes = root.get("classes");
        if (classes == null || !classes.isObject() || classes.isEmpty())
            throw new SemiactiveException("palette file " + file + " has no 'classes' map: write classes: {Name: \"#RRGGBB\", ...}");
        List<String> names = new ArrayList<>();
        List<Integer> colours = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = classes.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            names.add(e.getKey());
            colours.add(Colours.parse(e.getValue(), file, "classes." + e.getKey()));
        }
        List<Integer> ignore = new ArrayList<>();
        JsonNode ig = root.get("ignore");
        if (ig != null && !ig.isNull()) {
            if (!ig.isArray())
                throw new SemiactiveException("'ignore' in " + file + " is not a list: write ignore: [\"#RRGGBB\", ...]");
            for (JsonNode n : ig) ignore.add(Colours.parse(n, file, "ignore"));
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!key.equals("classes") && !key.equals("ignore"))
                throw new SemiactiveException("unknown key '" + key + "' in palette file " + file + ": only 'classes' and 'ignore' are read");
        }
        if (names.size() >= LabelSpace.IGNORE)
            throw new SemiactiveException("palette file " + file + " lists " + names.size() + " classes: at most 254 are supported (value 255 marks ignored pixels); merge or remove classes");
        try {
            return new ColourPalette(new LabelSpace(names, colours), ignore);
        } catch (IllegalArgumentException e) {
            throw new SemiactiveException("palette file " + file + ": " + e.getMessage() + "; every colour must mean one thing", e);
        }
    }

    public LabelSpace labels() {
        return labels;
    }

    public List<Integer> ignoreColours() {
        return ignoreColours;
    }

    /** Class id (or IGNORE) of a colour, or -1 when the palette does not know it. */
    public int valueOf(int rgb) {
        Integer v = valueOfColour.get(rgb & 0xFFFFFF);
        return v == null ? -1 : v;
    }

    /**
     * Maps packed 0xRRGGBB pixels to class ids / IGNORE. The first unknown colour fails naming the file,
     * the pixel and the colour.
     */
    public int[] decode(IntImage rgb, Path file) {
        int[] px = rgb.values();
        int[] out = new int[px.length];
        // Masks are made of large flat regions: remembering the last colour skips most map lookups.
        int lastColour = -1, lastValue = -1;
        for (int i = 0; i < px.length; i++) {
            int c = px[i];
            if (c != lastColour) {
                lastColour = c;
                lastValue = valueOf(c);
                if (lastValue < 0)
                    throw new SemiactiveException("mask " + file + " has colour " + Colours.hex(c) + " at pixel ("
                            + (i % rgb.width()) + "," + (i / rgb.width()) + ") which is not in the palette (" + describe()
                            + "): fix the mask or add the colour to the dataset's palette file (as a class or under ignore)");
            }
            out[i] = lastValue;
        }
        return out;
    }

    /** "Building #3C1098, ..., ignore #9B9B9B #000000". */
    public String describe() {
        StringJoiner j = new StringJoiner(", ");
        for (int i = 0; i < labels.numClasses(); i++)
            j.add(labels.classNames().get(i) + " " + Colours.hex(labels.paletteRgb().get(i)));
        StringBuilder sb = new StringBuilder(j.toString());
        if (!ignoreColours.isEmpty()) {
            sb.append(", ignore");
            for (int c : ignoreColours) sb.append(' ').append(Colours.hex(c));
        }
        return sb.toString();
    }
}
