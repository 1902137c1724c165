package dev.semiactive.store;

import java.util.Locale;

/** Where a query (a region asked of an oracle) stands. */
public enum QueryStatus {
    PENDING, ANSWERED, SKIPPED;

    public String dbName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static QueryStatus fromDb(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
