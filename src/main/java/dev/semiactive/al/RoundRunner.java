package dev.semiactive.al;

import dev.semiactive.store.LabelStats;
import dev.semiactive.store.ProjectStore;
import dev.semiactive.store.QueryRecord;
import dev.semiactive.store.QueryStatus;
import dev.semiactive.store.RegionLabel;
import dev.semiactive.store.RegionPixels;
import dev.semiactive.store.RoundPhase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Runs one active-learning round as a state machine over the store's round phases: train -> score the
 * pool (streaming) -> select and commit queries -> oracle labels -> metrics. Each phase records its
 * completion in the store; {@link #run} on a round a killed process left half done starts at the first
 * phase not completed. Phases are idempotent: a resumed scoring re-scores (region maps and PLAR are
 * upserts), a resumed labelling asks only the still-pending queries (labels are insert-or-ignore).
 *
 * <p>Round 0 has no model: it skips training and selects with the initial strategy (seeded random) and
 * the initial budget fraction; the pool scorer then only needs to supply regions (evidence may be
 * {@link PixelEvidence#empty}).
 */
public final class RoundRunner {
    private static final Logger LOG = LoggerFactory.getLogger(RoundRunner.class);
    /** Metric: the pixels a round labelled per class name, then {@link #VOID}. */
    public static final String ROUND_CLASS_PIXELS = "round_class_pixels";
    /** The key of void (ignored) pixels in {@link #ROUND_CLASS_PIXELS}. */
    public static final String VOID = "void";

    /** Trains the round's model (warm start from the previous round) and saves its checkpoint. */
    @FunctionalInterface
    public interface Trainer {
        void train(int round);
    }

    /** Streams the pool: for each image, its regions and the model's evidence (and writes PLAR to the store). */
    @FunctionalInterface
    public interface PoolScorer {
        void score(int round, ScoredImageSink sink);
    }

    @FunctionalInterface
    public interface ScoredImageSink {
        void accept(ImageRegions regions, PixelEvidence evidence);
    }

    /** Evaluates the round's model; the values go to the round's metrics. */
    @FunctionalInterface
    public interface Evaluator {
        Map<String, ?> evaluate(int round);
    }

    private final ProjectStore store;
    private final Strategy strategy;
    private final Strategy initialStrategy;
    private final Oracle oracle;
    private final PoolScorer pool;
    private final Trainer trainer;
    private final Evaluator evaluator;
    private final double totalFraction;
    private final double initialFraction;
    private final double roundFraction;
    private final List<String> classNames;

    private RoundRunner(Builder b) {
        this.store = Objects.requireNonNull(b.store, "setStore");
        this.strategy = Objects.requireNonNull(b.strategy, "setStrategy");
        this.oracle = Objects.requireNonNull(b.oracle, "setOracle");
        this.pool = Objects.requireNonNull(b.pool, "setPool");
        this.initialStrategy = b.initialStrategy != null ? b.initialStrategy : Strategies.byName("random", b.seed);
        this.trainer = b.trainer;
        this.evaluator = b.evaluator;
        this.totalFraction = b.totalFraction;
        this.initialFraction = b.initialFraction;
        this.roundFraction = b.roundFraction;
        this.classNames = b.classNames;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private ProjectStore store;
        private Strategy strategy;
        private Strategy initialStrategy;
        private Oracle oracle;
        private PoolScorer pool;
        private Trainer trainer;
        private Evaluator evaluator;
        private long seed = 42;
        private double totalFraction = 0.08;
        private double initialFraction = 0.01;
        private double roundFraction = 0.01;
        private List<String> classNames;

        public Builder setStore(ProjectStore store) {
            this.store = store;
            return this;
        }

        public Builder setStrategy(Strategy strategy) {
            this.strategy = strategy;
            return this;
        }

        public Builder setOracle(Oracle oracle) {
            this.oracle = oracle;
            return this;
        }

        public Builder setPool(PoolScorer pool) {
            this.pool = pool;
            return this;
        }

        /** Round 0's strategy; default seeded {@code random}. */
        public Builder optInitialStrategy(Strategy s) {
            this.initialStrategy = s;
            return this;
        }

        /**
         * The label set's class names: when given, each round's metrics carry {@code round_class_pixels}, the pixels
         * the round labelled per class by name, then {@link #VOID} (what a strategy spends its budget on).
         */
        public Builder optClassNames(List<String> classNames) {
            this.classNames = List.copyOf(classNames);
            return this;
        }

        /** Seed of the default initial (random) strategy. Default 42. */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder optTrainer(Trainer t) {
            this.trainer = t;
            return this;
        }

        public Builder optEvaluator(Evaluator e) {
            this.evaluator = e;
            return this;
        }

        /**
         * @param total   total budget, fraction of pool pixels (default 0.08)
         * @param initial round 0's budget (default 0.01)
         * @param perRound each later round's budget (default 0.01)
         */
        public Builder optBudget(double total, double initial, double perRound) {
            this.totalFraction = total;
            this.initialFraction = initial;
            this.roundFraction = perRound;
            return this;
        }

        public RoundRunner build() {
            return new RoundRunner(this);
        }
    }

    /**
     * Runs (or resumes) round {@code round}. Returns the phase reached: DONE, or QUERIED when an oracle
     * left queries pending (a person has to answer; run again later).
     */
    public RoundPhase run(int round) {
        RoundPhase phase = store.beginRound(round);
        if (phase != RoundPhase.STARTED) LOG.info("round {}: resuming after phase '{}'", round, phase.dbName());
        if (!phase.reached(RoundPhase.TRAINED)) {
            if (round > 0 && trainer != null) trainer.train(round);
            store.completePhase(round, RoundPhase.TRAINED);
        }
        if (!store.roundPhase(round).orElseThrow().reached(RoundPhase.QUERIED)) selectAndQuery(round);
        if (!store.roundPhase(round).orElseThrow().reached(RoundPhase.LABELLED)) {
            if (!label(round)) return RoundPhase.QUERIED;
        }
        if (!store.roundPhase(round).orElseThrow().reached(RoundPhase.DONE)) {
            recordMetrics(round);
            store.completePhase(round, RoundPhase.DONE);
        }
        return RoundPhase.DONE;
    }

    private void selectAndQuery(int round) {
        Strategy s = round == 0 ? initialStrategy : strategy;
        Budget budget = Budget.restore(store, totalFraction);
        long allowance = budget.allowance(round == 0 ? initialFraction : roundFraction);
        Set<String> excluded = new HashSet<>(store.queriedRegionIds());
        excluded.addAll(store.labelledRegionIds());
        int poolImages = store.images().size();
        RoundSelector selector = s.newRound(SelectionRequest.of(allowance, excluded).withPoolImages(poolImages));
        pool.score(round, (regions, evidence) -> {
            regions.saveTo(store);
            selector.accept(evidence, regions);
        });
        store.completePhase(round, RoundPhase.SCORED);
        List<Selection> picked = selector.select();
        List<ProjectStore.NewQuery> queries = new ArrayList<>(picked.size());
        for (Selection sel : picked) {
            budget.charge(sel.region()); // throws if a strategy ever overspent: the budget is a hard limit
            queries.add(new ProjectStore.NewQuery(sel.region().id(), sel.score(), sel.rank()));
        }
        int added = store.commitSelection(round, s.name(), queries);
        if (added != queries.size())
            throw new IllegalStateException("strategy " + s.name() + " selected " + (queries.size() - added)
                + " regions that were already queried: a region must never be asked twice");
        LOG.info("round {}: {} selected {} regions ({} px of {} allowed)", round, s.name(), picked.size(),
            picked.stream().mapToLong(x -> x.region().pixelCount()).sum(), allowance);
    }

    /** Asks the oracle for the round's pending queries, one image at a time; true when none is left pending. */
    private boolean label(int round) {
        Map<String, List<QueryRecord>> byImage = new LinkedHashMap<>();
        for (QueryRecord q : store.queries(round))
            if (q.status() == QueryStatus.PENDING)
                byImage.computeIfAbsent(RegionIds.imageIdOf(q.regionId()), k -> new ArrayList<>()).add(q);
        for (List<QueryRecord> group : byImage.values()) {
            List<RegionPixels> px = group.stream().map(q -> store.regionPixels(q.regionId())).toList();
            List<RegionLabel> labels = new ArrayList<>();
            for (OracleAnswer a : oracle.answer(px)) if (!a.isPending()) labels.add(a.label());
            // One transaction per image: a kill loses at most the image being labelled.
            store.addLabels(round, labels);
        }
        int pending = store.pendingCount(round);
        if (pending > 0) {
            LOG.info("round {}: {} queries wait for {}", round, pending, oracle.name());
            return false;
        }
        store.completePhase(round, RoundPhase.LABELLED);
        return true;
    }

    private void recordMetrics(int round) {
        long pool = store.poolPixels();
        LabelStats total = store.labelStats(round);
        LabelStats before = round == 0 ? new LabelStats(0, 0, 0) : store.labelStats(round - 1);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("labelled_pixels", total.pixels());
        m.put("labelled_percent", 100.0 * total.pixels() / pool);
        m.put("labelled_regions", total.regions());
        m.put("images_touched", total.imagesTouched());
        m.put("round_pixels", total.pixels() - before.pixels());
        m.put("round_regions", total.regions() - before.regions());
        if (classNames != null) {
            int k = classNames.size();
            long[] pixels = store.labelledClassPixels(round, round, k);
            Map<String, Long> perClass = new LinkedHashMap<>();
            for (int c = 0; c < k; c++) perClass.put(classNames.get(c), pixels[c]);
            perClass.put(VOID, pixels[k]);
            m.put(ROUND_CLASS_PIXELS, perClass);
        }
        long[] plar = store.plarTotals(round);
        if (plar[0] > 0) {
            m.put("plar_refined_pixels", plar[1]);
            m.put("plar_undecided_pixels", plar[2]);
        }
        if (evaluator != null) m.putAll(evaluator.evaluate(round));
        store.putMetrics(round, m);
    }
}
