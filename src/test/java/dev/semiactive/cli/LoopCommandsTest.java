package dev.semiactive.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semiactive.data.DataOptions;
import dev.semiactive.data.Datasets;
import dev.semiactive.data.ImageIo;
import dev.semiactive.data.MaskIo;
import dev.semiactive.data.Sample;
import dev.semiactive.data.SegmentationDataset;
import dev.semiactive.loop.ActiveLearningLoop;
import dev.semiactive.store.ProjectStore;
import dev.semiactive.store.QueryRecord;
import dev.semiactive.store.QueryStatus;
import dev.semiactive.store.RegionLabel;
import dev.semiactive.store.RegionPixels;
import dev.semiactive.store.StoredImage;
import dev.semiactive.train.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The active-learning commands end to end on a tiny folder of synthetic PNGs. */
class LoopCommandsTest {
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.newCommandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static Run ok(String... args) {
        Run r = run(args);
        assertThat(r.code()).as("exit code of %s; stderr: %s", List.of(args), r.err()).isZero();
        return r;
    }

    static final String CONFIG = """
            run: {seed: 3}
            model: {backbone: tiny}
            train: {steps: 4, batch_size: 3, lr: 0.02, log_every: 2, eval_every: 0, checkpoint_every: 2}
            augment: {scale: [1.0, 1.0], flip: false}
            al: {cell: 16, strategy: entropy, initial_fraction: 0.25, round_fraction: 0.25, budget: 0.75}
            """;

