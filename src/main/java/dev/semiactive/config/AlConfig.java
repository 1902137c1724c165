package dev.semiactive.config;

/**
 * Section {@code al}: active learning. Fractions are of the training pool's pixels.
 *
 * @param region          region kind (default {@code grid})
 * @param cell            grid cell side in pixels at working resolution, or the approximate SLIC superpixel
 *                        side (default 16)
 * @param strategy        ranking strategy (default {@code tsf-plar})
 * @param oracle          who labels (default {@code simulated})
 * @param oracleMode      {@code oracle_mode}: what the simulated oracle reveals of a region, {@code all} its
 *                        pixels' ground truth or only its {@code dominant} class (default {@code all})
 * @param initialFraction {@code initial_fraction}: pixels labelled at random in round 0 (default 0.01)
 * @param roundFraction   {@code round_fraction}: pixels labelled per round (default 0.01)
 * @param budget          total labelled pixel fraction at which the rounds stop (default 0.08)
 * @param rounds          maximum number of rounds after round 0; null = until the budget is spent (default).
 *                        Rounds 1..N each train and evaluate; round N, the last, selects nothing more
 * @param randomShare     {@code random_share}: fraction of each round's pixels given to random regions, the rest
 *                        ranked by the strategy; in [0, 1) (default 0: the strategy alone)
 * @param classBalance    {@code class_balance}: exponent a of class-balanced acquisition, each region's score times
 *                        (labelled share of its predicted class + 1/K)^-a (default 0: off; score-ranked strategies only)
 * @param diversity       m: the strategy ranks m x each round's pixels and k-center greedy on region features keeps the
 *                        round's pixels of them (default 0: off; else at least 1; score-ranked strategies only)
 * @param impurity        exponent b of impurity-weighted acquisition, each region's score times I^b with I the normalised
 *                        entropy of the classes predicted in it (default 0: off; score-ranked strategies only; 1 = RIPU)
 */
public record AlConfig(RegionKind region, int cell, AlStrategy strategy, OracleKind oracle, OracleMode oracleMode, double initialFraction,
                       double roundFraction, double budget, Integer rounds,
                       double randomShare, double classBalance, double diversity, double impurity) {
    public AlConfig {
        ConfigChecks.required("al.region", region);
        ConfigChecks.atLeast("al.cell", cell, 2);
        ConfigChecks.required("al.strategy", strategy);
        ConfigChecks.required("al.oracle", oracle);
        ConfigChecks.required("al.oracle_mode", oracleMode);
        ConfigChecks.fraction("al.initial_fraction", initialFraction);
        ConfigChecks.fraction("al.round_fraction", roundFraction);
        ConfigChecks.fraction("al.budget", budget);
        if (initialFraction > budget)
            throw new ConfigValueException("al.initial_fraction", initialFraction,
                    "must not exceed al.budget (" + budget + ")");
        if (rounds != null) ConfigChecks.atLeast("al.rounds", rounds, 0);
        ConfigChecks.fraction("al.random_share", randomShare);
        if (randomShare >= 1)
            throw new ConfigValueException("al.random_share", randomShare, "must be below 1 (at 1 every pick is random: use al.strategy=random)");
        ConfigChecks.nonNegative("al.class_balance", classBalance);
        scoreRankedOnly(strategy, "al.class_balance", classBalance, "weighs the scores");
        ConfigChecks.nonNegative("al.diversity", diversity);
        if (diversity > 0 && diversity < 1)
            throw new ConfigValueException("al.diversity", diversity, "the strategy ranks this many times each round's pixels "
                    + "before k-center greedy thins them: use 0 (off) or at least 1, e.g. 3");
        scoreRankedOnly(strategy, "al.diversity", diversity, "thins the ranking");
        ConfigChecks.nonNegative("al.impurity", impurity);
        scoreRankedOnly(strategy, "al.impurity", impurity, "weighs the scores");
    }

    /** Fails when {@code key}, a setting that acts on a score ranking, is on for random or coreset, which have none. */
    private static void scoreRankedOnly(AlStrategy strategy, String key, double value, String what) {
        if (value > 0 && (strategy == AlStrategy.RANDOM || strategy == AlStrategy.CORESET))
            throw new ConfigValueException(key, value, what + " of a score-ranked strategy, and " + strategy.configName()
                    + " has none: set it to 0 or choose entropy, margin, s4al, tsf-plar or tsf-plar-spread");
    }

    public static AlConfig defaults() {
        return new AlConfig(RegionKind.GRID, 16, AlStrategy.TSF_PLAR, OracleKind.SIMULATED, OracleMode.ALL, 0.01, 0.01, 0.08, null, 0, 0, 0, 0);
    }
}
