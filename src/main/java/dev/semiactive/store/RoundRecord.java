package dev.semiactive.store;

import java.time.Instant;

/** A round's row: the last completed phase and when the round started and last advanced. */
public record RoundRecord(int round, RoundPhase phase, Instant startedAt, Instant updatedAt) {
}
