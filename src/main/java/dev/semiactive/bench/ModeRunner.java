package dev.semiactive.bench;

import dev.semiactive.util.ResidentMemory;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.semiactive.model.Networks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one {@link BenchMode} in this process and measures it: each step in its own sub-manager (closed at
 * the end of the step, as the training loop does), wall time per measured step, peak resident memory of
 * the process at the end. The worker process of the benchmark calls this; tests call it directly at tiny
 * sizes.
 */
public final class ModeRunner {
    private ModeRunner() {
    }

    /**
     * @param poolImages images of the pool ({@link BenchMode#POOL} only)
     */
    public static ModeResult run(BenchMode mode, BenchSettings s, int poolImages) {
        try (NDManager root = NDManager.newBaseManager(); BenchNetworks nets = new BenchNetworks(root, s)) {
            String preload = System.getenv().getOrDefault("LD_PRELOAD", "");
            int threads = Engine.getInstance().getEngineName().equals("PyTorch")
                    ? ai.djl.pytorch.jni.JniUtils.getNumThreads() : s.threads();
            if (mode == BenchMode.POOL) return pool(nets, s, poolImages, root, threads, preload);
            try (MeasuredStep step = create(mode, nets, s, root)) {
                long parameters = step.parameters();
                List<Double> times = new ArrayList<>();
                double first = Double.NaN, last = Double.NaN;
                // a path prefix: trace the measured steps with libtorch's profiler (docs/speed.md, "Profile")
                String profile = System.getenv("SEMIACTIVE_BENCH_PROFILE");
                for (int i = 0; i < s.warmup() + s.steps(); i++) {
                    if (profile != null && i == s.warmup()) ai.djl.pytorch.jni.JniUtils.startProfile(false, false, false);
                    long t0 = System.nanoTime();
                    float value;
                    try (NDManager m = root.newSubManager()) {
                        value = step.run(m);
                    }
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    if (i == 0) first = value;
                    last = value;
                    if (i >= s.warmup()) times.add(seconds);
                }
                if (profile != null) ai.djl.pytorch.jni.JniUtils.stopProfile(profile + "-" + mode.id() + "-djl.json");
                double median = median(times);
                Map<String, Object> extras = step.extras();
                Double flagged = extras.get("flaggedFraction") instanceof Double d ? d : null;
                Double refined = extras.get("refinedFraction") instanceof Double d ? d : null;
                return new ModeResult("djl", mode.id(), s.batch(), s.height(), s.width(), threads, parameters, times,
                        median, step.images() / median, first, last, PeakMemory.peakBytes(), flagged, refined, null, null, preload);
            }
        }
    }

    private static MeasuredStep create(BenchMode mode, BenchNetworks nets, BenchSettings s, NDManager root) {
        return switch (mode) {
            case TRAIN -> MethodStep.supervised(s, root);
            case TSF -> MethodStep.tsf(s, root);
            case SCORE -> new PoolScoring(nets, s, root);
            case POOL -> throw new IllegalArgumentException("pool is not a per-step mode");
        };
    }

    /** Streams {@code n} synthetic images through pool scoring, batch by batch (each in the scoring model's own sub-manager). */
    private static ModeResult pool(BenchNetworks nets, BenchSettings s, int n, NDManager root, int threads, String preload) {
        if (n < 1) throw new IllegalArgumentException("pool needs at least one image, got " + n);
        try (PoolScoring scoring = new PoolScoring(nets, s, root)) {
            return pool(scoring, s, n, scoring.parameters(), threads, preload);
        }
    }

    private static ModeResult pool(PoolScoring scoring, BenchSettings s, int n, long parameters, int threads, String preload) {
        long t0 = System.nanoTime();
        int nextReport = Math.max(1, n / 10);
        Runtime rt = Runtime.getRuntime();
        SyntheticDataset images = SyntheticDataset.unlabelled(s, 0, n);
        for (int done = 0; done < n; ) {
            int b = Math.min(s.batch(), n - done);
            scoring.score(images.ids().subList(done, done + b).stream().map(images::load).toList());
            done += b;
            if (done >= nextReport || done == n) {
                // the curve that tells a leak (linear growth) from warm-up (a plateau); the heap part is the JVM's own
                System.err.printf("bench: pool %d/%d images: RSS %.0f MiB (Java heap committed %.0f MiB, used %.0f MiB)%n", done, n,
                        ResidentMemory.currentMiB(), rt.totalMemory() / 1048576.0, (rt.totalMemory() - rt.freeMemory()) / 1048576.0);
                nextReport += Math.max(1, n / 10);
            }
        }
        double total = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> extras = scoring.extras();
        return new ModeResult("djl", BenchMode.POOL.id(), s.batch(), s.height(), s.width(), threads, parameters, null,
                null, n / total, null, null, PeakMemory.peakBytes(), (Double) extras.get("flaggedFraction"),
                (Double) extras.get("refinedFraction"), n, total, preload);
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) throw new IllegalArgumentException("no values");
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
