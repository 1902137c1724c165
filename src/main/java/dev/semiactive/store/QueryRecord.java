package dev.semiactive.store;

import java.time.Instant;

/**
 * One query: a region asked of an oracle in a round.
 *
 * @param regionId    the region
 * @param round       the round that selected it
 * @param strategy    the strategy that selected it
 * @param score       its score under that strategy (higher = asked first)
 * @param rank        0-based rank within the round's selection
 * @param status      pending, answered or skipped
 * @param leaseOwner  who is labelling it now (web UI), or null
 * @param leaseExpiry when that lease lapses, or null
 */
public record QueryRecord(String regionId, int round, String strategy, double score, int rank, QueryStatus status,
                          String leaseOwner, Instant leaseExpiry) {
}
