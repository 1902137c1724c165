package dev.semiactive.web;

import dev.semiactive.data.LabelSpace;
import dev.semiactive.store.ProjectStore;
import dev.semiactive.store.QueryRecord;
import dev.semiactive.store.QueryStatus;
import dev.semiactive.store.RegionLabel;
import dev.semiactive.store.RegionPixels;
import dev.semiactive.store.StoredImage;
import dev.semiactive.store.StoredRegion;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The annotators' view of the project store's query queue: lease, save, skip, release, progress. Every
 * compound step (check the lease, then write) runs while holding the store's monitor, which is the lock
 * every {@link ProjectStore} method takes, so no other request of this server can slip in between the
 * check and the write.
 *
 * <p>Lease rule: an annotator holds at most the regions {@link #next} gave them. {@code next} first hands
 * back a region the annotator still holds (a reloaded tab resumes where it was), else leases the best
 * free pending query. A lease lapses after the lease duration; a lapsed lease is taken by the next
 * annotator who asks, and only then does its first holder lose it (a save from the first holder is
 * accepted as long as nobody else took the region).
 */
final class AnnotationQueue {
    private final ProjectStore store;
    private final LabelSpace labels;
    private final Duration lease;
    private final Clock clock;

    AnnotationQueue(ProjectStore store, LabelSpace labels, Duration lease, Clock clock) {
        this.store = store;
        this.labels = labels;
        this.lease = lease;
        this.clock = clock;
    }

    LabelSpace labels() {
        return labels;
    }

    Duration leaseDuration() {
        return lease;
    }

    /** A query leased to an annotator, with what the page needs to draw it. */
    record Leased(QueryRecord query, StoredRegion region, StoredImage image, RegionPixels pixels, Duration leaseLeft) {
    }

    /** Query counts of the round being annotated (the latest round that has queries). */
    record Progress(Integer round, int total, int answered, int skipped, int pending, int leased) {
    }

    /** One entry of the pending queue, as the page lists it. */
    record Upcoming(String regionId, String imageId, int round, int rank, double score, String leasedBy) {
    }

    /** What a save did: stored the label, or found the identical label already stored (a repeated post). */
    record Saved(boolean stored, int round, RegionLabel label) {
    }

    /** The region the annotator holds, or the best free pending query leased to them; empty when none is free. */
    Optional<Leased> next(String annotator) {
        synchronized (store) {
            Instant now = clock.instant();
            Optional<QueryRecord> held = store.queries(QueryStatus.PENDING).stream()
                .filter(q -> annotator.equals(q.leaseOwner()) && q.leaseExpiry() != null && q.leaseExpiry().isAfter(now))
                .findFirst();
            Optional<QueryRecord> q = held.isPresent() ? held : store.leaseNext(annotator, lease);
            return q.map(this::describe);
        }
    }

    private Leased describe(QueryRecord q) {
        StoredRegion r = store.region(q.regionId()).orElseThrow();
        StoredImage im = store.image(r.imageId()).orElseThrow();
        return new Leased(q, r, im, store.regionPixels(r.id()), Duration.between(clock.instant(), q.leaseExpiry()));
    }

    /**
     * Stores an annotator's label of a region in the round of the region's query. Idempotent: posting the
     * same label again answers "already stored" without a second label; a different label for a region
     * that already has one is a conflict (the first answer stands).
     */
    Saved save(String regionId, String annotator, LabelPost post) {
        synchronized (store) {
            StoredRegion region = region(regionId);
            QueryRecord q = query(regionId);
            RegionPixels px = store.regionPixels(regionId);
            RegionLabel label = post.toLabel(region, px, labels, annotator);
            Optional<RegionLabel> existing = store.label(regionId);
            if (existing.isPresent()) {
                RegionLabel old = existing.get();
                if (old.labelledBy().equals(annotator) && Arrays.equals(old.pixels(), label.pixels())
                    && Arrays.equals(old.labels(), label.labels()))
                    return new Saved(false, q.round(), old);
                throw ApiException.conflict("region " + regionId + " is already labelled by " + old.labelledBy()
                    + ": a region is labelled once, the first answer stands");
            }
            requireLeased(q, annotator, "label");
            if (!store.submitAnswer(label))
                throw ApiException.conflict("region " + regionId + " was labelled by someone else meanwhile");
            return new Saved(true, q.round(), label);
        }
    }

    /** Marks a region the annotator holds as skipped: it is never asked again. Skipping it twice is a no-op. */
    boolean skip(String regionId, String annotator) {
        synchronized (store) {
            region(regionId);
            QueryRecord q = query(regionId);
            if (q.status() == QueryStatus.SKIPPED) return false;
            requireLeased(q, annotator, "skip");
            return store.skipQuery(regionId);
        }
    }

    /** Gives a held region back to the queue (tab closed, annotator stops). False if the annotator did not hold it. */
    boolean release(String regionId, String annotator) {
        synchronized (store) {
            region(regionId);
            QueryRecord q = query(regionId);
            if (q.status() == QueryStatus.PENDING && q.leaseOwner() != null && !q.leaseOwner().equals(annotator) && isLive(q))
                throw ApiException.conflict("region " + regionId + " is leased to " + q.leaseOwner() + ", not to " + annotator
                    + ": only the lease holder can release it");
            return store.releaseLease(regionId, annotator);
        }
    }

    Progress progress() {
        synchronized (store) {
            OptionalInt latest = store.latestRound();
            if (latest.isEmpty()) return new Progress(null, 0, 0, 0, 0, 0);
            for (int round = latest.getAsInt(); round >= 0; round--) {
                List<QueryRecord> qs = store.queries(round);
                if (qs.isEmpty()) continue;
                int answered = 0, skipped = 0, pending = 0, leased = 0;
                for (QueryRecord q : qs) {
                    switch (q.status()) {
                        case ANSWERED -> answered++;
                        case SKIPPED -> skipped++;
                        case PENDING -> {
                            pending++;
                            if (isLive(q)) leased++;
                        }
                    }
                }
                return new Progress(round, qs.size(), answered, skipped, pending, leased);
            }
            return new Progress(latest.getAsInt(), 0, 0, 0, 0, 0);
        }
    }

    /** The first {@code limit} pending queries in the order they are handed out, with who holds each. */
    List<Upcoming> upcoming(int limit) {
        synchronized (store) {
            List<Upcoming> out = new ArrayList<>();
            for (QueryRecord q : store.queries(QueryStatus.PENDING)) {
                if (out.size() == limit) break;
                String imageId = store.region(q.regionId()).map(StoredRegion::imageId).orElse("");
                out.add(new Upcoming(q.regionId(), imageId, q.round(), q.rank(), q.score(), isLive(q) ? q.leaseOwner() : null));
            }
            return out;
        }
    }

    private boolean isLive(QueryRecord q) {
        return q.leaseOwner() != null && q.leaseExpiry() != null && q.leaseExpiry().isAfter(clock.instant());
    }

    private StoredRegion region(String regionId) {
        return store.region(regionId).orElseThrow(() -> ApiException.notFound(
            "unknown region '" + regionId + "': take region ids from POST /api/queue/next"));
    }

    private QueryRecord query(String regionId) {
        return store.queryOf(regionId).orElseThrow(() -> ApiException.notFound(
            "region " + regionId + " is not in the queue: only queried regions can be labelled"));
    }

    /**
     * The lease check: the query must be pending and its lease owner must be this annotator. An expired
     * lease still counts while nobody else took the region over (the owner is replaced when they do).
     */
    private static void requireLeased(QueryRecord q, String annotator, String action) {
        if (q.status() == QueryStatus.SKIPPED)
            throw ApiException.conflict("region " + q.regionId() + " was skipped: it is out of the queue");
        if (q.status() != QueryStatus.PENDING)
            throw ApiException.conflict("region " + q.regionId() + " is already " + q.status().dbName());
        if (q.leaseOwner() == null)
            throw ApiException.conflict("region " + q.regionId() + " is not leased to " + annotator
                + ": get a region with POST /api/queue/next before you " + action + " it");
        if (!q.leaseOwner().equals(annotator))
            throw ApiException.conflict("region " + q.regionId() + " is leased to " + q.leaseOwner() + ", not to " + annotator
                + ": get your own region with POST /api/queue/next");
    }
}
