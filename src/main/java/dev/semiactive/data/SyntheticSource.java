package dev.semiactive.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The {@code synthetic} format: {@link SyntheticScenes} rendered on demand, ids "syn_00000".. per split. */
final class SyntheticSource implements SampleSource {
    private final SyntheticScenes scenes;
    private final long seed;
    private final String split;
    private final List<String> names;

    SyntheticSource(SyntheticScenes scenes, long seed, String split, int count) {
        this.scenes = scenes;
        this.seed = seed;
        this.split = split;
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) out.add(String.format("syn_%05d", i));
        this.names = Collections.unmodifiableList(out);
    }

    static SegmentationDataset open(String split, DataOptions o) {
        String s = split == null || split.isBlank() ? "train" : split.strip();
        SyntheticScenes scenes = new SyntheticScenes(o.syntheticWidth(), o.syntheticHeight(), o.syntheticClasses());
        String origin = s + " seed " + o.seed() + " " + o.syntheticWidth() + "x" + o.syntheticHeight() + " " + o.syntheticClasses() + " classes";
        return new PreparedDataset("synthetic", origin, scenes.labels(), 3, new SyntheticSource(scenes, o.seed(), s, o.syntheticCount()), o);
    }

    @Override
    public List<String> names() {
        return names;
    }

    @Override
    public ImageIo.Size nativeSize(String name) {
        return new ImageIo.Size(scenes.width(), scenes.height());
    }

    @Override
    public Sample read(String name) {
        int index = Integer.parseInt(name.substring(4));
        return scenes.render(name, SyntheticScenes.sampleSeed(seed, split, index));
    }
}
