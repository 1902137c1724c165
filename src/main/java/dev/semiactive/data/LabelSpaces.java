package dev.semiactive.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.semiactive.SemiactiveException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Built-in label spaces and the class-list files of the generic {@code folder} format.
 *
 * <p>A class file is either
 * <ul>
 *   <li>{@code classes.txt}: one class per line, in id order, optionally followed by a colour:
 *       {@code road #804080}. Blank lines and lines starting with {@code #} are skipped (so a class name
 *       cannot start with '#').</li>
 *   <li>{@code classes.yaml}/{@code .yml}/{@code .json} with a {@code classes} key holding either a list
 *       of names (default colours) or an ordered map {@code name: "#RRGGBB"} where every class has a
 *       colour (quote colours in YAML: '#' starts a comment).</li>
 * </ul>
 * Classes without a colour get {@link #defaultColour}.
 */
public final class LabelSpaces {
    private LabelSpaces() {
    }

    /** CamVid's 11 SegNet classes with the SegNet tutorial palette (value 11, Unlabelled, is ignored). */
    public static LabelSpace camvid() {
        return new LabelSpace(
                List.of("Sky", "Building", "Pole", "Road", "Pavement", "Tree", "SignSymbol", "Fence", "Car",
                        "Pedestrian", "Bicyclist"),
                List.of(0x808080, 0x800000, 0xC0C080, 0x804080, 0x3C28DE, 0x808000, 0xC08080, 0x404080, 0x400080,
                        0x404000, 0x0080C0));
    }

    /** The 19 Cityscapes train-id classes with the official palette. */
    public static LabelSpace cityscapes() {
        return new LabelSpace(
                List.of("road", "sidewalk", "building", "wall", "fence", "pole", "traffic light", "traffic sign",
                        "vegetation", "terrain", "sky", "person", "rider", "car", "truck", "bus", "train",
                        "motorcycle", "bicycle"),
                List.of(0x804080, 0xF423E8, 0x464646, 0x66669C, 0xBE9999, 0x999999, 0xFAAA1E, 0xDCDC00, 0x6B8E23,
                        0x98FB98, 0x4682B4, 0xDC143C, 0xFF0000, 0x00008E, 0x000046, 0x003C64, 0x005064, 0x0000E6,
                        0x770B20));
    }

    /**
     * A deterministic colour per class id (the PASCAL VOC bit-interleaving palette, without black for
     * class 0 so that class 0 is distinguishable from ignored pixels in overlays).
     */
    public static int defaultColour(int classId) {
        int id = classId + 1;
        int r = 0, g = 0, b = 0;
        for (int j = 0; j < 8; j++) {
            r |= ((id) & 1) << (7 - j);
            g |= ((id >> 1) & 1) << (7 - j);
            b |= ((id >> 2) & 1) << (7 - j);
            id >>= 3;
        }
        return (r << 16) | (g << 8) | b;
    }

    /** A label space whose colours are {@link #defaultColour}. */
    public static LabelSpace withDefaultColours(List<String> names) {
        List<Integer> colours = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) colours.add(defaultColour(i));
        return new LabelSpace(names, colours);
    }

    /** Reads a class file ({@code .txt}, {@code .yaml}, {@code .yml} or {@code .json}; see class doc). */
    public static LabelSpace readClassFile(Path file) {
        if (!Files.isRegularFile(file))
            throw new SemiactiveException("class file " + file + " does not exist: create it with one class name per line");
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        List<String> names = new ArrayList<>();
        List<Integer> colours = new ArrayList<>();
        if (name.endsWith(".txt")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file);
            } catch (IOException e) {
                throw new SemiactiveException("cannot read class file " + file + " (" + e.getMessage() + "): check its permissions", e);
            }
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#")) continue;
                int hash = line.lastIndexOf(" #");
                if (hash > 0) {
                    names.add(line.substring(0, hash).strip());
                    colours.add(Colours.parse(line.substring(hash + 1).strip(), file, "line " + (i + 1)));
                } else {
                    names.add(line);
                    colours.add(null);
                }
            }
        } else if (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json")) {
            JsonNode classes = readTree(file).get("classes");
            if (classes == null || !(classes.isArray() || classes.isObject()))
                throw new SemiactiveException("class file " + file
                        + " has no 'classes' list or map: write classes: [name, ...] or classes: {name: \"#RRGGBB\", ...}");
            if (classes.isArray()) {
                for (JsonNode n : classes) {
                    names.add(n.asText());
                    colours.add(null);
                }
            } else {
                for (Iterator<Map.Entry<String, JsonNode>> it = classes.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    names.add(e.getKey());
                    // A null here is almost always an unquoted "#..." eaten as a YAML comment: fail, don't guess.
                    colours.add(Colours.parse(e.getValue(), file, "classes." + e.getKey()));
                }
            }
        } else {
            throw new SemiactiveException("class file " + file + " has an unknown extension: use .txt, .yaml, .yml or .json");
        }
        if (names.isEmpty()) throw new SemiactiveException("class file " + file + " lists no classes: add one class name per line");
        if (names.size() >= LabelSpace.IGNORE)
            throw new SemiactiveException("class file " + file + " lists " + names.size() + " classes: at most 254 are supported (value 255 marks ignored pixels); merge or remove classes");
        for (int i = 0; i < colours.size(); i++) if (colours.get(i) == null) colours.set(i, defaultColour(i));
        return new LabelSpace(names, colours);
    }

    /** Parses a YAML or JSON file (by extension) into a tree, with a one-line error on failure. */
    static JsonNode readTree(Path file) {
        boolean json = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
        ObjectMapper mapper = json ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
        try {
            JsonNode root = mapper.readTree(file.toFile());
            if (root == null || !root.isObject())
                throw new SemiactiveException(file + " is empty or not a " + (json ? "JSON object" : "YAML mapping")
                        + ": write a mapping whose 'classes' key lists the classes (see the documented layout)");
            return root;
        } catch (IOException e) {
            throw new SemiactiveException("cannot parse " + file + " (" + ImageIo.oneLine(e) + "): fix its " + (json ? "JSON" : "YAML") + " syntax", e);
        }
    }
}
