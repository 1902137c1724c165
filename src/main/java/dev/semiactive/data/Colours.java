package dev.semiactive.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semiactive.SemiactiveException;

import java.nio.file.Path;
import java.util.regex.Pattern;

/** Parsing and printing of 0xRRGGBB colours in palette and class files. */
final class Colours {
    private static final Pattern HEX = Pattern.compile("#?[0-9a-fA-F]{6}");

    private Colours() {
    }

    static String hex(int rgb) {
        return String.format("#%06X", rgb & 0xFFFFFF);
    }

    /** "#RRGGBB" or "RRGGBB". */
    static int parse(String text, Path file, String key) {
        String t = text == null ? "" : text.strip();
        if (!HEX.matcher(t).matches())
            throw new SemiactiveException(key + " in " + file + " is '" + t + "', not a colour: write it as \"#RRGGBB\"");
        return Integer.parseInt(t.startsWith("#") ? t.substring(1) : t, 16);
    }

    /** A quoted hex string or an [r, g, b] list. */
    static int parse(JsonNode node, Path file, String key) {
        if (node.isArray() && node.size() == 3) {
            int rgb = 0;
            for (JsonNode c : node) {
                if (!c.canConvertToInt() || c.asInt() < 0 || c.asInt() > 255)
                    throw new SemiactiveException(key + " in " + file + " is " + node + ": colour components must be 0..255");
                rgb = (rgb << 8) | c.asInt();
            }
            return rgb;
        }
        if (!node.isTextual())
            throw new SemiactiveException(key + " in " + file + " is " + (node.isNull() ? "empty" : node.toString())
                    + ": write colours as quoted \"#RRGGBB\" (in YAML an unquoted # starts a comment) or [r, g, b]");
        return parse(node.asText(), file, key);
    }
}