    @Test
    void projectInitRoundLabelRoundServeExportAndRefine(@TempDir Path dir) throws Exception {
        // a folder of 6 PNGs (32x32 synthetic scenes) whose ground truth the test keeps to answer queries
        SegmentationDataset scenes = Datasets.synthetic("train", DataOptions.builder().optSynthetic(6, 32, 32, 3).optSeed(5).build());
        Path images = dir.resolve("images");
        Map<String, int[]> truth = new HashMap<>();
        for (String id : scenes.ids()) {
            Sample s = scenes.load(id);
            ImageIo.writePng(images.resolve(id + ".png"), ImageIo.toBufferedImage(s.image(), 3, 32, 32));
            truth.put(id, s.mask());
        }
        Files.write(dir.resolve("classes.txt"), scenes.labels().classNames());
        Files.writeString(dir.resolve("config.yaml"), CONFIG);
        Path project = dir.resolve("project");

        Run init = ok("project", "init", "--dir", project.toString(), "--images", images.toString(),
                "--classes", dir.resolve("classes.txt").toString(), "--config", dir.resolve("config.yaml").toString());
        assertThat(init.out()).contains("6 images, 3 classes");

        // round 0: 25% of 6 x 4 cells = 6 random regions wait for a person
        Run round0 = ok("project", "round", "--dir", project.toString());
        assertThat(round0.out()).contains("round 0: 6 of 6 queued regions wait for labels").contains("pending:  6 queries");
        assertThat(ok("project", "status", "--dir", project.toString()).out())
                .contains("round:    0 (phase queried)").contains("pending:  6 queries").contains("model:    none yet");
        // the project's manifest: no round finished yet, nothing labelled yet
        var manifest0 = dev.semiactive.train.RunManifest.read(project);
        assertThat(manifest0.round()).isNull();
        assertThat(manifest0.labelSetHash()).isEqualTo(dev.semiactive.pipeline.TrainingRun.hashIds(List.of()));

        // a person labels five (ground truth, as the web UI would submit it) and skips one
        try (ProjectStore store = ProjectStore.open(project.resolve("project.db"))) {
            List<QueryRecord> queue = store.queries(0);
            store.skipQuery(queue.get(5).regionId());
            for (QueryRecord q : queue.subList(0, 5)) answer(store, q.regionId(), truth);
        }
        Run round1 = ok("project", "round", "--dir", project.toString());
        assertThat(round1.out()).contains("round 1: 6 of 6 queued regions wait for labels");
        assertThat(ActiveLearningLoop.checkpoint(project, 1).resolve("model.json")).isRegularFile();
        try (Stream<Path> predictions = Files.list(project.resolve("scores/prediction"))) {
            assertThat(predictions.count()).isEqualTo(6);
        }
        try (ProjectStore store = ProjectStore.open(project.resolve("project.db"))) {
            assertThat(store.labelStats().regions()).isEqualTo(5);
            assertThat(store.queries(0)).filteredOn(q -> q.status() == QueryStatus.SKIPPED).hasSize(1);
            // round 1 never re-asks a round-0 region, skipped or labelled
            assertThat(store.queries(1)).noneMatch(q -> store.queries(0).stream().anyMatch(p -> p.regionId().equals(q.regionId())));
            assertThat(store.plarTotals(1)[0]).isEqualTo(6);
            // round 0 is done, round 1 waits: the manifest names round 0 and the five labelled regions
            var manifest1 = dev.semiactive.train.RunManifest.read(project);
            assertThat(manifest1.round()).isEqualTo(0);
            assertThat(manifest1.labelSetHash()).isEqualTo(dev.semiactive.pipeline.TrainingRun.hashIds(store.labelledRegionIds()));
            assertThat(manifest1.config().at("/run/seed").isNumber()).isTrue();
        }

        serveAnswersTheApi(project);

        Path export = dir.resolve("export");
        assertThat(ok("project", "export", "--dir", project.toString(), "--output", export.toString()).out())
                .contains("exported").contains("index layout");
        try (ProjectStore store = ProjectStore.open(project.resolve("project.db"))) {
            int exported = 0;
            for (StoredImage im : store.images()) {
                Path mask = export.resolve("train/masks").resolve(im.id() + ".png");
                if (!store.labelledImageIds().contains(im.id())) {
                    assertThat(mask).doesNotExist();
                    continue;
                }
                exported++;
                assertThat(MaskIo.readIndex(mask).values()).containsExactly(store.labelMask(im.id(), 32, 32));
                assertThat(export.resolve("train/images").resolve(im.id() + ".png")).isRegularFile();
            }
            assertThat(exported).isEqualTo(store.labelledImageIds().size()).isPositive();
        }
        assertThat(export.resolve("classes.yaml")).isRegularFile();
        assertThat(export.resolve("model/model.json")).isRegularFile();
        // the exported model is the project's latest, file for file, and no partial copy is left beside it
        Path latest;
        try (ProjectStore s = ProjectStore.open(project.resolve("project.db"))) {
            latest = ActiveLearningLoop.latestModel(project, s).orElseThrow();
        }
        try (Stream<Path> files = Files.list(latest)) {
            for (Path f : files.filter(Files::isRegularFile).toList())
                assertThat(export.resolve("model").resolve(f.getFileName().toString())).hasSameBinaryContentAs(f);
        }
        assertThat(export.resolve("model.partial")).doesNotExist();
        // exporting again over it replaces the model whole
        ok("project", "export", "--dir", project.toString(), "--output", export.toString());
        assertThat(export.resolve("model/model.json")).isRegularFile();
        assertThat(export.resolve("model.partial")).doesNotExist();
        // the index layout is the folder format: it opens as a dataset with the project's classes
        SegmentationDataset reopened = Datasets.open("folder", export, "train", DataOptions.defaults());
        assertThat(reopened.labels().classNames()).isEqualTo(scenes.labels().classNames());

        ok("project", "export", "--dir", project.toString(), "--output", dir.resolve("camvid").toString(), "--layout", "camvid");
        try (Stream<Path> annot = Files.list(dir.resolve("camvid/trainannot"))) {
            assertThat(annot.count()).isEqualTo(reopened.size());
        }
        ok("project", "export", "--dir", project.toString(), "--output", dir.resolve("cs").toString(), "--layout", "cityscapes");
        String anyId = reopened.ids().get(0);
        assertThat(dir.resolve("cs/leftImg8bit/train/project/" + anyId + "_leftImg8bit.png")).isRegularFile();
        assertThat(dir.resolve("cs/gtFine/train/project/" + anyId + "_gtFine_labelIds.png")).isRegularFile();
        assertThat(run("project", "export", "--dir", project.toString(), "--output", dir.resolve("x").toString(), "--layout", "voc").err())
                .contains("--layout voc: use index, camvid or cityscapes");

        // PLAR on the image folder with statistics from the exported labels: the loop's code path
        Path refined = dir.resolve("refined");
        Run refine = ok("refine", "--checkpoint", ActiveLearningLoop.roundDir(project, 1).toString(), "--labelled", "folder:" + export,
                "--images", images.toString(), "--output", refined.toString());
        assertThat(refine.out()).contains("refined 6 images");
        JsonNode summary = Json.MAPPER.readTree(refined.resolve("summary.json").toFile());
        assertThat(summary.get("images").asInt()).isEqualTo(6);
        assertThat(summary.get("perImage")).hasSize(6);
        assertThat(summary.get("classes")).hasSize(3);
        // a manifest says what made the masks: the checkpoint (and its weights' hash), the images, the labelled data
        var manifest = dev.semiactive.train.RunManifest.read(refined);
        assertThat(manifest.config().get("images").asText()).isEqualTo(images.toString());
        assertThat(manifest.config().get("checkpoint_hash").asText())
                .isEqualTo(dev.semiactive.train.Checkpoint.hashParameters(dev.semiactive.train.Checkpoint.locate(
                        ActiveLearningLoop.checkpoint(project, 1)).orElseThrow()));
        assertThat(manifest.datasetHash()).hasSize(64);
        assertThat(manifest.config().at("/run_config/plar/rule").asText()).isEqualTo("vote");
        long refinedPx = summary.get("refinedPixels").asLong(), undecidedPx = summary.get("undecidedPixels").asLong();
        assertThat(refinedPx + undecidedPx).isLessThanOrEqualTo(summary.get("flaggedPixels").asLong());
        for (String id : scenes.ids()) {
            int[] target = MaskIo.readIndex(refined.resolve("refined").resolve(id + ".png")).values();
            assertThat(target).hasSize(32 * 32);
            assertThat(java.util.Arrays.stream(target)).allMatch(v -> v < 3 || v == 255);
            assertThat(refined.resolve("undecided").resolve(id + ".png")).isRegularFile();
        }

        // against ground truth, with a setting of the run overridden: accuracy, Teacher error and per-class figures
        Path checked = dir.resolve("checked");
        Run withTruth = ok("refine", "--checkpoint", ActiveLearningLoop.roundDir(project, 1).toString(), "--labelled", "folder:" + export,
                "--images", export.resolve("train/images").toString(), "--truth", "folder:" + export, "--truth-split", "train",
                "--set", "plar.rule=fusion", "--output", checked.toString());
        assertThat(withTruth.out()).contains("against ground truth: PLAR accuracy").contains("Teacher error removed");
        JsonNode s2 = Json.MAPPER.readTree(checked.resolve("summary.json").toFile());
        assertThat(s2.get("rule").asText()).isEqualTo("fusion");
        assertThat(s2.get("teacher_error_rate").asDouble()).isBetween(0.0, 1.0);
        assertThat(s2.has("teacher_error_removed")).isTrue();
        assertThat(s2.get("perClass").size()).isEqualTo(3);
        // an image without ground truth is named, with the fix; nothing is written
        Path none = dir.resolve("none");
        assertThat(run("refine", "--checkpoint", ActiveLearningLoop.roundDir(project, 1).toString(), "--labelled", "folder:" + export,
                "--images", images.toString(), "--truth", "folder:" + export, "--truth-split", "train", "--output", none.toString()).err())
                .contains("has no ground truth in").contains("--truth/--truth-split");
        assertThat(none).doesNotExist();
        assertThat(run("refine", "--checkpoint", ActiveLearningLoop.roundDir(project, 1).toString(), "--labelled", "folder:" + export,
                "--images", images.toString(), "--set", "plar.rule=majority", "--output", none.toString()).err())
                .contains("plar.rule = majority is invalid: unknown PLAR rule; allowed: vote, fusion");
        assertThat(none).doesNotExist();
    }

