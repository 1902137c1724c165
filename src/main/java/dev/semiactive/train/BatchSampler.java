package dev.semiactive.train;

import dev.semiactive.SemiactiveException;
import dev.semiactive.data.Sample;
import dev.semiactive.data.SegmentationDataset;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An endless, seeded stream of training batches over a dataset: every epoch visits each id once in an
 * order shuffled from (seed, epoch); batch k holds stream positions [k*B, (k+1)*B) and may straddle two
 * epochs. Samples are loaded, augmented (with a generator seeded from (seed, position)) and normalised on
 * background threads, a few batches ahead, so the training thread does not wait on decoding. Batches come
 * back in stream order whatever the number of threads, and a sampler built with {@code optStartBatch(k)}
 * continues exactly where one that served k batches stopped: that is how resume reproduces a run.
 *
 * <p>With {@code optImageKeyed(true)} an image's place in an epoch and its augmentation come from (seed, epoch,
 * image id) instead of (seed, epoch) and the stream position: a sampler over more images then shows the images
 * it shares with a smaller one in the same relative order and with the same views, epoch for epoch. An
 * active-learning round that adds images thus replays the views of the images it had, as a round on the same
 * images does under position keys (BENCHMARKS.md, "The replay"), whichever arm it is.
 */
public final class BatchSampler implements AutoCloseable {
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final SegmentationDataset dataset;
    private final List<String> ids;
    private final int batchSize;
    private final long seed;
    /** Per id, its key in image-keyed mode (a 64-bit hash of the id); null in position mode. */
    private final long[] idKeys;
    private final Augmentation augmentation;
    private final Normalization normalization;
    private final int prefetch;
    private final ExecutorService executor;
    private final Deque<Future<HostBatch>> inFlight = new ArrayDeque<>();
    private long nextToSubmit;
    private long nextToServe;
    private long cachedEpoch = -1;
    private int[] cachedOrder;

