package dev.semiactive.store;

/**
 * One pool image as the project knows it.
 *
 * @param id     stable image id (the dataset's sample id)
 * @param path   where it was read from (informational; may be empty for synthetic data)
 * @param width  columns at working resolution
 * @param height rows at working resolution
 * @param hash   content hash (hex) so a changed file is noticed; may be empty
 */
public record StoredImage(String id, String path, int width, int height, String hash) {
    public StoredImage {
        if (id == null || id.isEmpty()) throw new IllegalArgumentException("image id must not be empty");
        if (width <= 0 || height <= 0) throw new IllegalArgumentException("image " + id + " has size " + width + "x" + height);
        path = path == null ? "" : path;
        hash = hash == null ? "" : hash;
    }

    public long pixels() {
        return (long) width * height;
    }
}