    @Test
    void experimentRunsRoundsAndPrintsWhereTheReportIs(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("experiment.yaml");
        Files.writeString(config, CONFIG + "data: {synthetic: {images: 6, width: 32, height: 32, classes: 3}}\n");
        Path out = dir.resolve("run");
        Run run = ok("experiment", "--config", config.toString(), "--set", "al.rounds=1", "--set", "run.output_dir=" + out);
        assertThat(run.out()).contains("round 0: no model yet; labelled 25.00% of pixels, 6 regions")
                .containsPattern("round 1: val mIoU \\d+\\.\\d\\d% \\(trained on 25.00% of pixels\\)")
                .contains("report:      " + out.resolve("report.md"));
        assertThat(out.resolve("report.md")).isRegularFile();
        // the experiment folder itself evaluates its final model (the newest round's latest checkpoint)
        String json = ok("evaluate", "--checkpoint", out.toString(), "--data", "synthetic", "--split", "val", "--json").out();
        assertThat(json).contains("round-01");
        // the confusion matrix: K x K pixel counts (rows truth), consistent with the pixel accuracy beside it
        com.fasterxml.jackson.databind.JsonNode metrics = dev.semiactive.train.Json.MAPPER.readTree(json);
        com.fasterxml.jackson.databind.JsonNode confusion = metrics.get("confusion");
        int k = metrics.get("classes").size();
        assertThat(confusion.size()).isEqualTo(k);
        long diagonal = 0, total = 0;
        for (int i = 0; i < k; i++) {
            assertThat(confusion.get(i).size()).isEqualTo(k);
            for (int j = 0; j < k; j++) total += confusion.get(i).get(j).asLong();
            diagonal += confusion.get(i).get(i).asLong();
        }
        assertThat(total).isPositive();
        assertThat((double) diagonal / total).isCloseTo(metrics.get("pixelAccuracy").asDouble(), org.assertj.core.api.Assertions.within(1e-9));
        // --network picks another network of the checkpoint; a supervised run has no teacher, and says so
        assertThat(ok("evaluate", "--checkpoint", out.toString(), "--data", "synthetic", "--split", "val", "--network", "student").out())
                .contains("(student) on").contains("mIoU");
        assertThat(run("evaluate", "--checkpoint", out.toString(), "--data", "synthetic", "--split", "val", "--network", "teacher").err())
                .contains("has no network 'teacher' (supervised run; it evaluates 'student')").contains("--network");
        assertThat(ok("experiment", "--config", config.toString(), "--set", "al.rounds=1", "--print-config").out())
                .contains("oracle_mode: all");
    }