    private BatchSampler(Builder b) {
        this.dataset = Objects.requireNonNull(b.dataset, "setDataset is required");
        this.ids = List.copyOf(dataset.ids());
        if (ids.isEmpty()) throw new SemiactiveException(dataset.describe() + " has no samples: a training split needs at least one image");
        if (b.batchSize <= 0) throw new IllegalArgumentException("setBatchSize must be > 0");
        this.batchSize = b.batchSize;
        this.seed = b.seed;
        this.idKeys = b.imageKeyed ? ids.stream().mapToLong(BatchSampler::idKey).toArray() : null;
        this.augmentation = b.augmentation;
        this.normalization = b.normalization != null ? b.normalization : Normalization.defaults(dataset.channels());
        this.prefetch = Math.max(1, b.prefetch);
        this.nextToSubmit = b.startBatch;
        this.nextToServe = b.startBatch;
        this.executor = Executors.newFixedThreadPool(Math.max(1, b.workers), r -> {
            Thread t = new Thread(r, "batch-loader-" + THREADS.incrementAndGet());
            t.setDaemon(true); // never keeps the JVM alive after a crash of the training thread
            return t;
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Index of the batch the next {@link #next()} returns. */
    public long position() {
        return nextToServe;
    }

    public int batchSize() {
        return batchSize;
    }

    public Normalization normalization() {
        return normalization;
    }

    /** The next batch, blocking until it is loaded. Loading errors surface here. */
    public HostBatch next() {
        while (inFlight.size() < prefetch) {
            long k = nextToSubmit++;
            int[] positions = idIndices(k);
            inFlight.addLast(executor.submit(() -> load(k, positions)));
        }
        Future<HostBatch> head = inFlight.removeFirst();
        nextToServe++;
        try {
            return head.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batch", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException("loading batch failed", e.getCause());
        }
    }

    /** Dataset indices of batch {@code k}; computed on the caller thread so the shuffle cache needs no lock. */
    private int[] idIndices(long k) {
        int[] out = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            long position = k * batchSize + i;
            long epoch = position / ids.size();
            out[i] = epochOrder(epoch)[(int) (position % ids.size())];
        }
        return out;
    }

    private int[] epochOrder(long epoch) {
        if (epoch != cachedEpoch) {
            cachedOrder = idKeys != null ? keyedOrder(idKeys, seed, epoch) : shuffledOrder(ids.size(), seed, epoch);
            cachedEpoch = epoch;
        }
        return cachedOrder;
    }

    /** The order in which epoch {@code epoch} visits {@code n} ids (Fisher-Yates from (seed, epoch)). */
    static int[] shuffledOrder(int n, long seed, long epoch) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        SplittableRandom r = Seeds.random(seed, 0x5EED, epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /**
     * The order in which epoch {@code epoch} visits ids of these keys in image-keyed mode: by a sort key drawn from
     * (seed, epoch, id key), so that adding ids leaves the relative order of the others as it was.
     */
    static int[] keyedOrder(long[] keys, long seed, long epoch) {
        long[] sortKey = new long[keys.length];
        for (int i = 0; i < keys.length; i++) sortKey[i] = Seeds.derive(seed, 0x5EED, epoch, keys[i]);
        return java.util.stream.IntStream.range(0, keys.length).boxed()
                .sorted(java.util.Comparator.<Integer>comparingLong(i -> sortKey[i]).thenComparingLong(i -> keys[i]))
                .mapToInt(Integer::intValue).toArray();
    }

    /** An id's key in image-keyed mode: FNV-1a over its UTF-8 bytes (stable across JVMs and machines). */
    static long idKey(String id) {
        long h = 0xcbf29ce484222325L;
        for (byte b : id.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    private HostBatch load(long k, int[] indices) {
        List<Sample> samples = new ArrayList<>(indices.length);
        for (int i = 0; i < indices.length; i++) {
            long position = k * batchSize + i;
            Sample s = dataset.load(ids.get(indices[i]));
            // image-keyed: the view of this image in this epoch, wherever the epoch puts it
            SplittableRandom random = idKeys != null ? Seeds.random(seed, 0xA06, position / ids.size(), idKeys[indices[i]])
                    : Seeds.random(seed, 0xA06, position);
            samples.add(augmentation.apply(s, random));
        }
        return HostBatch.stack(samples, normalization);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        inFlight.clear();
    }

    public static final class Builder {
        private SegmentationDataset dataset;
        private int batchSize;
        private long seed;
        private boolean seedSet;
        private Augmentation augmentation = Augmentation.none();
        private Normalization normalization;
        private int prefetch = 3;
        private int workers = 1;
        private long startBatch;
        private boolean imageKeyed;

        public Builder setDataset(SegmentationDataset dataset) {
            this.dataset = dataset;
            return this;
        }

        public Builder setBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Seed of this stream; derive distinct ones for distinct streams of a run (labelled, unlabelled). */
        public Builder setSeed(long seed) {
            this.seed = seed;
            this.seedSet = true;
            return this;
        }

        public Builder optAugmentation(Augmentation augmentation) {
            this.augmentation = Objects.requireNonNull(augmentation);
            return this;
        }

        /** Default: {@link Normalization#defaults} for the dataset's channels. */
        public Builder optNormalization(Normalization normalization) {
            this.normalization = normalization;
            return this;
        }

        /** Batches loaded ahead (default 3). */
        public Builder optPrefetch(int prefetch) {
            this.prefetch = prefetch;
            return this;
        }

        /** Loader threads (default 1); the order of batches does not depend on it. */
        public Builder optWorkers(int workers) {
            this.workers = workers;
            return this;
        }

        /** Index of the first batch served: the step to resume from (one batch per step). */
        public Builder optStartBatch(long startBatch) {
            if (startBatch < 0) throw new IllegalArgumentException("startBatch must be >= 0");
            this.startBatch = startBatch;
            return this;
        }

        /**
         * Order and augmentation keyed by (seed, epoch, image id) instead of stream positions (default false): a
         * sampler over a superset of the ids shows the shared ones in the same relative order and the same views.
         */
        public Builder optImageKeyed(boolean imageKeyed) {
            this.imageKeyed = imageKeyed;
            return this;
        }

        public BatchSampler build() {
            if (!seedSet) throw new IllegalArgumentException("setSeed is required: batches must be reproducible");
            return new BatchSampler(this);
        }
    }
}
