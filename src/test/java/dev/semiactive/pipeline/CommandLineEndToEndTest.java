package dev.semiactive.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semiactive.cli.Main;
import dev.semiactive.train.Checkpoint;
import dev.semiactive.train.Json;
import dev.semiactive.train.MetricsLog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The foundation's commands as a user runs them: train a tiny model on synthetic scenes, evaluate and
 * predict with its checkpoint, and the bad-input paths through the same command line.
 */
class CommandLineEndToEndTest {
    @TempDir
    static Path dir;
    static Path run;

    record Result(int code, String out, String err) {
    }

    static Result cli(String... args) {
        CommandLine c = Main.newCommandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        // buffered like System.out, so output a command forgets to flush is missing here too
        c.setOut(new PrintWriter(new java.io.BufferedWriter(out), true));
        c.setErr(new PrintWriter(err, true));
        int code = c.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** A folder-format dataset with classes background and thing and an empty {@code split} (images/ and masks/). */
    static Path twoClassFolder(String name, String split) throws Exception {
        Path root = dir.resolve(name);
        Files.createDirectories(root.resolve(split).resolve("images"));
        Files.createDirectories(root.resolve(split).resolve("masks"));
        Files.writeString(root.resolve("classes.txt"), "background\nthing\n");
        return root;
    }

    static Path writeConfig(String name, String extra) throws Exception {
        Path cfg = dir.resolve(name + ".yaml");
        Files.writeString(cfg, """
                run: {name: %s, output_dir: %s, seed: 7}
                data: {format: synthetic, synthetic: {images: 8, width: 32, height: 32, classes: 3}}
                model: {backbone: tiny}
                train: {steps: 6, batch_size: 2, log_every: 2, eval_every: 3, checkpoint_every: 3}
                %s
                """.formatted(name, dir.resolve(name), extra));
        return cfg;
    }

    @BeforeAll
    static void trainOnce() throws Exception {
        Result r = cli("train", "--config", writeConfig("tiny", "").toString());
        assertThat(r.code()).as(r.err()).isZero();
        run = dir.resolve("tiny");
        assertThat(r.out()).contains("best val mIoU").contains("report.md");
    }

    @Test
    void trainWritesCheckpointsManifestMetricsAndReport() {
        assertThat(run.resolve("manifest.json")).isRegularFile();
        assertThat(run.resolve("report.md")).isRegularFile();
        assertThat(run.resolve("curves.png")).isRegularFile();
        assertThat(Checkpoint.locate(Checkpoint.directory(run, Checkpoint.BEST))).isPresent();
        assertThat(Checkpoint.locate(Checkpoint.directory(run, Checkpoint.LATEST))).isPresent();
        JsonNode manifest = readJson(run.resolve("manifest.json"));
        assertThat(manifest.path("seed").asLong()).isEqualTo(7);
        assertThat(manifest.path("config").path("train").path("steps").asInt()).isEqualTo(6);
        assertThat(manifest.path("versions").toString()).contains("2.7.1");
    }

    @Test
    void evaluateAgreesWithTrainingTimeValidation() {
        Result r = cli("evaluate", "--checkpoint", Checkpoint.directory(run, Checkpoint.BEST).toString(),
                "--data", "synthetic", "--split", "val", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        double evaluated = readJsonString(r.out()).path("mIoU").asDouble();
        List<JsonNode> vals = new MetricsLog(run.resolve("metrics.jsonl")).read().stream()
                .filter(n -> "val".equals(n.path("kind").asText())).toList();
        double best = vals.stream().mapToDouble(n -> n.path("mIoU").asDouble()).max().orElseThrow();
        assertThat(evaluated).isCloseTo(best, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void evaluatePrintsThePerClassTable() {
        Result r = cli("evaluate", "--checkpoint", run.toString(), "--data", "synthetic", "--split", "val");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("mIoU").contains("pixel accuracy").contains("class");
        // the table prints the evaluation's own figures (the run folder evaluates checkpoints/best)
        JsonNode json = readJsonString(cli("evaluate", "--checkpoint", run.toString(), "--data", "synthetic", "--split", "val", "--json").out());
        assertThat(r.out()).contains(String.format(java.util.Locale.ROOT, "%.2f", 100 * json.path("mIoU").asDouble()))
                .contains(String.format(java.util.Locale.ROOT, "%.2f", 100 * json.path("pixelAccuracy").asDouble()));
    }

    @Test
    void evaluateOnDataWithOtherClassesIsOneLineNamingTheFix() throws Exception {
        Path root = twoClassFolder("two-classes", "val");
        ImageIO.write(new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB), "png", root.resolve("val/images/a.png").toFile());
        ImageIO.write(new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY), "png", root.resolve("val/masks/a.png").toFile());
        Result r = cli("evaluate", "--checkpoint", run.toString(), "--data", "folder:" + root, "--split", "val");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).doesNotContain("\n").contains(root.toString())
                .contains(" has 2 classes but the checkpoint predicts 3 (").endsWith("): evaluate on data with the model's classes");
    }

    @Test
    void rerunningTrainResumesInsteadOfStartingOver() throws Exception {
        Result r = cli("train", "--config", writeConfig("tiny", "").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("steps 6..6 (resumed)");
    }

    @Test
    void predictWritesIndexMasksAndOverlaysAtInputSize() throws Exception {
        Path in = Files.createDirectories(dir.resolve("predict-in"));
        BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        ImageIO.write(img, "png", in.resolve("scene.png").toFile());
        Path out = dir.resolve("predict-out");
        Result r = cli("predict", "--checkpoint", run.toString(), "--input", in.toString(), "--output", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        BufferedImage mask = ImageIO.read(out.resolve("scene.png").toFile());
        assertThat(mask.getWidth()).isEqualTo(40);
        assertThat(mask.getHeight()).isEqualTo(30);
        int[] px = mask.getRaster().getPixels(0, 0, 40, 30, (int[]) null);
        assertThat(java.util.Arrays.stream(px).allMatch(v -> v >= 0 && v < 3)).isTrue();
        assertThat(out.resolve("overlay").resolve("scene.png")).isRegularFile();
    }

    @Test
    void missingDatasetFolderIsOneLineNamingTheFolder() throws Exception {
        Path cfg = dir.resolve("missing.yaml");
        Files.writeString(cfg, "run: {name: missing, output_dir: " + dir.resolve("missing") + "}\n"
                + "data: {format: camvid, root: " + dir.resolve("no-such-camvid") + "}\n");
        Result r = cli("train", "--config", cfg.toString());
        assertThat(r.code()).isNotZero();
        assertThat(r.err().strip()).doesNotContain("\n").contains("no-such-camvid");
    }

    @Test
    void unknownConfigKeyIsExitTwoNamingTheKey() throws Exception {
        Result r = cli("train", "--config", writeConfig("typo", "").toString(), "--set", "train.stepz=3");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").contains("stepz");
    }

    @Test
    void corruptImageFailsWithoutDamagingAnExistingRun() throws Exception {
        // a folder dataset whose only training image is not a PNG at all
        Path root = twoClassFolder("folder-ds", "train");
        Files.writeString(root.resolve("train/images/a.png"), "not an image");
        BufferedImage m = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        ImageIO.write(m, "png", root.resolve("train/masks/a.png").toFile());
        byte[] before = Files.readAllBytes(Checkpoint.directory(run, Checkpoint.LATEST).resolve("state.json"));
        List<Path> filesBefore = listFiles(run);
        Result r = cli("train", "--config", writeConfig("tiny", "").toString(),
                "--set", "data.format=folder", "--set", "data.root=" + root, "--set", "data.val_split=null");
        assertThat(r.code()).isNotZero();
        assertThat(r.err().strip()).doesNotContain("\n").contains("a.png");
        assertThat(Files.readAllBytes(Checkpoint.directory(run, Checkpoint.LATEST).resolve("state.json"))).isEqualTo(before);
        assertThat(listFiles(run)).isEqualTo(filesBefore);
    }

    @Test
    void evaluateOnAFolderThatIsNotACheckpoint() {
        Result r = cli("evaluate", "--checkpoint", dir.toString(), "--data", "synthetic");
        assertThat(r.code()).isNotZero();
        assertThat(r.err().strip()).doesNotContain("\n").contains("checkpoints/best");
    }

    private static List<Path> listFiles(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static JsonNode readJson(Path p) {
        try {
            return Json.MAPPER.readTree(p.toFile());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode readJsonString(String s) {
        try {
            return Json.MAPPER.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
