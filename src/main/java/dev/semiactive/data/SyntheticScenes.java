package dev.semiactive.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Procedural scenes for tests and the demo: a textured background with a few textured shapes. Each class
 * has its own shape, colour and texture; some classes share a colour family and differ only by texture
 * and shape (box vs stripe, disc vs ring), and every image jitters brightness and colours, so a model
 * must look at texture and context, not single pixel colours. A scene is a pure function of
 * (size, classes, seed): {@link #render} is deterministic.
 */
public final class SyntheticScenes {
    public static final int MAX_CLASSES = 8;

    private enum Texture { BLOTCH, STRIPES, CHECKER, DOTS, NOISE, FLAT }

    private enum Shape { NONE, BOX, DISC, STRIPE, TRIANGLE, RING, CROSS, BLOB }

    private record Look(String name, Shape shape, float r, float g, float b, Texture texture, float period,
                        double angle, float amplitude) {
    }

    private static final Look[] LOOKS = {
            new Look("background", Shape.NONE, 0.46f, 0.43f, 0.38f, Texture.BLOTCH, 0f, 0, 0.10f),
            new Look("box", Shape.BOX, 0.74f, 0.36f, 0.30f, Texture.STRIPES, 6f, 0.0, 0.16f),
            new Look("disc", Shape.DISC, 0.30f, 0.52f, 0.74f, Texture.CHECKER, 8f, 0, 0.12f),
            new Look("stripe", Shape.STRIPE, 0.68f, 0.40f, 0.34f, Texture.DOTS, 5f, 0, 0.18f),
            new Look("triangle", Shape.TRIANGLE, 0.36f, 0.64f, 0.34f, Texture.STRIPES, 4f, Math.PI / 4, 0.15f),
            new Look("ring", Shape.RING, 0.33f, 0.50f, 0.70f, Texture.NOISE, 0f, 0, 0.14f),
            new Look("cross", Shape.CROSS, 0.80f, 0.74f, 0.30f, Texture.STRIPES, 3f, Math.PI / 2, 0.12f),
            new Look("blob", Shape.BLOB, 0.56f, 0.36f, 0.64f, Texture.FLAT, 0f, 0, 0f),
    };

    private final int width;
    private final int height;
    private final int numClasses;
    private final LabelSpace labels;

    public SyntheticScenes(int width, int height, int numClasses) {
        if (numClasses < 2 || numClasses > MAX_CLASSES)
            throw new IllegalArgumentException("synthetic scenes have 2.." + MAX_CLASSES + " classes, not " + numClasses);
        if (width < 8 || height < 8) throw new IllegalArgumentException("synthetic scenes need at least 8x8 pixels");
        this.width = width;
        this.height = height;
        this.numClasses = numClasses;
        List<String> names = new ArrayList<>();
        List<Integer> colours = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            Look l = LOOKS[c];
            names.add(l.name());
            colours.add((ImageIo.toByte(l.r()) << 16) | (ImageIo.toByte(l.g()) << 8) | ImageIo.toByte(l.b()));
        }
        this.labels = new LabelSpace(names, colours);
    }

    public LabelSpace labels() {
        return labels;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** A stable per-sample seed from a dataset seed, a split name and an index (SplitMix64 finaliser). */
    public static long sampleSeed(long seed, String split, int index) {
        long z = seed * 0x9E3779B97F4A7C15L + split.hashCode() * 0xBF58476D1CE4E5B9L + index;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Renders the scene of a seed: same seed, same pixels and mask. */
    public Sample render(String id, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = width * height;
        int[] mask = new int[n];
        float[] img = new float[3 * n];
        float brightness = (float) rng.nextDouble(0.85, 1.15);
        paint(img, mask, null, LOOKS[0], 0, rng, brightness);
        int objects = numClasses == 2 ? 1 + rng.nextInt(2) : 3 + rng.nextInt(3);
        double s = Math.min(width, height);
        for (int o = 0; o < objects; o++) {
            int cls = 1 + rng.nextInt(numClasses - 1);
            boolean[] inside = shape(LOOKS[cls].shape(), rng, s);
            paint(img, mask, inside, LOOKS[cls], cls, rng, brightness);
        }
        // Sensor noise over everything, then clamp to the valid range.
        for (int i = 0; i < img.length; i++) {
            float v = img[i] + (float) (rng.nextDouble() - 0.5) * 0.08f;
            img[i] = v < 0 ? 0 : Math.min(v, 1f);
        }
        return new Sample(id, 3, height, width, img, mask);
    }

    /** Fills the pixels of a region (null = all) with a class's textured colour. */
    private void paint(float[] img, int[] mask, boolean[] inside, Look look, int cls, SplittableRandom rng, float brightness) {
        int n = width * height;
        float jr = (float) rng.nextDouble(-0.05, 0.05), jg = (float) rng.nextDouble(-0.05, 0.05), jb = (float) rng.nextDouble(-0.05, 0.05);
        double phase1 = rng.nextDouble(0, 2 * Math.PI), phase2 = rng.nextDouble(0, 2 * Math.PI);
        double angle = look.angle() + rng.nextDouble(-0.3, 0.3);
        double blotchX = rng.nextDouble(0.5, 1.0) * width, blotchY = rng.nextDouble(0.5, 1.0) * height;
        double cos = Math.cos(angle), sin = Math.sin(angle);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                if (inside != null && !inside[i]) continue;
                double t = switch (look.texture()) {
                    case BLOTCH -> 0.5 * (Math.sin(2 * Math.PI * x / blotchX + phase1) + Math.sin(2 * Math.PI * y / blotchY + phase2));
                    case STRIPES -> Math.sin(2 * Math.PI * (x * cos + y * sin) / look.period() + phase1);
                    case CHECKER -> Math.signum(Math.sin(2 * Math.PI * x / look.period() + phase1) * Math.sin(2 * Math.PI * y / look.period() + phase2));
                    case DOTS -> Math.sin(2 * Math.PI * x / look.period() + phase1) * Math.sin(2 * Math.PI * y / look.period() + phase2);
                    case NOISE -> rng.nextDouble(-1, 1);
                    case FLAT -> 0;
                };
                float d = (float) (look.amplitude() * t);
                img[i] = (look.r() + jr + d) * brightness;
                img[n + i] = (look.g() + jg + d) * brightness;
                img[2 * n + i] = (look.b() + jb + d) * brightness;
                mask[i] = cls;
            }
        }
    }

    /** Pixels covered by one random instance of a shape; sizes are fractions of the shorter side s. */
    private boolean[] shape(Shape shape, SplittableRandom rng, double s) {
        boolean[] in = new boolean[width * height];
        double cx = rng.nextDouble(0.1, 0.9) * width, cy = rng.nextDouble(0.1, 0.9) * height;
        double a = rng.nextDouble(0, Math.PI);
        double r = rng.nextDouble(0.13, 0.28) * s;
        double w2 = rng.nextDouble(0.1, 0.25) * s, h2 = rng.nextDouble(0.1, 0.25) * s;
        double[] tx = new double[3], ty = new double[3];
        for (int k = 0; k < 3; k++) {
            double ang = a + k * 2 * Math.PI / 3 + rng.nextDouble(-0.4, 0.4);
            double rad = r * rng.nextDouble(0.8, 1.3);
            tx[k] = cx + rad * Math.cos(ang);
            ty[k] = cy + rad * Math.sin(ang);
        }
        double cos = Math.cos(a), sin = Math.sin(a);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
                double u = dx * cos + dy * sin, v = -dx * sin + dy * cos;
                double dist = Math.hypot(dx, dy);
                in[y * width + x] = switch (shape) {
                    case NONE -> true;
                    case BOX -> Math.abs(dx) <= w2 && Math.abs(dy) <= h2;
                    case DISC -> dist <= r * 0.8;
                    case STRIPE -> Math.abs(v) <= Math.max(1.5, 0.07 * s);
                    case TRIANGLE -> insideTriangle(x + 0.5, y + 0.5, tx, ty);
                    case RING -> dist <= r && dist >= 0.55 * r;
                    case CROSS -> (Math.abs(u) <= r && Math.abs(v) <= 0.3 * r) || (Math.abs(v) <= r && Math.abs(u) <= 0.3 * r);
                    case BLOB -> (u * u) / (r * r) + (v * v) / (0.45 * r * r * 0.45) <= 1 + 0.15 * Math.sin(5 * Math.atan2(v, u));
                };
            }
        }
        return in;
    }

    private static boolean insideTriangle(double px, double py, double[] x, double[] y) {
        double d1 = (px - x[1]) * (y[0] - y[1]) - (x[0] - x[1]) * (py - y[1]);
        double d2 = (px - x[2]) * (y[1] - y[2]) - (x[1] - x[2]) * (py - y[2]);
        double d3 = (px - x[0]) * (y[2] - y[0]) - (x[2] - x[0]) * (py - y[0]);
        boolean neg = d1 < 0 || d2 < 0 || d3 < 0;
        boolean pos = d1 > 0 || d2 > 0 || d3 > 0;
        return !(neg && pos);
    }
}