    private static void answer(ProjectStore store, String regionId, Map<String, int[]> truth) {
        RegionPixels px = store.regionPixels(regionId);
        int[] gt = truth.get(px.imageId());
        int[] labels = new int[px.pixels().length];
        for (int i = 0; i < labels.length; i++) labels[i] = gt[px.pixels()[i]];
        assertThat(store.submitAnswer(new RegionLabel(regionId, px.imageId(), px.pixels(), labels, -1, "tester"))).isTrue();
    }

    private static void serveAnswersTheApi(Path project) throws Exception {
        StringWriter out = new StringWriter();
        CountDownLatch stop = new CountDownLatch(1);
        Thread server = new Thread(() -> Actions.serve(project, "127.0.0.1", 0, null, new PrintWriter(out, true), stop));
        server.start();
        Pattern url = Pattern.compile("annotate at (http://\\S+)");
        Matcher m = url.matcher("");
        for (int i = 0; i < 200 && !(m = url.matcher(out.toString())).find(); i++) Thread.sleep(50);
        assertThat(m.find(0)).as("serve printed its URL: %s", out).isTrue();
        String base = m.group(1);
        HttpClient http = HttpClient.newHttpClient();
        try {
            HttpResponse<String> info = http.send(HttpRequest.newBuilder(URI.create(base + "api/project")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(info.statusCode()).isEqualTo(200);
            assertThat(Json.MAPPER.readTree(info.body()).get("classes")).hasSize(3);
            HttpResponse<String> queue = http.send(HttpRequest.newBuilder(URI.create(base + "api/queue")).build(),
                    HttpResponse.BodyHandlers.ofString());
            String imageId = Json.MAPPER.readTree(queue.body()).get("queue").get(0).get("imageId").asText();
            for (String layer : List.of("prediction", "flags")) {
                HttpResponse<byte[]> png = http.send(HttpRequest.newBuilder(URI.create(base + "api/images/" + imageId + "/" + layer + ".png")).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(png.statusCode()).as(layer).isEqualTo(200);
            }
        } finally {
            stop.countDown();
            server.join(10_000);
        }
        assertThat(server.isAlive()).isFalse();
    }
}
