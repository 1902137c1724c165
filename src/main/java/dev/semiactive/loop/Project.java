package dev.semiactive.loop;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.semiactive.SemiactiveException;
import dev.semiactive.al.HumanOracle;
import dev.semiactive.config.ConfigLoader;
import dev.semiactive.config.ConfigWriter;
import dev.semiactive.config.DataConfig;
import dev.semiactive.config.DataSource;
import dev.semiactive.config.SemiactiveConfig;
import dev.semiactive.data.Datasets;
import dev.semiactive.data.LabelSpace;
import dev.semiactive.data.LabelSpaces;
import dev.semiactive.data.SegmentationDataset;
import dev.semiactive.pipeline.Components;
import dev.semiactive.store.LabelStats;
import dev.semiactive.store.ProjectStore;
import dev.semiactive.store.QueryRecord;
import dev.semiactive.store.QueryStatus;
import dev.semiactive.store.RoundPhase;
import dev.semiactive.train.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A practitioner's labelling project: a folder of unlabelled images, a class list, and a project folder
 * holding everything else:
 * <pre>
 * DIR/config.yaml     the resolved config (al.oracle is always human; run.output_dir is DIR)
 * DIR/classes.yaml    class names and colours
 * DIR/project.db      the project store (images, regions, queries, labels, PLAR, metrics); meta
 *                     'images_folder' names the image folder
 * DIR/rounds/round-NN each round's training run (checkpoints/latest is the round's model)
 * DIR/scores/         the last scoring's predictions and error masks, for the annotation page
 * </pre>
 * Each {@link #round} trains on what is labelled, scores the pool and queues the next regions for a person
 * (round 0: random regions, no model); the web UI ({@code semiactive serve}) answers them into the store.
 */
public final class Project implements AutoCloseable {
    public static final String CONFIG = "config.yaml";
    public static final String CLASSES = "classes.yaml";
    public static final String STORE = "project.db";
    static final String IMAGES_META = "images_folder";

    private final Path dir;
    private final SemiactiveConfig config;
    private final LabelSpace labels;
    private final ProjectStore store;
    private final SegmentationDataset pool;

    private Project(Path dir, SemiactiveConfig config, LabelSpace labels, ProjectStore store, SegmentationDataset pool) {
        this.dir = dir;
        this.config = config;
        this.labels = labels;
        this.store = store;
        this.pool = pool;
    }

    /**
     * Creates a project in {@code dir} (which must not hold one) over the images of {@code images}.
     *
     * @param config the settings (model, training, al.*); al.oracle becomes human, run.output_dir {@code dir}
     */
    public static Project init(Path dir, Path images, LabelSpace labels, SemiactiveConfig config) {
        if (Files.exists(dir.resolve(STORE)))
            throw new SemiactiveException(dir + " already holds a project (" + STORE + "): use 'project round --dir " + dir
                    + "' or choose another --dir");
        if (!Files.isDirectory(images))
            throw new SemiactiveException("--images " + images + " is not a folder: pass the folder of images to label");
        SemiactiveConfig resolved = ConfigLoader.parse(ConfigWriter.toYaml(config), "project config",
                List.of("al.oracle=human", "run.output_dir=" + dir.toAbsolutePath().normalize()));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new SemiactiveException("cannot create project folder " + dir + ": " + e.getMessage(), e);
        }
        writeClasses(dir.resolve(CLASSES), labels);
        ConfigWriter.writeYaml(resolved, dir.resolve(CONFIG));
        SegmentationDataset pool = openPool(images, resolved, labels);
        ProjectStore store = ProjectStore.open(dir.resolve(STORE));
        try {
            store.putMeta(IMAGES_META, images.toAbsolutePath().normalize().toString());
            LabelledPool.register(store, pool);
            return new Project(dir, resolved, labels, store, pool);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** Opens the project in {@code dir}. */
    public static Project open(Path dir) {
        if (!Files.isRegularFile(dir.resolve(STORE)))
            throw new SemiactiveException(dir + " is not a project folder (no " + STORE + "): create one with 'semiactive project init'");
        SemiactiveConfig config = ConfigLoader.load(dir.resolve(CONFIG), List.of());
        LabelSpace labels = LabelSpaces.readClassFile(dir.resolve(CLASSES));
        ProjectStore store = ProjectStore.open(dir.resolve(STORE));
        try {
            Path images = Path.of(store.meta(IMAGES_META).orElseThrow(() -> new SemiactiveException(
                    "project store " + store.file() + " does not name its image folder: re-create the project")));
            SegmentationDataset pool = openPool(images, config, labels);
            LabelledPool.register(store, pool);
            return new Project(dir, config, labels, store, pool);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * The classes of a known dataset ({@code --like FORMAT:ROOT}): its training split opened as
     * {@code config.data} would open it.
     */
    public static LabelSpace labelsLike(DataSource source, SemiactiveConfig config) {
        DataConfig d = config.data();
        DataConfig like = new DataConfig(source.format(), source.root(), d.trainSplit(), null, null, d.size(), d.scale(), d.tile(),
                1.0, d.synthetic(), d.dsm());
        return Components.open(like, like.trainSplit(), config.run().seed(), false).labels();
    }

    private static SegmentationDataset openPool(Path images, SemiactiveConfig config, LabelSpace labels) {
        return Datasets.openImages(images, config.model().inChannels(), labels,
                Components.dataOptions(config.data(), config.run().seed(), false));
    }

    private static void writeClasses(Path file, LabelSpace labels) {
        ObjectNode root = new YAMLMapper().createObjectNode();
        ObjectNode classes = root.putObject("classes");
        for (int c = 0; c < labels.numClasses(); c++)
            classes.put(labels.classNames().get(c), String.format("#%06x", labels.paletteRgb().get(c)));
        Json.writeAtomically(file, out -> new YAMLMapper().writeValue(out, root));
    }

    public Path dir() {
        return dir;
    }

    public SemiactiveConfig config() {
        return config;
    }

    public LabelSpace labels() {
        return labels;
    }

    public ProjectStore store() {
        return store;
    }

    public SegmentationDataset pool() {
        return pool;
    }

    /** What a call to {@link #round} did. */
    public record RoundOutcome(int round, RoundPhase phase, int queued, int pending, boolean budgetSpent) {
    }

    /**
     * Finishes the current round if its queries are all answered (or skipped), then runs the next: trains
     * on every label so far, scores the pool, queues its regions. A round whose queries are still pending
     * stays as it is (label them first, or pass {@code skipPending} to skip them for good).
     */
    public RoundOutcome round(boolean skipPending) {
        RoundOutcome outcome = advance(skipPending);
        // the folder's manifest once per call, whichever way the round ended (round 0 too: a seeded random draw)
        ExperimentReport.writeManifest(dir, config, store, pool);
        return outcome;
    }

    private RoundOutcome advance(boolean skipPending) {
        ActiveLearningLoop loop = ActiveLearningLoop.builder().setConfig(config).setPool(new LabelledPool(pool, store))
                .setOracle(new HumanOracle(store)).setDirectory(dir).optScoreFiles(new ScoreFiles(dir)).build();
        int current = store.latestRound().orElse(-1);
        if (current >= 0 && store.roundPhase(current).orElseThrow() != RoundPhase.DONE) {
            if (skipPending)
                for (QueryRecord q : store.queries(current)) if (q.status() == QueryStatus.PENDING) store.skipQuery(q.regionId());
            RoundPhase phase = loop.runRound(current, false);
            if (phase != RoundPhase.DONE) return outcome(current, phase);
        }
        // a finished round that selected nothing trained on the whole budget: nothing more to do
        if (current >= 1 && store.queries(current).isEmpty()) return outcome(current, RoundPhase.DONE);
        int next = current + 1;
        return outcome(next, loop.runRound(next, false));
    }

    private RoundOutcome outcome(int round, RoundPhase phase) {
        int queued = store.queries(round).size();
        return new RoundOutcome(round, phase, queued, store.pendingCount(round), round > 0 && queued == 0 && phase == RoundPhase.DONE);
    }

    /** Where the project stands. */
    public record Status(int round, RoundPhase phase, LabelStats labelled, long poolPixels, int poolImages, int pending,
                         double budget, Optional<Path> model) {
        public double labelledPercent() {
            return poolPixels == 0 ? 0 : 100.0 * labelled.pixels() / poolPixels;
        }
    }

    public Status status() {
        int round = store.latestRound().orElse(-1);
        RoundPhase phase = round < 0 ? null : store.roundPhase(round).orElse(null);
        return new Status(round, phase, store.labelStats(), store.poolPixels(), store.images().size(),
                round < 0 ? 0 : store.pendingCount(round), config.al().budget(), ActiveLearningLoop.latestModel(dir, store));
    }

    /** The annotation page's view of the project's images. */
    public ProjectImageSource images() {
        return new ProjectImageSource(pool, store, new ScoreFiles(dir));
    }

    @Override
    public void close() {
        store.close();
    }
}
