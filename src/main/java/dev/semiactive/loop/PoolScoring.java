package dev.semiactive.loop;

import ai.djl.ndarray.NDManager;
import dev.semiactive.SemiactiveException;
import dev.semiactive.al.ImageRegions;
import dev.semiactive.al.PixelEvidence;
import dev.semiactive.al.RegionGrid;
import dev.semiactive.al.RegionPooling;
import dev.semiactive.al.Regionizer;
import dev.semiactive.al.RoundRunner;
import dev.semiactive.data.Sample;
import dev.semiactive.data.SegmentationDataset;
import dev.semiactive.plar.ClassStatisticsAccumulator;
import dev.semiactive.plar.PlarRefiner;
import dev.semiactive.store.PlarRefinement;
import dev.semiactive.store.ProjectStore;
import dev.semiactive.store.StoredImage;
import dev.semiactive.util.ResidentMemory;
import dev.semiactive.util.WorkProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;

/**
 * Scores the pool for a round ({@link RoundRunner.PoolScorer}) with the round's model, streaming:
 * <ol>
 *   <li>pass 1: the labelled images (labels of the earlier rounds) through the model, their features into
 *       PLAR's class statistics (bounded reservoirs);</li>
 *   <li>pass 2: every pool image, in batches: probabilities, error mask, PLAR (refined labels and undecided
 *       pixels go to the store with {@code putPlar}), region-pooled F1 for coreset, then the image's
 *       regions and evidence to the strategy's selector.</li>
 * </ol>
 * Per batch, arrays live in a sub-manager closed after it and host arrays of one batch at a time, so memory
 * does not grow with the pool. Round 0 (or a round without a model) only supplies regions. What a comparison's
 * baselines do not use is skipped ({@link Builder#optPlar}, {@link Builder#optModelScores}): PLAR's two passes
 * are most of a round's scoring time.
 * The pass's tallies ({@link RefinementTally}) become round metrics.
 */
public final class PoolScoring implements RoundRunner.PoolScorer {
    private static final Logger LOG = LoggerFactory.getLogger(PoolScoring.class);

    private final LabelledPool pool;
    private final ProjectStore store;
    private final Regionizer regionizer;
    private final Refinement refinement;
    private final IntFunction<Path> checkpoints;
    private final int batchSize;
    private final boolean groundTruth;
    private final boolean regionFeatures;
    private final ScoreFiles files;
    private final boolean plar;
    private final boolean modelScores;

