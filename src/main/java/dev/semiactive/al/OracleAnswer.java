package dev.semiactive.al;

import dev.semiactive.store.RegionLabel;

/**
 * An oracle's answer for one region: its label, or pending (label == null).
 */
public record OracleAnswer(String regionId, RegionLabel label) {
    public static OracleAnswer pending(String regionId) {
        return new OracleAnswer(regionId, null);
    }

    public static OracleAnswer of(RegionLabel label) {
        return new OracleAnswer(label.regionId(), label);
    }

    public boolean isPending() {
        return label == null;
    }
}
