package dev.semiactive.config;

import java.nio.file.Path;

/**
 * A dataset named on the command line as {@code FORMAT:ROOT} ({@code camvid:../shared/datasets/camvid});
 * the {@code synthetic} format needs no root.
 *
 * @param format the dataset layout
 * @param root   the dataset folder, null for {@code synthetic}
 */
public record DataSource(DatasetFormat format, Path root) {
    public DataSource {
        ConfigChecks.required("format", format);
        if (format.readsFolder() && root == null)
            throw new ConfigException("dataset format " + format.configName() + " needs a folder: write "
                    + format.configName() + ":ROOT");
    }

    /** Parses {@code FORMAT:ROOT}, or {@code synthetic} alone; errors are one line listing the formats. */
    public static DataSource parse(String text) {
        int colon = text.indexOf(':');
        String name = (colon < 0 ? text : text.substring(0, colon)).strip();
        String root = colon < 0 ? "" : text.substring(colon + 1).strip();
        DatasetFormat format;
        try {
            format = DatasetFormat.of(name);
        } catch (ConfigValueException e) {
            throw new ConfigException("unknown dataset format '" + name + "' in '" + text + "'; expected FORMAT:ROOT with FORMAT one of "
                    + ConfigChoice.names(DatasetFormat.class));
        }
        if (root.isEmpty()) {
            if (format.readsFolder())
                throw new ConfigException("'" + text + "' has no dataset folder; expected FORMAT:ROOT, e.g. camvid:../shared/datasets/camvid");
            return new DataSource(format, null);
        }
        return new DataSource(format, Path.of(root));
    }

    @Override
    public String toString() {
        return root == null ? format.configName() : format.configName() + ":" + root;
    }
}
