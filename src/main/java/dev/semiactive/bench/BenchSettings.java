package dev.semiactive.bench;

import dev.semiactive.SemiactiveException;

import java.util.ArrayList;
import java.util.List;

/**
 * What one benchmark measurement runs: shapes, threads, step counts and the hyper-parameters that both the
 * Java side and the PyTorch peer ({@code bench/torch_peer.py}) must share so that they do the same work.
 *
 * @param batch       images per step (TSF: half labelled, half unlabelled, so it must be even)
 * @param height      image height
 * @param width       image width
 * @param threads     intra-op threads of libtorch (DJL) and of PyTorch
 * @param steps       measured steps (median reported)
 * @param warmup      unmeasured steps before them
 * @param classes     K
 * @param channels    input channels
 * @param lr          SGD learning rate (constant during the benchmark)
 * @param weightDecay SGD weight decay
 * @param tau         teacher confidence threshold (TSF reliable pixels; error mask in scoring)
 * @param ema         teacher EMA decay
 * @param posWeight   positive weight of the EMD's binary cross-entropy
 * @param seed        run seed of the benchmarked networks (each takes Seeds.derive(seed, salt) as in a training run: BenchNetworks)
 */
public record BenchSettings(int batch, int height, int width, int threads, int steps, int warmup, int classes,
                            int channels, float lr, float weightDecay, float tau, float ema, float posWeight,
                            long seed) {
    public BenchSettings {
        if (batch < 2) throw new SemiactiveException("--batch " + batch + " is too small: a training forward needs >= 2 images");
        if (height < 16 || width < 16) throw new SemiactiveException("--size " + height + "x" + width + " is too small: use at least 16x16");
        if (threads < 1) throw new SemiactiveException("--threads must be >= 1, got " + threads);
        if (steps < 1 || warmup < 0) throw new SemiactiveException("--steps must be >= 1 and --warmup >= 0, got " + steps + " and " + warmup);
        if (classes < 2) throw new SemiactiveException("classes must be >= 2, got " + classes);
    }

    /** The reference setting: batch 8, 3x256x256, 2 threads, 10 measured steps after 3, 11 classes. */
    public static BenchSettings defaults() {
        return new BenchSettings(8, 256, 256, 2, 10, 3, 11, 3, 0.01f, 1e-4f, 0.7f, 0.99f, 2.0f, 42);
    }

    public BenchSettings withSize(int h, int w) {
        return new BenchSettings(batch, h, w, threads, steps, warmup, classes, channels, lr, weightDecay, tau, ema, posWeight, seed);
    }

    public BenchSettings withBatch(int b) {
        return new BenchSettings(b, height, width, threads, steps, warmup, classes, channels, lr, weightDecay, tau, ema, posWeight, seed);
    }

    public BenchSettings withSteps(int measured, int warm) {
        return new BenchSettings(batch, height, width, threads, measured, warm, classes, channels, lr, weightDecay, tau, ema, posWeight, seed);
    }

    public BenchSettings withThreads(int t) {
        return new BenchSettings(batch, height, width, t, steps, warmup, classes, channels, lr, weightDecay, tau, ema, posWeight, seed);
    }

    public BenchSettings withTau(float t) {
        return new BenchSettings(batch, height, width, threads, steps, warmup, classes, channels, lr, weightDecay, t, ema, posWeight, seed);
    }

    /** {@code HxW}. */
    public String size() {
        return height + "x" + width;
    }

    /** The same settings as command-line arguments, understood by both workers (Java and Python). */
    public List<String> arguments() {
        List<String> a = new ArrayList<>(List.of("--batch", "" + batch, "--size", size(), "--threads", "" + threads,
                "--steps", "" + steps, "--warmup", "" + warmup, "--classes", "" + classes, "--channels", "" + channels,
                "--lr", "" + lr, "--weight-decay", "" + weightDecay, "--tau", "" + tau, "--ema", "" + ema,
                "--pos-weight", "" + posWeight));
        return a;
    }

    /** Parses {@code HxW} (e.g. 256x256). */
    public static int[] parseSize(String s, String option) {
        String[] p = s.toLowerCase(java.util.Locale.ROOT).split("x");
        try {
            if (p.length == 2) return new int[] {Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim())};
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new SemiactiveException(option + " '" + s + "' is not a size: write HEIGHTxWIDTH, e.g. 256x256");
    }
}
