package dev.semiactive.data;

import dev.semiactive.SemiactiveException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link SegmentationDataset} over a {@link SampleSource}: applies {@link DataOptions}' resize/scale and
 * tiling. Without tiling, ids are the source names and nothing is read until {@link #load}. With tiling,
 * the first {@link #ids()} reads every source header (not pixels) to lay out the tile grid.
 */
final class PreparedDataset implements SegmentationDataset {
    private record TileRef(String name, int x, int y) {
    }

    private final String format;
    private final String origin;
    private final LabelSpace labels;
    private final int channels;
    private final SampleSource source;
    private final DataOptions options;
    private final Set<String> names;
    private volatile List<String> tileIds;
    private volatile Map<String, TileRef> tiles;
    /** Decoded working-resolution source images by name, least recently used first; guarded by itself. */
    private final LinkedHashMap<String, Sample> cache;
    private final long cacheBudget;
    private long cachedBytes;

    PreparedDataset(String format, String origin, LabelSpace labels, int channels, SampleSource source, DataOptions options) {
        this.format = format;
        this.origin = origin;
        this.labels = labels;
        this.channels = channels;
        this.source = source;
        this.options = options;
        this.names = new HashSet<>(source.names());
        this.cacheBudget = options.cacheMegabytes() * 1024L * 1024L;
        this.cache = new LinkedHashMap<>(16, 0.75f, true);
    }

    @Override
    public LabelSpace labels() {
        return labels;
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public List<String> ids() {
        return options.tiled() ? tileLayout() : source.names();
    }

    @Override
    public Sample load(String id) {
        if (!options.tiled()) {
            if (!names.contains(id)) throw unknown(id);
            return toWorking(source.read(id));
        }
        TileRef ref = tileMap().get(id);
        if (ref == null) throw unknown(id);
        Sample whole = working(ref.name());
        return SampleOps.cropOrPad(whole, id, ref.x(), ref.y(), options.tileWidth(), options.tileHeight());
    }

    @Override
    public String describe() {
        int images = source.names().size();
        StringBuilder sb = new StringBuilder(format).append(':').append(origin).append(" (").append(images)
                .append(images == 1 ? " image" : " images");
        if (options.resized()) sb.append(", resized to ").append(options.width()).append('x').append(options.height());
        else if (options.scale() != 1.0) sb.append(", scale ").append(options.scale());
        if (options.tiled())
            sb.append(", ").append(ids().size()).append(" tiles ").append(options.tileWidth()).append('x').append(options.tileHeight());
        return sb.append(')').toString();
    }

    @Override
    public String toString() {
        return describe();
    }

    private SemiactiveException unknown(String id) {
        return new SemiactiveException("sample id '" + id + "' is not in " + format + ":" + origin
                + ": use one of the dataset's ids (e.g. '" + ids().get(0) + "')");
    }

    private Sample toWorking(Sample s) {
        ImageIo.Size size = options.workingSize(s.width(), s.height());
        return SampleOps.resize(s, size.height(), size.width());
    }

    /** The whole source image at working resolution, through an LRU cache so its tiles decode it once. */
    private Sample working(String name) {
        synchronized (cache) {
            Sample hit = cache.get(name);
            if (hit != null) return hit;
        }
        Sample s = toWorking(source.read(name));
        long bytes = bytes(s);
        if (bytes > cacheBudget) return s;
        synchronized (cache) {
            if (cache.put(name, s) == null) cachedBytes += bytes;
            for (Iterator<Map.Entry<String, Sample>> it = cache.entrySet().iterator(); cachedBytes > cacheBudget && it.hasNext(); ) {
                Map.Entry<String, Sample> eldest = it.next();
                cachedBytes -= bytes(eldest.getValue());
                it.remove();
            }
        }
        return s;
    }

    private static long bytes(Sample s) {
        return 4L * s.image().length + (s.mask() == null ? 0 : 4L * s.mask().length);
    }

    /** Bytes held by the decoded-image cache (for tests and diagnostics). */
    long cachedBytes() {
        synchronized (cache) {
            return cachedBytes;
        }
    }

    private Map<String, TileRef> tileMap() {
        tileLayout();
        return tiles;
    }

    private List<String> tileLayout() {
        List<String> ids = tileIds;
        if (ids != null) return ids;
        synchronized (this) {
            if (tileIds != null) return tileIds;
            Map<String, TileRef> refs = new HashMap<>();
            List<String> out = new ArrayList<>();
            for (String name : source.names()) {
                ImageIo.Size nat = source.nativeSize(name);
                ImageIo.Size size = options.workingSize(nat.width(), nat.height());
                for (int y : TileGrid.positions(size.height(), options.tileHeight(), options.strideY()))
                    for (int x : TileGrid.positions(size.width(), options.tileWidth(), options.strideX())) {
                        String id = TileGrid.tileId(name, x, y);
                        refs.put(id, new TileRef(name, x, y));
                        out.add(id);
                    }
            }
            Collections.sort(out);
            tiles = refs;
            tileIds = Collections.unmodifiableList(out);
            return tileIds;
        }
    }
}
