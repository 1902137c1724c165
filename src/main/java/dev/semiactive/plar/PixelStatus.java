package dev.semiactive.plar;

/** What PLAR did with one feature pixel. */
public enum PixelStatus {
    /** Already had a (human or oracle) label: kept as is, whatever the error mask says. */
    LABELLED,
    /** Unlabelled and not flagged by the error mask: the teacher's pseudo-label stands. */
    UNFLAGGED,
    /** Flagged, unlabelled, and auto-refined to a class by the decision rule. */
    REFINED,
    /** Flagged, unlabelled, and the rule could not decide: a candidate for manual labelling. */
    UNDECIDED;

    private static final PixelStatus[] VALUES = values();

    static PixelStatus of(byte code) {
        return VALUES[code];
    }

    byte code() {
        return (byte) ordinal();
    }
}