    private PoolScoring(Builder b) {
        this.pool = Objects.requireNonNull(b.pool, "setPool");
        this.store = pool.store();
        this.regionizer = Objects.requireNonNull(b.regionizer, "setRegionizer");
        this.refinement = Objects.requireNonNull(b.refinement, "setRefinement");
        this.checkpoints = Objects.requireNonNull(b.checkpoints, "setCheckpoints");
        this.batchSize = b.batchSize;
        this.groundTruth = b.groundTruth;
        this.regionFeatures = b.regionFeatures;
        this.files = b.files;
        this.plar = b.plar;
        this.modelScores = b.modelScores;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void score(int round, RoundRunner.ScoredImageSink sink) {
        Path checkpoint = round == 0 || !modelScores ? null : checkpoints.apply(round);
        if (checkpoint == null) {
            for (StoredImage im : store.images())
                sink.accept(regions(im.id(), null), PixelEvidence.empty(im.id(), im.width(), im.height()));
            return;
        }
        try (NDManager root = NDManager.newBaseManager(); ScoringModel model = ScoringModel.load(checkpoint, root)) {
            PlarRefiner refiner = plar ? statistics(model, round, root) : null;
            RefinementTally tally = new RefinementTally();
            long[] done = {0};
            SegmentationDataset images = pool.pool();
            // a bar on a terminal, else a line every 500 images with the resident memory (scoring streams at constant memory)
            try (WorkProgress progress = WorkProgress.start("round " + round + ": scored", images.size(), 0, 500, LOG::info,
                    () -> String.format(" images (RSS %.0f MiB)", ResidentMemory.currentMiB()), System.console() != null)) {
                forEachBatch(images, model, (s, o) -> {
                    int[] existing = store.labelMask(s.id(), s.width(), s.height(), round - 1);
                    Refinement.ImageRefinement r = refinement.refine(refiner, o, existing);
                    store.putPlar(new PlarRefinement(s.id(), round, s.width(), s.height(), r.refined(), r.undecided()));
                    tally.add(r, existing, groundTruth ? s.mask() : null);
                    if (files != null) files.write(r);
                    ImageRegions regions = regions(s.id(), s);
                    PixelEvidence.Builder e = PixelEvidence.builder().setImage(s.id(), s.width(), s.height())
                            .optProbabilities(o.probabilities(), o.numClasses()).optUndecided(r.undecided());
                    if (regionFeatures)
                        e.optRegionFeatures(RegionPooling.meanPool(o.f1().data(), o.f1().channels(), o.f1().height(), o.f1().width(), regions));
                    sink.accept(regions, e.build());
                    progress.stepTo(++done[0]);
                });
            }
            Map<String, Object> metrics = new LinkedHashMap<>(tally.toMetrics());
            metrics.put("plar_candidate_classes", refiner == null ? 0 : refiner.statistics().candidateCount());
            store.putMetrics(round, metrics);
            LOG.info("round {}: scored {} images; {} flagged px, PLAR refined {} and left {} undecided{}", round, done[0],
                    tally.flagged(), tally.refined(), tally.undecided(),
                    Double.isNaN(tally.accuracy()) ? "" : String.format(" (accuracy %.1f%%)", 100 * tally.accuracy()));
        }
    }

    /** Pass 1: class statistics from the labels of the rounds before {@code round}; null if no class has enough. */
    private PlarRefiner statistics(ScoringModel model, int round, NDManager manager) {
        ClassStatisticsAccumulator acc = refinement.newAccumulator();
        SegmentationDataset labelled = pool.labelled(round - 1);
        forEachBatch(labelled, model, (s, o) -> refinement.addLabelled(acc, o, s.mask()));
        try {
            return refinement.refiner(acc, manager);
        } catch (SemiactiveException e) {
            LOG.warn("round {}: no PLAR ({})", round, e.getMessage());
            return null;
        }
    }

    /** Streams a dataset through the model in batches of samples of one size. */
    private void forEachBatch(SegmentationDataset data, ScoringModel model, BiConsumer<Sample, ModelOutputs> each) {
        List<Sample> batch = new ArrayList<>(batchSize);
        for (String id : data.ids()) {
            Sample s = data.load(id);
            if (!batch.isEmpty() && (batch.size() == batchSize || batch.get(0).height() != s.height() || batch.get(0).width() != s.width())) {
                flush(batch, model, each);
                batch.clear();
            }
            batch.add(s);
        }
        if (!batch.isEmpty()) flush(batch, model, each);
    }

    private static void flush(List<Sample> batch, ScoringModel model, BiConsumer<Sample, ModelOutputs> each) {
        List<ModelOutputs> outs = model.score(batch);
        for (int i = 0; i < batch.size(); i++) each.accept(batch.get(i), outs.get(i));
    }

    /** A grid needs only the image size; other regionizers (SLIC) look at the image. */
    private ImageRegions regions(String id, Sample loaded) {
        if (regionizer instanceof RegionGrid grid) {
            StoredImage im = store.image(id).orElseThrow(() -> new SemiactiveException("image " + id + " is not in " + store.file()));
            return grid.regionize(id, im.height(), im.width());
        }
        return regionizer.regionize(loaded != null ? loaded : pool.pool().load(id));
    }

    public static final class Builder {
        private LabelledPool pool;
        private Regionizer regionizer;
        private Refinement refinement;
        private IntFunction<Path> checkpoints;
        private int batchSize = 8;
        private boolean groundTruth;
        private boolean regionFeatures;
        private ScoreFiles files;
        private boolean plar = true;
        private boolean modelScores = true;

        public Builder setPool(LabelledPool pool) {
            this.pool = pool;
            return this;
        }

        public Builder setRegionizer(Regionizer regionizer) {
            this.regionizer = regionizer;
            return this;
        }

        public Builder setRefinement(Refinement refinement) {
            this.refinement = refinement;
            return this;
        }

        /** The checkpoint that scores round r (the model trained in round r), or null for none. */
        public Builder setCheckpoints(IntFunction<Path> checkpointOfRound) {
            this.checkpoints = checkpointOfRound;
            return this;
        }

        /** Images per forward pass (default 8). */
        public Builder optBatchSize(int batchSize) {
            if (batchSize < 1) throw new IllegalArgumentException("batch size " + batchSize);
            this.batchSize = batchSize;
            return this;
        }

        /** The pool's masks are ground truth (simulated oracle): measure PLAR and the EMD against them. */
        public Builder optGroundTruth(boolean groundTruth) {
            this.groundTruth = groundTruth;
            return this;
        }

        /** Pool F1 per region into the evidence (coreset needs it). */
        public Builder optRegionFeatures(boolean regionFeatures) {
            this.regionFeatures = regionFeatures;
            return this;
        }

        /** Also write predictions and error masks for the annotation page. */
        public Builder optScoreFiles(ScoreFiles files) {
            this.files = files;
            return this;
        }

        /**
         * Whether to run PLAR (pass 1's class statistics and the refinement of flagged pixels; default true).
         * Off, the error mask is still computed and counted, nothing is refined or undecided.
         */
        public Builder optPlar(boolean plar) {
            this.plar = plar;
            return this;
        }

        /**
         * Whether the strategy needs the model's view of the pool at all (default true). Off (random selection
         * with no annotation page to feed), every round supplies regions alone, like round 0: no forward pass.
         */
        public Builder optModelScores(boolean modelScores) {
            this.modelScores = modelScores;
            return this;
        }

        public PoolScoring build() {
            return new PoolScoring(this);
        }
    }
}
