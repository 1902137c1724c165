package dev.semiactive.al;

/**
 * An active-learning strategy, by name. Score-based strategies ({@code random}, {@code entropy},
 * {@code margin}, {@code tsf-plar}: a {@link RegionScoring} + a global ranking; {@code s4al}: the same
 * with a per-image quota) and set-based ones ({@code coreset}: k-center greedy, where a region's worth
 * depends on what else is picked) share this interface: each round gets its own {@link RoundSelector}.
 */
public interface Strategy {
    String name();

    RoundSelector newRound(SelectionRequest request);
}
