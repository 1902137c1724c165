package dev.semiactive.bench;

import ai.djl.ndarray.NDManager;
import dev.semiactive.SemiactiveException;
import dev.semiactive.loop.Refinement;
import dev.semiactive.plar.ClassStatistics;
import dev.semiactive.plar.ClassStatisticsAccumulator;
import dev.semiactive.plar.FeatureMap;
import dev.semiactive.plar.GemmDistances;
import dev.semiactive.plar.PlarRefiner;
import dev.semiactive.plar.RefinementResult;
import dev.semiactive.plar.VoteRule;
import dev.semiactive.util.MachineInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * {@code semiactive bench plar-distances}: PLAR's refinement of a pool pass with its two distance paths, the
 * plain-Java triangular solve and the engine's matrix product ({@link GemmDistances}), on the same statistics and
 * the same feature maps in one process, so the ratio is measured under one load. Synthetic Gaussian classes of the
 * shape the CamVid loop sees by default (d = 256, 11 classes, 60x45 feature maps, ~65% flagged); it also checks that
 * both paths give the same labels, so a faster path that decides differently does not pass unnoticed.
 */
@Command(name = "plar-distances", mixinStandardHelpOptions = true,
        description = {"Time PLAR's refinement with distances by triangular solve in Java against one matrix product "
                + "in the engine, same statistics and feature maps; prints a markdown report."})
