package dev.semiactive.store;

/**
 * The phases of one active-learning round, in order. A round's row in the store holds the LAST
 * COMPLETED phase; a process that is killed and restarted re-runs the round from the first phase that
 * is not completed. Every phase's writes are idempotent (upserts, insert-or-ignore), so re-running a
 * half-done phase never duplicates anything.
 */
public enum RoundPhase {
    /** The round row exists; nothing else is done. */
    STARTED,
    /** The model of this round is trained and its checkpoint saved by the trainer. */
    TRAINED,
    /** The pool is scored and the PLAR refinements are stored. */
    SCORED,
    /** The selected regions are stored as queries (pending). */
    QUERIED,
    /** Every query of the round is answered or skipped. */
    LABELLED,
    /** Metrics are recorded; the round is closed. */
    DONE;

    /** The phase after this one; DONE is its own successor. */
    public RoundPhase next() {
        return this == DONE ? DONE : values()[ordinal() + 1];
    }

    /** Whether this phase is at or after {@code other}. */
    public boolean reached(RoundPhase other) {
        return ordinal() >= other.ordinal();
    }

    /** Lower-case name as stored in the database. */
    public String dbName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static RoundPhase fromDb(String s) {
        return valueOf(s.toUpperCase(java.util.Locale.ROOT));
    }
}
