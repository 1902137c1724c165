package dev.semiactive.config;

/**
 * Section {@code data.synthetic}: the procedural scenes of the {@code synthetic} format (tests, demo).
 *
 * @param images  number of images per split (default 48)
 * @param width   image width in pixels (default 64)
 * @param height  image height in pixels (default 64)
 * @param classes number of classes, 2 to 254 (default 4)
 */
public record SyntheticConfig(int images, int width, int height, int classes) {
    public SyntheticConfig {
        ConfigChecks.atLeast("data.synthetic.images", images, 1);
        ConfigChecks.atLeast("data.synthetic.width", width, 8);
        ConfigChecks.atLeast("data.synthetic.height", height, 8);
        ConfigChecks.between("data.synthetic.classes", classes, 2, 254);
    }

    public static SyntheticConfig defaults() {
        return new SyntheticConfig(48, 64, 64, 4);
    }
}
