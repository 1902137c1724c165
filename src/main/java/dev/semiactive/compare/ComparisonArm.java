package dev.semiactive.compare;

import dev.semiactive.config.ConfigException;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One method of a label-efficiency comparison: an acquisition strategy with the training it is published
 * with (SPEC "Active learning"), or a fully supervised reference: {@code full} (a separate, usually longer run) or
 * {@code full-schedule} (every label under the arms' schedule). The arms differ only in
 * these two settings (and {@code tsf-plar-mix}, {@code tsf-plar-balanced}, {@code tsf-plar-impurity}, {@code tsf-plar-diverse} in their acquisition settings, the {@code -weighted} arms in
 * their loss, {@code s4al} in its mean-teacher weights); data, model, steps, budgets and seeds come from the one preset.
 */
public enum ComparisonArm {
    FULL("full", null, null),
    /**
     * Every label, trained with the arms' own rounds ({@link ScheduleReference}): the SPEC's "same model and schedule
     * trained on 100% of the labels", run per seed like the arms. Its strategy setting is never used (it selects nothing).
     */
    FULL_SCHEDULE("full-schedule", "random", "supervised"),
    RANDOM("random", "random", "supervised"),
    ENTROPY("entropy", "entropy", "supervised"),
    MARGIN("margin", "margin", "supervised"),
    CORESET("coreset", "coreset", "supervised"),
    /**
     * S4AL: its ranking with its mean-teacher training at the SPEC's weights ({@code tsf.lambda_ts=1.0}, EMA 0.99), which
     * the arm sets itself: the CPU presets switch the Teacher term off for the tsf arms (measured harmful there), and an
     * s4al without it would be entropy-with-a-quota under supervised training in all but its name. {@code --arm-set
     * s4al:...} still replaces them (a screen of another weight).
     */
    S4AL("s4al", "s4al", "mean-teacher", "tsf.lambda_ts=" + ComparisonArm.S4AL_LAMBDA_TS, "tsf.ema_decay=" + ComparisonArm.S4AL_EMA_DECAY),
    TSF_PLAR("tsf-plar", "tsf-plar", "tsf"),
    /**
     * tsf-plar with its picks spread over the images (beyond the SPEC): it beat random over two seeds where plain
     * tsf-plar did not (BENCHMARKS.md). Since 2026-12-06 out of {@link #DEFAULT}: {@link #TSF_PLAR_BALANCED} (this
     * ranking with class balance) is the method the benchmarks stand on, and this is its ablation without the balance.
     */
    TSF_PLAR_SPREAD("tsf-plar-spread", "tsf-plar-spread", "tsf"),
    /**
     * tsf-plar-spread with a quarter of every round's pixels on random regions ({@code al.random_share=0.25}, beyond the
     * SPEC): spread labelled almost no Sky and more void than random on CamVid; this arm tests whether keeping a random
     * share of the class mix closes the gap. Not in {@link #DEFAULT} until it has shown that it does.
     */
    TSF_PLAR_MIX("tsf-plar-mix", "tsf-plar-spread", "tsf", "al.random_share=" + ComparisonArm.MIX_SHARE),
    /**
     * tsf-plar-spread with class-balanced acquisition ({@code al.class_balance=0.5}, beyond the SPEC): each region's
     * score weighted by how little of the labels its predicted class holds, towards the small classes that stay
     * near 0 IoU at 8% (Pole, Sign, Fence, Pedestrian, Bicyclist on CamVid). The arm BENCHMARKS.md's headline tables
     * stand on (it led every baseline at 8% on three CamVid seeds), so in {@link #DEFAULT} beside the SPEC's plain
     * tsf-plar.
     */
    TSF_PLAR_BALANCED("tsf-plar-balanced", "tsf-plar-spread", "tsf", "al.class_balance=" + ComparisonArm.BALANCE_EXPONENT),
    /**
     * tsf-plar-balanced with each region's score also weighted by the impurity of the classes predicted in it
     * ({@code al.impurity=1}, RIPU's region impurity, beyond the SPEC): balanced led entropy on CamVid by only 1-1.6 mIoU
     * while labelling nearly its class mix; this arm labels regions where classes meet instead of uncertain single-class
     * ones. Screened on CamVid seed 46 under image keys it ended level with balanced (32.31 against 32.40 mIoU at 8%,
     * +0.17 over the curve; BENCHMARKS.md): not in {@link #DEFAULT}.
     */
    TSF_PLAR_IMPURITY("tsf-plar-impurity", "tsf-plar-spread", "tsf", "al.class_balance=" + ComparisonArm.BALANCE_EXPONENT,
            "al.impurity=" + ComparisonArm.IMPURITY),
    /**
     * tsf-plar-balanced whose candidates for three times each round's pixels are thinned to the round's pixels by k-center
     * greedy on region features ({@code al.diversity=3}, beyond the SPEC): coreset, which picks by feature coverage
     * alone, came within about 1 mIoU of balanced at 8% on CamVid and led it on the frequent classes; this arm keeps
     * balanced's ranking and adds coreset's coverage. Screened on CamVid seed 45 it fell 10 points below balanced at 8%
     * with nearly its class mix (BENCHMARKS.md): not in {@link #DEFAULT}.
     */
    TSF_PLAR_DIVERSE("tsf-plar-diverse", "tsf-plar-spread", "tsf", "al.class_balance=" + ComparisonArm.BALANCE_EXPONENT,
            "al.diversity=" + ComparisonArm.DIVERSITY),
    /**
     * tsf-plar-spread trained with a class-weighted supervised loss ({@code train.class_weight_power=0.5}, beyond the
     * SPEC): a training change, not an acquisition one; retraining one round on tsf-plar-spread's 8% label set it gave
     * +1.6 mIoU, on random's -0.2, and on every label +6.4 (BENCHMARKS.md, "Class-weighted loss"): so its % of full is
     * read against a full-schedule trained with the same loss. The whole arm (CamVid seed 42) gained only +0.3 at 8%
     * where full-schedule gained +2.4 under the loss, so it is not in {@link #DEFAULT}.
     */
    TSF_PLAR_WEIGHTED("tsf-plar-weighted", "tsf-plar-spread", "tsf", "train.class_weight_power=" + ComparisonArm.CLASS_WEIGHT_POWER),
    /** random with the same class-weighted loss: tells the weighting's gain from tsf-plar's choice of labels. */
    RANDOM_WEIGHTED("random-weighted", "random", "supervised", "train.class_weight_power=" + ComparisonArm.CLASS_WEIGHT_POWER);

    /** The weight of {@link #S4AL}'s mean-teacher term: the SPEC's lambda_ts. */
    public static final double S4AL_LAMBDA_TS = 1.0;
    /** The EMA decay of {@link #S4AL}'s Teacher: the SPEC's. */
    public static final double S4AL_EMA_DECAY = 0.99;
    /** The random share of {@link #TSF_PLAR_MIX}. */
    public static final double MIX_SHARE = 0.25;
    /** The class-balance exponent of {@link #TSF_PLAR_BALANCED}. */
    public static final double BALANCE_EXPONENT = 0.5;
    /** The impurity exponent of {@link #TSF_PLAR_IMPURITY}. */
    public static final double IMPURITY = 1;
    /** The candidate multiplier of {@link #TSF_PLAR_DIVERSE}. */
    public static final double DIVERSITY = 3;
    /** The class-weight power of {@link #TSF_PLAR_WEIGHTED} and {@link #RANDOM_WEIGHTED}. */
    public static final double CLASS_WEIGHT_POWER = 0.5;

    /** The arms the comparison runs, in table order. */
    public static final List<ComparisonArm> DEFAULT = List.of(FULL, FULL_SCHEDULE, RANDOM, ENTROPY, CORESET, S4AL, TSF_PLAR, TSF_PLAR_BALANCED);
    /** The baselines tsf-plar must beat by the SPEC's margin. */
    public static final List<ComparisonArm> BASELINES = List.of(RANDOM, ENTROPY, CORESET);

    /**
     * The baselines to check against in a comparison that ran {@code ran}: {@link #BASELINES} (reported as not checked
     * when missing), then {@link #RANDOM_WEIGHTED} when it ran, so a class-weighted method meets a class-weighted random.
     */
    public static List<ComparisonArm> baselines(java.util.Collection<ComparisonArm> ran) {
        List<ComparisonArm> b = new java.util.ArrayList<>(BASELINES);
        if (ran.contains(RANDOM_WEIGHTED)) b.add(RANDOM_WEIGHTED);
        return List.copyOf(b);
    }

    private final String configName;
    private final String strategy;
    private final String trainingMethod;
    private final List<String> extra;

    ComparisonArm(String configName, String strategy, String trainingMethod, String... extra) {
        this.configName = configName;
        this.strategy = strategy;
        this.trainingMethod = trainingMethod;
        this.extra = List.of(extra);
    }

    public String configName() {
        return configName;
    }

    /** Whether this arm runs per seed in its own folder of the comparison (every arm but {@code full}). */
    public boolean isExperiment() {
        return strategy != null;
    }

    /** Whether this arm is the method (tsf-plar or a variant of it: TSF training), whose targets a report checks. */
    public boolean isMethod() {
        return "tsf".equals(trainingMethod);
    }

    /** The {@code --set} overrides that turn the preset into this arm's experiment. */
    public List<String> overrides() {
        if (!isExperiment()) return List.of();
        List<String> o = new java.util.ArrayList<>(List.of("al.strategy=" + strategy, "train.method=" + trainingMethod));
        o.addAll(extra);
        return List.copyOf(o);
    }

    /** The arm's own {@code train.*} settings beyond its method (e.g. a class-weighted loss); empty for most arms. */
    public List<String> trainingSettings() {
        return extra.stream().filter(e -> e.startsWith("train.")).toList();
    }

    /** The arm's strategy and training, for tables. */
    public String describe() {
        return describe(List.of());
    }

    /**
     * The arm's strategy and training with a comparison's {@code --arm-set} overrides of it ("key=value"): an override
     * of one of the arm's own settings replaces it, others are added, so the table says what the arm ran.
     */
    public String describe(List<String> armSet) {
        if (this == FULL_SCHEDULE) return "100% of labels, supervised, the arms' rounds of steps";
        if (!isExperiment()) return "100% of labels, supervised";
        java.util.LinkedHashMap<String, String> settings = new java.util.LinkedHashMap<>();
        for (String s : extra) settings.put(s.substring(0, s.indexOf('=')), s);
        for (String s : armSet) settings.put(s.contains("=") ? s.substring(0, s.indexOf('=')) : s, s);
        return strategy + (settings.isEmpty() ? "" : " (" + String.join(", ", settings.values()) + ")") + " + " + trainingMethod + " training";
    }

    public static ComparisonArm of(String name) {
        for (ComparisonArm a : values()) if (a.configName.equals(name)) return a;
        throw new ConfigException("unknown method '" + name + "' for --methods: use "
                + Arrays.stream(values()).map(ComparisonArm::configName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return configName;
    }
}
