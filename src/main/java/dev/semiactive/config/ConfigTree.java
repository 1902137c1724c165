package dev.semiactive.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The config as a YAML tree while it is being assembled: the defaults, then the file, then each override
 * merged on top. Merging is where unknown keys are caught, because only here is it known which file or
 * override wrote them; it also remembers which source set each key so that a later binding error can
 * name it.
 */
final class ConfigTree {
    private final ObjectNode root;
    private final Map<String, String> origins = new HashMap<>();
    private String primarySource;

    ConfigTree(ObjectNode defaults) {
        this.root = defaults.deepCopy();
    }

    ObjectNode root() {
        return root;
    }

    /** Merges a user tree: sections merge key by key, values replace. A null section keeps its defaults. */
    void merge(JsonNode user, String source) {
        if (primarySource == null) primarySource = source;
        if (user == null || user.isMissingNode() || user.isNull()) return;
        if (!user.isObject())
            throw new ConfigException(source + ": expected a mapping of sections (" + keys(root) + "), got "
                    + ConfigLoader.render(user));
        mergeInto(root, (ObjectNode) user, "", source);
    }

    /**
     * Applies one override at a dotted key. Each parent must be an existing section, so
     * {@code train.steps.max=5} fails on the path rather than as a strange value for {@code train.steps}.
     */
    void set(String key, JsonNode value, String source) {
        if (primarySource == null) primarySource = source;
        String[] names = key.split("\\.");
        ObjectNode parent = root;
        String prefix = "";
        for (int i = 0; i < names.length - 1; i++) {
            String path = prefix.isEmpty() ? names[i] : prefix + "." + names[i];
            JsonNode child = parent.get(names[i]);
            if (child == null) throw unknownKey(parent, prefix, names[i], path, source);
            if (!child.isObject())
                throw new ConfigException(source + ": " + path + " is a value, not a section, so it has no key '"
                        + names[i + 1] + "'");
            parent = (ObjectNode) child;
            prefix = path;
        }
        ObjectNode entry = parent.objectNode();
        entry.set(names[names.length - 1], value);
        mergeInto(parent, entry, prefix, source);
    }

    private void mergeInto(ObjectNode base, ObjectNode user, String prefix, String source) {
        for (Iterator<Map.Entry<String, JsonNode>> it = user.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            String key = prefix.isEmpty() ? name : prefix + "." + name;
            JsonNode current = base.get(name);
            if (current == null) throw unknownKey(base, prefix, name, key, source);
            JsonNode value = entry.getValue();
            if (current.isObject()) {
                if (value.isNull()) continue;
                if (!value.isObject())
                    throw new ConfigException(source + ": " + key + " is a section with keys " + keys(current)
                            + ", not a value (got " + ConfigLoader.render(value) + ")");
                mergeInto((ObjectNode) current, (ObjectNode) value, key, source);
            } else {
                base.set(name, value);
                origins.put(key, source);
            }
        }
    }

    private static ConfigException unknownKey(ObjectNode base, String prefix, String name, String key, String source) {
        String where = prefix.isEmpty() ? "at the top level" : "in " + prefix;
        String suggestion = closest(base, name);
        return new ConfigException(source + ": unknown key '" + key + "'"
                + (suggestion == null ? "" : " (did you mean '" + suggestion + "'?)")
                + "; valid keys " + where + ": " + keys(base));
    }

    /** The source that set {@code key} or its nearest parent; the first source (the file) otherwise. */
    String originOf(String key) {
        for (String k = key; !k.isEmpty(); k = k.contains(".") ? k.substring(0, k.lastIndexOf('.')) : "") {
            String origin = origins.get(k);
            if (origin != null) return origin;
        }
        return primarySource != null ? primarySource : "config";
    }

    /** The current value at a dotted key, or a missing node. */
    JsonNode at(String key) {
        return key.isEmpty() ? root : root.at("/" + key.replace('.', '/'));
    }

    static String keys(JsonNode section) {
        List<String> names = new ArrayList<>();
        section.fieldNames().forEachRemaining(names::add);
        return String.join(", ", names);
    }

    /** The known key within two edits of a misspelt one, if any: catches "stpes", "batchsize". */
    private static String closest(ObjectNode base, String name) {
        String best = null;
        int bestDistance = 3;
        for (Iterator<String> it = base.fieldNames(); it.hasNext(); ) {
            String candidate = it.next();
            int d = editDistance(name, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best;
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) previous[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
