package dev.semiactive.al;

import dev.semiactive.store.ProjectStore;
import dev.semiactive.store.RegionPixels;

import java.util.ArrayList;
import java.util.List;

/**
 * A person labelling in the web UI. The queries wait in the project store as pending (the round's
 * selection is committed there before any oracle is asked); the UI leases them
 * ({@link ProjectStore#leaseNext}) and answers through {@link ProjectStore#submitAnswer}. This oracle
 * only reads the store: a query is answered if a label is there, pending otherwise.
 */
public final class HumanOracle implements Oracle {
    private final ProjectStore store;

    public HumanOracle(ProjectStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "human";
    }

    @Override
    public List<OracleAnswer> answer(List<RegionPixels> queries) {
        List<OracleAnswer> out = new ArrayList<>(queries.size());
        for (RegionPixels q : queries)
            out.add(store.label(q.regionId()).map(OracleAnswer::of).orElseGet(() -> OracleAnswer.pending(q.regionId())));
        return out;
    }
}
