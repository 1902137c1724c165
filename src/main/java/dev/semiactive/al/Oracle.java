package dev.semiactive.al;

import dev.semiactive.store.RegionPixels;

import java.util.List;

/**
 * Whoever labels regions. Given queried regions (id + pixels, as {@link
 * dev.semiactive.store.ProjectStore#regionPixels} gives them) it returns, per query, a label or
 * "pending" (a person has not answered yet).
 */
public interface Oracle {
    /** Recorded as {@code labelled_by} with every label this oracle gives. */
    String name();

    /** One answer per query, same order. */
    List<OracleAnswer> answer(List<RegionPixels> queries);
}
