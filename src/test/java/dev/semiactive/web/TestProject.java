package dev.semiactive.web;

import dev.semiactive.al.RegionGrid;
import dev.semiactive.data.LabelSpace;
import dev.semiactive.store.MutableClock;
import dev.semiactive.store.ProjectStore;
import dev.semiactive.store.StoredImage;
import dev.semiactive.store.StoredRegion;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A small project for the web tests: two synthetic 64x48 "street" images in a store with one round of
 * pending queries, and {@link ProjectImages} over them.
 *
 * <ul>
 *   <li>{@code street/a} (an id with a slash, as a dataset subfolder gives): 16x16 grid regions;</li>
 *   <li>{@code b}: two triangular regions ({@code b#tri:0} where x + y < 40, {@code b#tri:1} the rest),
 *       so a region's bounding box holds pixels of another region.</li>
 * </ul>
 * Queue (round 0, by rank): {@link #R0}, {@link #R1}, {@link #TRI}, {@link #R3}.
 */
final class TestProject implements AutoCloseable {
    static final int W = 64, H = 48;
    static final String A = "street/a", B = "b";
    static final String R0 = "street/a#g16:0:0", R1 = "street/a#g16:0:1", TRI = "b#tri:0", R3 = "street/a#g16:1:1";
    static final LabelSpace LABELS = new LabelSpace(List.of("sky", "road", "tree", "car"),
        List.of(0x6fa8dc, 0x7f7f7f, 0x38761d, 0xcc0000));

    final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    final ProjectStore store;
    final Images images = new Images();

    TestProject(Path dir) {
        store = ProjectStore.open(dir.resolve("project.db"), clock);
        store.putImages(List.of(new StoredImage(A, "", W, H, ""), new StoredImage(B, "", W, H, "")));
        new RegionGrid(16).regionize(A, H, W).saveTo(store);
        int[] tri = new int[W * H];
        for (int y = 0; y < H; y++) for (int x = 0; x < W; x++) tri[y * W + x] = x + y < 40 ? 0 : 1;
        int count0 = 0;
        for (int v : tri) if (v == 0) count0++;
        store.putRegionMap(B, "tri", W, H, tri, List.of(
            new StoredRegion(TRI, B, "tri", 0, 0, 0, 40, 40, count0),
            new StoredRegion("b#tri:1", B, "tri", 1, 0, 0, W, H, W * H - count0)));
        store.beginRound(0);
        store.commitSelection(0, "entropy", List.of(new ProjectStore.NewQuery(R0, 0.9, 0),
            new ProjectStore.NewQuery(R1, 0.8, 1), new ProjectStore.NewQuery(TRI, 0.7, 2),
            new ProjectStore.NewQuery(R3, 0.6, 3)));
    }

    AnnotationServer.Builder server() {
        return AnnotationServer.builder().setStore(store).setLabelSpace(LABELS).setImages(images)
            .optProjectName("street-test").optPort(0).optClock(clock);
    }

    /** Pixels of a grid cell of {@link #A}, ascending. */
    static int[] cell(int row, int col) {
        int[] px = new int[256];
        int n = 0;
        for (int y = row * 16; y < row * 16 + 16; y++) for (int x = col * 16; x < col * 16 + 16; x++) px[n++] = y * W + x;
        return px;
    }

    /** Ground truth of the synthetic street: sky on top, trees left and road below, one car. */
    static int truth(int x, int y) {
        if (x >= 40 && x < 56 && y >= 30 && y < 38) return 3;
        if (y < 14 + (x % 16 < 8 ? 2 : 0)) return 0;
        if (y < 26 && x < 36) return 2;
        if (y < 26) return 0;
        return 1;
    }

    @Override
    public void close() {
        store.close();
    }

    /** Pictures drawn from the ground truth with seeded noise; the prediction gets the car wrong. */
    static final class Images implements ProjectImages {
        private final Map<String, byte[]> pngs = Map.of(A, picture(1), B, picture(2));

        private static byte[] picture(long seed) {
            SplittableRandom rnd = new SplittableRandom(seed);
            int[][] base = {{120, 170, 225}, {110, 110, 115}, {50, 115, 40}, {200, 30, 30}};
            BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int[] c = base[truth(x, y)];
                    int n = rnd.nextInt(-18, 19);
                    int r = clamp(c[0] + n + (truth(x, y) == 0 ? y * 2 : 0)), g = clamp(c[1] + n), b = clamp(c[2] + n);
                    if (truth(x, y) == 1 && y == 40 && x % 8 < 4) r = g = b = 235;   // lane marking
                    img.setRGB(x, y, (r << 16) | (g << 8) | b);
                }
            }
            return Pngs.encode(img);
        }

        private static int clamp(int v) {
            return Math.max(0, Math.min(255, v));
        }

        @Override
        public byte[] imagePng(String imageId) {
            return pngs.get(imageId);
        }

        @Override
        public Optional<int[]> prediction(String imageId) {
            int[] p = new int[W * H];
            for (int y = 0; y < H; y++) for (int x = 0; x < W; x++) p[y * W + x] = truth(x, y) == 3 ? 1 : truth(x, y);
            return Optional.of(p);
        }

        @Override
        public Optional<BitSet> flagged(String imageId) {
            if (!imageId.equals(A)) return Optional.empty();
            BitSet b = new BitSet();
            for (int y = 0; y < H; y++) for (int x = 0; x < W; x++) if (truth(x, y) == 3) b.set(y * W + x);
            return Optional.of(b);
        }

        @Override
        public Optional<BitSet> undecided(String imageId) {
            BitSet b = new BitSet();
            for (int y = 1; y < H; y++) for (int x = 0; x < W; x++) if (truth(x, y) != truth(x, y - 1)) b.set(y * W + x);
            return Optional.of(b);
        }
    }
}
