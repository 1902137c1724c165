package dev.semiactive.loop;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semiactive.config.ConfigWriter;
import dev.semiactive.config.SemiactiveConfig;
import dev.semiactive.data.ImageIo;
import dev.semiactive.data.LabelSpace;
import dev.semiactive.data.MaskIo;
import dev.semiactive.data.Sample;
import dev.semiactive.data.SegmentationDataset;
import dev.semiactive.pipeline.RunReport;
import dev.semiactive.pipeline.TrainingRun;
import dev.semiactive.store.PlarRefinement;
import dev.semiactive.store.ProjectStore;
import dev.semiactive.store.QueryRecord;
import dev.semiactive.store.RoundPhase;
import dev.semiactive.store.RoundRecord;
import dev.semiactive.al.RegionIds;
import dev.semiactive.train.Json;
import dev.semiactive.train.RunManifest;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The report of an experiment, rebuilt from the project store after every round (so a resumed or
 * interrupted experiment has one too):
 * <ul>
 *   <li>{@code report.md}: one row per finished round (mIoU of the round's model against the labelled
 *       share it trained on, label cost, error mask / PLAR / EMD figures), per-class IoU per round, and the
 *       figures below;</li>
 *   <li>{@code miou-vs-labelled.png}: mIoU against % of pool pixels labelled (XChart);</li>
 *   <li>{@code plar-emd.png}: flagged, refined, undecided fractions, PLAR accuracy and EMD figures per round;</li>
 *   <li>{@code pictures/round-NN.png}: for up to {@link #PICTURE_IMAGES} images with the most queries of the
 *       round: the queried regions outlined, the PLAR-refined pixels in class colours, undecided pixels;</li>
 *   <li>{@code rounds.json}: every round's metrics; {@code manifest.json}: config, seed, versions, dataset
 *       hash, the last round and the label-set hash (hash of the labelled region ids).</li>
 * </ul>
 */
public final class ExperimentReport {
    public static final String FILE = "report.md";
    public static final String MIOU_CHART = "miou-vs-labelled.png";
    public static final String PLAR_CHART = "plar-emd.png";
    public static final String ROUNDS_JSON = "rounds.json";
    public static final int PICTURE_IMAGES = 4;
    private static final int OUTLINE = 0xFFFF00;
    private static final int UNDECIDED = 0xFFD400;

    private ExperimentReport() {
    }

    /**
     * {@code manifest.json} of an experiment or project folder: its config, seed, pool hash, the last finished round and
     * the hash of the regions labelled so far (rewritten after every round, so it names the state the folder is in).
     */
    public static void writeManifest(Path runDir, SemiactiveConfig config, ProjectStore store, SegmentationDataset pool) {
        List<RoundRecord> done = store.rounds().stream().filter(r -> r.phase() == RoundPhase.DONE).toList();
        int last = done.isEmpty() ? -1 : done.get(done.size() - 1).round();
        RunManifest.builder().setConfig(ConfigWriter.toTree(config)).setSeed(config.run().seed()).optDataset(pool)
                .optRound(last < 0 ? null : last).optLabelSetHash(TrainingRun.hashIds(store.labelledRegionIds()))
                .optInit(config.model().init(), runDir).build().write(runDir);
    }

    /** Writes the report of the experiment in {@code runDir}; returns the report file. */
    public static Path write(Path runDir, SemiactiveConfig config, ProjectStore store, SegmentationDataset pool) {
        List<RoundRecord> done = store.rounds().stream().filter(r -> r.phase() == RoundPhase.DONE).toList();
        Map<Integer, Map<String, JsonNode>> metrics = new TreeMap<>();
        for (RoundRecord r : done) metrics.put(r.round(), store.metrics(r.round()));
        LabelSpace labels = pool.labels();

        Json.writeAtomically(runDir.resolve(ROUNDS_JSON), metrics);
        boolean miouChart = writeMiouChart(metrics, runDir.resolve(MIOU_CHART));
        boolean plarChart = writePlarChart(metrics, runDir.resolve(PLAR_CHART));
        Map<Integer, String> pictures = new LinkedHashMap<>();
        for (int round : metrics.keySet()) {
            String rel = String.format("pictures/round-%02d.png", round);
            if (writePictures(store, pool, round, runDir.resolve(rel))) pictures.put(round, rel);
        }
        writeManifest(runDir, config, store, pool);

        var al = config.al();
        StringBuilder md = new StringBuilder();
        md.append("# Experiment ").append(config.run().name()).append("\n\n");
        md.append("- training: ").append(config.train().method()).append(", ").append(config.train().steps())
                .append(" steps per round (warm start from the previous round), backbone ").append(config.model().backbone()).append('\n');
        md.append("- active learning: strategy ").append(al.strategy())
                .append(al.randomShare() > 0 ? String.format(Locale.ROOT, " with %.0f%% of each round at random", 100 * al.randomShare()) : "")
                .append(al.classBalance() > 0 ? String.format(Locale.ROOT, ", class-balanced (exponent %s)", al.classBalance()) : "")
                .append(al.impurity() > 0 ? String.format(Locale.ROOT, ", impurity-weighted (exponent %s)", al.impurity()) : "")
                .append(al.diversity() > 0 ? String.format(Locale.ROOT, ", thinned by k-center from %s x the round's pixels", al.diversity()) : "").append(", ").append(al.region()).append(" regions of ")
                .append(al.cell()).append(" px, oracle ").append(al.oracle()).append(" (").append(al.oracleMode()).append(")\n");
        md.append(String.format(Locale.ROOT, "- budget: %.2f%% of %d pool pixels; round 0 %.2f%% at random, then %.2f%% per round%n",
                100 * al.budget(), store.poolPixels(), 100 * al.initialFraction(), 100 * al.roundFraction()));
        md.append("- pool: ").append(pool.describe()).append('\n');
        md.append("- rounds done: ").append(done.size()).append("; manifest: manifest.json; all metrics: ").append(ROUNDS_JSON)
                .append("; each round's training: rounds/round-NN/\n\n");

        md.append("## mIoU against labelled pixels\n\n");
        md.append("Round r's model trains on the labels of rounds 0..r-1 (\"trained on\"), then queries; \"labelled\" is the "
                + "share after the round's queries were answered.\n\n");
        if (miouChart) md.append("![mIoU against labelled pixels](").append(MIOU_CHART).append(")\n\n");
        md.append("| round | trained on % px | mIoU % | pixel acc. % | labelled % px | regions | images touched | flagged % | "
                + "PLAR refined % | undecided % | PLAR acc. % | EMD flagged % |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (var e : metrics.entrySet()) {
            Map<String, JsonNode> m = e.getValue();
            md.append("| ").append(e.getKey()).append(" | ").append(num(m, "train_labelled_percent", 1, 3))
                    .append(" | ").append(num(m, "mIoU", 100, 2)).append(" | ").append(num(m, "pixel_accuracy", 100, 2))
                    .append(" | ").append(num(m, "labelled_percent", 1, 3)).append(" | ").append(num(m, "labelled_regions", 1, 0))
                    .append(" | ").append(num(m, "images_touched", 1, 0)).append(" | ").append(num(m, "error_flagged_fraction", 100, 1))
                    .append(" | ").append(num(m, "plar_refined_fraction", 100, 1)).append(" | ").append(num(m, "plar_undecided_fraction", 100, 1))
                    .append(" | ").append(num(m, "plar_accuracy", 100, 1)).append(" | ").append(num(m, "emd_flagged_fraction", 100, 1))
                    .append(" |\n");
        }
        md.append("\n## Per-class IoU % per round\n\n| round |");
        for (String c : labels.classNames()) md.append(' ').append(c).append(" |");
        md.append("\n|---|").append("---|".repeat(labels.numClasses())).append('\n');
        for (var e : metrics.entrySet()) {
            JsonNode pc = e.getValue().get("per_class_iou");
            if (pc == null || !pc.isArray()) continue;
            md.append("| ").append(e.getKey()).append(" |");
            for (int c = 0; c < labels.numClasses(); c++) {
                JsonNode v = pc.get(c);
                md.append(' ').append(v == null || !v.isNumber() ? "-" : String.format(Locale.ROOT, "%.2f", 100 * v.asDouble())).append(" |");
            }
            md.append('\n');
        }
        md.append("\n## Error mask, PLAR and EMD per round\n\n");
        md.append("Fractions of the pool's unlabelled pixels that the error mask flagged (confidence < tsf.threshold, or EMD > 0.5), "
                + "and of the flagged ones that PLAR refined or left undecided; PLAR accuracy against the ground truth (the "
                + "teacher's accuracy on the same pixels in rounds.json: plar_teacher_accuracy); EMD precision/recall/F1 against "
                + "the model's real mistakes when the checkpoint has an EMD.\n\n");
        if (plarChart) md.append("![PLAR and EMD per round](").append(PLAR_CHART).append(")\n\n");
        if (!pictures.isEmpty()) {
            md.append("## Queried regions and PLAR, per round\n\nColumns: the round's queried regions outlined in yellow; "
                    + "PLAR-refined pixels in class colours; undecided pixels in amber.\n\n");
            for (var e : pictures.entrySet())
                md.append("### Round ").append(e.getKey()).append("\n\n![round ").append(e.getKey()).append("](")
                        .append(e.getValue()).append(")\n\n");
        }
        Path file = runDir.resolve(FILE);
        Json.writeAtomically(file, out -> out.write(md.toString().getBytes(StandardCharsets.UTF_8)));
        return file;
    }

    private static String num(Map<String, JsonNode> m, String key, double scale, int decimals) {
        JsonNode v = m.get(key);
        if (v == null || !v.isNumber()) return "-";
        return String.format(Locale.ROOT, "%." + decimals + "f", scale * v.asDouble());
    }

    private static boolean writeMiouChart(Map<Integer, Map<String, JsonNode>> metrics, Path png) {
        List<double[]> points = new ArrayList<>();
        for (var m : metrics.values()) {
            JsonNode x = m.get("train_labelled_percent"), y = m.get("mIoU");
            if (x != null && x.isNumber() && y != null && y.isNumber()) points.add(new double[]{x.asDouble(), 100 * y.asDouble()});
        }
        if (points.isEmpty()) return false;
        XYChart chart = new XYChartBuilder().width(800).height(500).title("mIoU against labelled pixels")
                .xAxisTitle("% of pool pixels labelled").yAxisTitle("validation mIoU %").build();
        chart.addSeries("mIoU", points.stream().mapToDouble(p -> p[0]).toArray(), points.stream().mapToDouble(p -> p[1]).toArray())
                .setMarker(SeriesMarkers.CIRCLE);
        RunReport.savePng(chart, png);
        return true;
    }

    private static boolean writePlarChart(Map<Integer, Map<String, JsonNode>> metrics, Path png) {
        Map<String, String> series = new LinkedHashMap<>();
        series.put("error_flagged_fraction", "flagged %");
        series.put("plar_refined_fraction", "PLAR refined %");
        series.put("plar_undecided_fraction", "undecided %");
        series.put("plar_accuracy", "PLAR accuracy %");
        series.put("emd_flagged_fraction", "EMD flagged %");
        series.put("emd_f1", "EMD F1 %");
        XYChart chart = new XYChartBuilder().width(800).height(500).title("error mask, PLAR and EMD per round")
                .xAxisTitle("round").yAxisTitle("%").build();
        boolean any = false;
        for (var s : series.entrySet()) {
            List<double[]> pts = new ArrayList<>();
            metrics.forEach((round, m) -> {
                JsonNode v = m.get(s.getKey());
                if (v != null && v.isNumber()) pts.add(new double[]{round, 100 * v.asDouble()});
            });
            if (pts.isEmpty()) continue;
            chart.addSeries(s.getValue(), pts.stream().mapToDouble(p -> p[0]).toArray(), pts.stream().mapToDouble(p -> p[1]).toArray())
                    .setMarker(SeriesMarkers.CIRCLE);
            any = true;
        }
        if (any) RunReport.savePng(chart, png);
        return any;
    }

    /** Rows: the round's most queried images; columns: queried regions, PLAR refined, undecided. */
    private static boolean writePictures(ProjectStore store, SegmentationDataset pool, int round, Path png) {
        Map<String, List<String>> byImage = new TreeMap<>();
        for (QueryRecord q : store.queries(round))
            byImage.computeIfAbsent(RegionIds.imageIdOf(q.regionId()), k -> new ArrayList<>()).add(q.regionId());
        List<String> images = byImage.entrySet().stream()
                .sorted((a, b) -> a.getValue().size() != b.getValue().size() ? b.getValue().size() - a.getValue().size() : a.getKey().compareTo(b.getKey()))
                .limit(PICTURE_IMAGES).map(Map.Entry::getKey).toList();
        if (images.isEmpty()) return false;
        List<BufferedImage[]> rows = new ArrayList<>();
        for (String id : images) {
            Sample s = pool.load(id);
            int w = s.width(), h = s.height();
            BufferedImage queried = ImageIo.toBufferedImage(s.image(), s.channels(), h, w);
            queried = copyRgb(queried);
            for (String rid : byImage.get(id)) {
                int[] px = store.regionPixels(rid).pixels();
                BitSet in = new BitSet(w * h);
                for (int p : px) in.set(p);
                for (int p : px) {
                    int x = p % w, y = p / w;
                    boolean edge = x == 0 || y == 0 || x == w - 1 || y == h - 1 || !in.get(p - 1) || !in.get(p + 1) || !in.get(p - w) || !in.get(p + w);
                    if (edge) queried.setRGB(x, y, OUTLINE);
                }
            }
            int[] refined = new int[w * h];
            Arrays.fill(refined, LabelSpace.IGNORE);
            BitSet undecided = new BitSet();
            var plar = store.plar(id, round);
            if (plar.isPresent()) {
                PlarRefinement r = plar.get();
                refined = r.refined();
                undecided = r.undecided();
            }
            BufferedImage refinedImg = MaskIo.overlay(s.image(), s.channels(), h, w, refined, pool.labels(), 0.7);
            BufferedImage undecidedImg = copyRgb(ImageIo.toBufferedImage(s.image(), s.channels(), h, w));
            for (int p = undecided.nextSetBit(0); p >= 0; p = undecided.nextSetBit(p + 1)) undecidedImg.setRGB(p % w, p / w, UNDECIDED);
            rows.add(new BufferedImage[]{queried, refinedImg, undecidedImg});
        }
        ImageIo.writePng(png, grid(rows, List.of("queried regions", "PLAR refined", "undecided")));
        return true;
    }

    private static BufferedImage copyRgb(BufferedImage src) {
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(src, 0, 0, null);
        g.dispose();
        return out;
    }

    /** Tiles panels (scaled up to at least ~160 px, nearest neighbour) under column titles. */
    static BufferedImage grid(List<BufferedImage[]> rows, List<String> titles) {
        int pw = 0, ph = 0;
        for (BufferedImage[] r : rows) for (BufferedImage p : r) {
            pw = Math.max(pw, p.getWidth());
            ph = Math.max(ph, p.getHeight());
        }
        int scale = Math.max(1, 160 / Math.max(pw, ph));
        int gap = 6, header = 20, cols = titles.size();
        int cw = pw * scale, chh = ph * scale;
        BufferedImage out = new BufferedImage(cols * cw + (cols + 1) * gap, header + rows.size() * (chh + gap) + gap, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.DARK_GRAY);
        for (int c = 0; c < cols; c++) g.drawString(titles.get(c), gap + c * (cw + gap), 15);
        for (int r = 0; r < rows.size(); r++)
            for (int c = 0; c < cols && c < rows.get(r).length; c++) {
                BufferedImage p = rows.get(r)[c];
                g.drawImage(p, gap + c * (cw + gap), header + r * (chh + gap), p.getWidth() * scale, p.getHeight() * scale, null);
            }
        g.dispose();
        return out;
    }
}
