package dev.semiactive.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semiactive.SemiactiveException;
import dev.semiactive.eval.ConfusionMatrix;
import dev.semiactive.train.Checkpoint;
import dev.semiactive.train.Json;
import dev.semiactive.train.MetricsLog;
import dev.semiactive.train.ModelCard;
import dev.semiactive.train.TrainingResult;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A training run's report, rebuilt from what the run left on disk (metrics.jsonl, the checkpoint's model
 * card) so it is the same after a resume: {@code report.md} with the per-class IoU of the last validation,
 * and {@code curves.png} with every logged loss term and validation mIoU against step.
 */
public final class RunReport {
    public static final String FILE = "report.md";
    public static final String CURVES = "curves.png";

    private RunReport() {
    }

    public static void write(Path runDir, TrainingResult result) {
        List<JsonNode> records = new MetricsLog(runDir.resolve("metrics.jsonl")).read();
        writeCurves(records, runDir.resolve(CURVES));
        ModelCard card = Checkpoint.readModelCard(result.latest());
        StringBuilder md = new StringBuilder();
        md.append("# Run ").append(runDir.getFileName()).append("\n\n");
        md.append("- method: ").append(card.method()).append(", evaluated network: ").append(card.network()).append('\n');
        md.append("- steps: ").append(result.endStep()).append('\n');
        if (result.bestMetric() != null)
            md.append(String.format("- best validation mIoU: %.2f%% at step %d (checkpoints/best)%n", 100 * result.bestMetric(), result.bestStep()));
        md.append("- manifest: manifest.json; metrics: metrics.jsonl; curves: ").append(CURVES).append("\n\n");
        ConfusionMatrix last = result.lastValidation();
        if (last != null) {
            md.append("## Last validation\n\n| class | IoU % |\n|---|---|\n");
            double[] iou = last.perClassIoU();
            for (int c = 0; c < iou.length; c++)
                md.append("| ").append(card.labels().classNames().get(c)).append(" | ")
                        .append(Double.isNaN(iou[c]) ? "-" : String.format("%.2f", 100 * iou[c])).append(" |\n");
            md.append(String.format("| **mIoU** | **%.2f** |%n| pixel accuracy | %.2f |%n", 100 * last.meanIoU(), 100 * last.pixelAccuracy()));
        }
        md.append("\n![curves](").append(CURVES).append(")\n");
        Json.writeAtomically(runDir.resolve(FILE), out -> out.write(md.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** Loss terms (train records) and validation mIoU (val records) against step, in one PNG. */
    static void writeCurves(List<JsonNode> records, Path png) {
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        for (JsonNode r : records) {
            long step = r.path("step").asLong();
            boolean val = "val".equals(r.path("kind").asText());
            for (Iterator<Map.Entry<String, JsonNode>> it = r.fields(); it.hasNext(); ) {
                var f = it.next();
                String key = f.getKey();
                if (!f.getValue().isNumber() || key.equals("step")) continue;
                boolean plotted = val ? key.equals("mIoU") : (key.equals("loss") || key.equals("sup") || key.startsWith("sup_")
                        || key.equals("ts") || key.equals("cps") || key.equals("emd"));
                if (plotted) series.computeIfAbsent(val ? "val mIoU" : key, k -> new ArrayList<>())
                        .add(new double[]{step, f.getValue().asDouble()});
            }
        }
        XYChart chart = new XYChartBuilder().width(900).height(500).title("training").xAxisTitle("step").yAxisTitle("value").build();
        chart.getStyler().setMarkerSize(3);
        for (var e : series.entrySet()) {
            double[] x = e.getValue().stream().mapToDouble(p -> p[0]).toArray();
            double[] y = e.getValue().stream().mapToDouble(p -> p[1]).toArray();
            chart.addSeries(e.getKey(), x, y).setMarker(e.getKey().equals("val mIoU") ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        }
        if (series.isEmpty()) return;
        savePng(chart, png);
    }

    /** Writes an XChart chart as a PNG, atomically (temp file in the same folder, then rename). */
    public static void savePng(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path png) {
        try {
            Files.createDirectories(png.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(png.toAbsolutePath().getParent(), "chart", ".png");
            BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG);
            Files.move(tmp, png, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new SemiactiveException("cannot write " + png + ": " + e.getMessage(), e);
        }
    }
}