public final class PlarDistancesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dim", defaultValue = "256", description = "Feature dimension. Default: ${DEFAULT-VALUE}.")
    int dim;

    @Option(names = "--classes", defaultValue = "11", description = "Classes, all candidates. Default: ${DEFAULT-VALUE}.")
    int classes;

    @Option(names = "--images", defaultValue = "100", description = "Feature maps refined per pass. Default: ${DEFAULT-VALUE}.")
    int images;

    @Option(names = "--size", defaultValue = "45x60", paramLabel = "HxW", description = "Feature map size. Default: ${DEFAULT-VALUE}.")
    String size;

    @Option(names = "--flagged", defaultValue = "0.65", description = "Share of pixels the error mask flags. Default: ${DEFAULT-VALUE}.")
    double flagged;

    @Option(names = "--repeats", defaultValue = "3", description = "Timed passes per path (after one warm-up); the median is reported. Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the synthetic classes. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--append", paramLabel = "FILE", description = "Append the report to this markdown file (e.g. BENCHMARKS.md).")
    Path append;

    @Override
    public Integer call() throws IOException {
        int[] hw = BenchSettings.parseSize(size, "--size");
        int h = hw[0], w = hw[1];
        if (dim < 2 || classes < 2 || images < 1 || repeats < 1 || h < 1 || w < 1 || !(flagged > 0 && flagged <= 1))
            throw new SemiactiveException("--dim and --classes must be >= 2, --images, --repeats and the size >= 1, "
                    + "--flagged in (0, 1]");
        PrintWriter err = spec.commandLine().getErr();
        Random r = new Random(seed);
        Classes synth = new Classes(classes, dim, r);
        ClassStatisticsAccumulator acc = ClassStatisticsAccumulator.builder().setNumClasses(classes).optSeed(seed).build();
        // enough labelled maps for ~2x the samples a class keeps, as in a loop round with a few percent labelled
        int statImages = (int) Math.ceil(2.0 * ClassStatisticsAccumulator.DEFAULT_MAX_SAMPLES_PER_CLASS * classes / ((double) h * w));
        for (int i = 0; i < statImages; i++) {
            Image im = synth.image(h, w, 0, r);
            acc.add(im.features, im.truth);
        }
        ClassStatistics stats = acc.build();
        List<Image> pool = new ArrayList<>();
        for (int i = 0; i < images; i++) pool.add(synth.image(h, w, flagged, r));
        long flaggedPixels = pool.stream().mapToLong(im -> im.countFlagged()).sum();

        PlarRefiner java = PlarRefiner.builder().setStatistics(stats).optRule(VoteRule.INSTANCE).build();
        double[] javaTimes, gemmTimes;
        int[][] javaLabels, gemmLabels;
        err.println("plar-distances: " + images + " maps of " + h + "x" + w + ", d = " + dim + ", " + classes + " classes, "
                + flaggedPixels + " flagged pixels; Java path...");
        err.flush();
        javaLabels = new int[images][];
        javaTimes = time(java, pool, javaLabels);
        err.println("plar-distances: engine path...");
        err.flush();
        try (NDManager manager = NDManager.newBaseManager();
             GemmDistances gemm = new GemmDistances(stats, manager, Refinement.GEMM_BATCH)) {
            PlarRefiner viaGemm = PlarRefiner.builder().setStatistics(stats).optRule(VoteRule.INSTANCE).optDistances(gemm).build();
            gemmLabels = new int[images][];
            gemmTimes = time(viaGemm, pool, gemmLabels);
        }
        long differing = 0;
        for (int i = 0; i < images; i++)
            for (int p = 0; p < javaLabels[i].length; p++) if (javaLabels[i][p] != gemmLabels[i][p]) differing++;

        // the parse result of a subcommand holds the whole command line (bench plar-distances ...)
        String command = "./semiactive " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        String report = report(command.trim(), h, w, flaggedPixels, javaTimes, gemmTimes, differing);
        PrintWriter out = spec.commandLine().getOut();
        out.print(report);
        out.flush();
        if (append != null) {
            dev.semiactive.train.Json.appendAtomically(append, "\n" + report);
            err.println("bench: appended to " + append.toAbsolutePath());
            err.flush();
        }
        return differing == 0 ? 0 : 1;
    }

    /** One warm-up pass, then {@link #repeats} timed ones; the labels of the last pass are kept. */
    private double[] time(PlarRefiner refiner, List<Image> pool, int[][] labels) {
        double[] seconds = new double[repeats];
        for (int rep = -1; rep < repeats; rep++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < pool.size(); i++) {
                Image im = pool.get(i);
                RefinementResult res = refiner.refine(im.features, im.pseudo, im.flagged, null);
                labels[i] = res.labels();
            }
            if (rep >= 0) seconds[rep] = (System.nanoTime() - t0) / 1e9;
        }
        return seconds;
    }

    private String report(String command, int h, int w, long flaggedPixels, double[] java, double[] gemm, long differing) {
        double mj = median(java), mg = median(gemm);
        StringBuilder b = new StringBuilder();
        b.append("## PLAR distances, ").append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"))).append(" UTC\n\n");
        b.append("- Command: `").append(command).append("`\n");
        b.append("- Machine: ").append(MachineInfo.describe()).append("\n");
        b.append(String.format(Locale.ROOT, "- Work: %d feature maps of %dx%d, d = %d, %d classes (all candidates), %d flagged pixels; "
                + "vote rule; median of %d passes after a warm-up%n%n", images, h, w, dim, classes, flaggedPixels, repeats));
        b.append("| distances | pass s (median) | all passes s | us per flagged pixel | speed-up |\n|---|---|---|---|---|\n");
        b.append(row("triangular solve, Java", java, mj, flaggedPixels, 1.0));
        b.append(row("matrix product, engine (" + Refinement.GEMM_BATCH + " px a product)", gemm, mg, flaggedPixels, mj / mg));
        b.append("\nLabels that differ between the two paths: ").append(differing).append(differing == 0 ? " (same refinement)\n" : " (SHOULD BE 0)\n");
        return b.toString();
    }

    private static String row(String name, double[] t, double median, long flagged, double speedup) {
        return String.format(Locale.ROOT, "| %s | %.2f | %s | %.1f | %.2fx |%n", name, median,
                String.join(" / ", Arrays.stream(t).mapToObj(x -> String.format(Locale.ROOT, "%.2f", x)).toList()),
                median * 1e6 / flagged, speedup);
    }

    private static double median(double[] t) {
        double[] s = t.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Gaussian classes with their own means and per-dimension spreads, so every covariance differs. */
    private static final class Classes {
        final int k, d;
        final float[][] mean, scale;

        Classes(int k, int d, Random r) {
            this.k = k;
            this.d = d;
            mean = new float[k][d];
            scale = new float[k][d];
            for (int c = 0; c < k; c++)
                for (int j = 0; j < d; j++) {
                    mean[c][j] = (float) (0.5 * r.nextGaussian());
                    scale[c][j] = (float) (0.5 + r.nextDouble());
                }
        }

        /** A map of random classes; the pseudo-label is the truth with a tenth replaced, {@code flagged} of pixels flagged. */
        Image image(int h, int w, double flagged, Random r) {
            int hw = h * w;
            float[] f = new float[d * hw];
            int[] truth = new int[hw], pseudo = new int[hw];
            boolean[] mask = new boolean[hw];
            for (int p = 0; p < hw; p++) {
                int c = r.nextInt(k);
                truth[p] = c;
                pseudo[p] = r.nextDouble() < 0.1 ? r.nextInt(k) : c;
                mask[p] = r.nextDouble() < flagged;
                for (int j = 0; j < d; j++) f[j * hw + p] = mean[c][j] + scale[c][j] * (float) r.nextGaussian();
            }
            return new Image(new FeatureMap(d, h, w, f), truth, pseudo, mask);
        }
    }

    private record Image(FeatureMap features, int[] truth, int[] pseudo, boolean[] flagged) {
        long countFlagged() {
            long n = 0;
            for (boolean b : flagged) if (b) n++;
            return n;
        }
    }
}
