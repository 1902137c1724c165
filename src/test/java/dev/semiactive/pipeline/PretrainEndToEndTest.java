package dev.semiactive.pipeline;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import dev.semiactive.train.Checkpoint;
import dev.semiactive.train.Json;
import dev.semiactive.train.ModelCard;
import dev.semiactive.train.Network;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** `semiactive pretrain` and `model.init` as a user runs them, on synthetic scenes with the tiny backbone. */
class PretrainEndToEndTest {
    @TempDir
    static Path dir;
    static Path config;
    static Path pretext;
    static CommandLineEndToEndTest.Result first;

    static CommandLineEndToEndTest.Result cli(String... args) {
        return CommandLineEndToEndTest.cli(args);
    }

    @BeforeAll
    static void pretrainOnce() throws Exception {
        config = dir.resolve("tiny.yaml");
        Files.writeString(config, """
                run: {name: tiny, output_dir: %s, seed: 5}
                data: {format: synthetic, synthetic: {images: 6, width: 32, height: 32, classes: 3}}
                model: {backbone: tiny}
                train: {steps: 50, batch_size: 2, log_every: 2, eval_every: 0, checkpoint_every: 2}
                """.formatted(dir.resolve("tiny")));
        first = cli("pretrain", "--config", config.toString(), "--steps", "4", "--bins", "4");
        pretext = dir.resolve("tiny-pretext");
    }

    @Test
    void pretrainWritesBinsAndACheckpointOfTheBinClassesAndResumes() throws Exception {
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("steps 0..4").contains("--set model.init=" + pretext)
                .contains("colour bins on the validation images: mIoU");
        JsonNode bins = Json.MAPPER.readTree(pretext.resolve("pretext.json").toFile());
        assertThat(bins.path("task").asText()).isEqualTo("colourization");
        assertThat(bins.path("centroids").size()).isEqualTo(4);
        ModelCard card = Checkpoint.readModelCard(Checkpoint.directory(pretext, Checkpoint.LATEST));
        assertThat(card.labels().classNames()).containsExactly("chroma-0", "chroma-1", "chroma-2", "chroma-3");
        JsonNode manifest = Json.MAPPER.readTree(pretext.resolve("manifest.json").toFile());
        assertThat(manifest.path("config").path("train").path("steps").asInt()).isEqualTo(4);

        var again = cli("pretrain", "--config", config.toString(), "--steps", "4", "--bins", "4");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("steps 4..4 (resumed)");
        var otherBins = cli("pretrain", "--config", config.toString(), "--steps", "4", "--bins", "5");
        assertThat(otherBins.code()).isNotZero();
        assertThat(otherBins.err()).contains("pretext.json has 4 colour bins").contains("--bins 4");
        // the kept bins belong to one pool and seed: another one in the same folder is refused, the folder untouched
        String keptBins = Files.readString(pretext.resolve("pretext.json"));
        var otherPool = cli("pretrain", "--config", config.toString(), "--steps", "4", "--bins", "4", "--set", "data.synthetic.images=7");
        assertThat(otherPool.code()).isNotZero();
        assertThat(otherPool.err()).contains("pretext.json was fitted on").contains("another --output");
        // (the synthetic pool's description names its seed, so the seed is checked on the same pool directly)
        var data = dev.semiactive.config.ConfigLoader.parse(Files.readString(config), "tiny.yaml", java.util.List.of()).data();
        var pool = dev.semiactive.data.DatasetViews.imagesOnly(Components.open(data, data.trainSplit(), 5, false));
        assertThat(PretextRun.binsFor(pool, 4, 5, pretext).size()).isEqualTo(4);
        assertThatThrownBy(() -> PretextRun.binsFor(pool, 4, 6, pretext)).hasMessageContaining("pretext.json was fitted with run.seed 5, not 6")
                .hasMessageContaining("another --output");
        assertThat(Files.readString(pretext.resolve("pretext.json"))).isEqualTo(keptBins);
    }

    @Test
    void modelInitStartsTrainingFromThePretextExceptTheClassifier() throws Exception {
        assertThat(first.code()).as(first.err()).isZero();
        Path run = dir.resolve("init");
        // a learning rate too small to move a weight: the trained student shows what it started from
        var r = cli("train", "--config", config.toString(), "--set", "run.output_dir=" + run, "--set", "model.init=" + pretext,
                "--set", "train.steps=1", "--set", "train.lr=1e-12", "--set", "train.weight_decay=0", "--set", "train.momentum=0");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode manifest = Json.MAPPER.readTree(run.resolve("manifest.json").toFile());
        assertThat(manifest.path("config").path("model").path("init").asText()).isEqualTo(pretext.toString());
        // and which weights that folder held: a pretext trained again there is another start
        assertThat(manifest.path("initHash").asText()).isEqualTo(Checkpoint.hashParameters(Checkpoint.directory(pretext, Checkpoint.LATEST)));

        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, float[]> before = weights(Checkpoint.directory(pretext, Checkpoint.LATEST), m);
            Map<String, float[]> after = weights(Checkpoint.directory(run, Checkpoint.LATEST), m);
            int same = 0;
            for (var e : after.entrySet()) {
                float[] b = before.get(e.getKey());
                if (e.getKey().contains("classifier")) {
                    assertThat(b.length).as(e.getKey()).isNotEqualTo(e.getValue().length); // 4 bins there, 3 classes here
                    continue;
                }
                if (e.getKey().contains("running")) continue; // BatchNorm statistics move with the training forward
                assertThat(e.getValue()).as(e.getKey()).containsExactly(b, org.assertj.core.data.Offset.offset(1e-6f));
                same++;
            }
            assertThat(same).isGreaterThan(10);
        }
    }

    @Test
    void aMissingInitIsAOneLineErrorNamingTheFix() {
        var r = cli("train", "--config", config.toString(), "--set", "run.output_dir=" + dir.resolve("bad"),
                "--set", "model.init=" + dir.resolve("nowhere"));
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("model.init " + dir.resolve("nowhere")).contains("semiactive pretrain");
        assertThat(r.err().strip().lines().count()).isEqualTo(1);
    }

    @Test
    void compareTrainsEachSeedsOwnPretextAndStartsItsArmsFromIt() throws Exception {
        Path runs = dir.resolve("cmp");
        var r = cli("compare", "--config", config.toString(), "--set", "run.output_dir=" + runs, "--set", "train.steps=2",
                "--set", "al.cell=8", "--set", "al.initial_fraction=0.0625", "--set", "al.round_fraction=0.0625", "--set", "al.budget=0.125",
                "--methods", "random", "--seeds", "5,6", "--pretext-steps", "3", "--pretext-bins", "4", "--results", dir.resolve("kept").toString());
        assertThat(r.code()).as(r.err()).isZero();
        // both reports named: the run folder's and the kept copy beside the arms
        assertThat(r.out()).contains("report: " + runs.resolve("comparison.md"))
                .contains("report (kept): " + dir.resolve("kept").resolve("comparison.md"));
        assertThat(dir.resolve("kept").resolve("comparison.md")).hasSameTextualContentAs(runs.resolve("comparison.md"));
        for (long seed : new long[]{5, 6}) {
            Path pretextDir = runs.resolve("pretext-3steps-4bins-s" + seed);
            assertThat(Checkpoint.readState(Checkpoint.directory(pretextDir, Checkpoint.LATEST)).step()).isEqualTo(3);
            assertThat(Json.MAPPER.readTree(pretextDir.resolve("pretext.json").toFile()).path("seed").asLong()).isEqualTo(seed);
            JsonNode manifest = Json.MAPPER.readTree(runs.resolve("random-s" + seed).resolve("manifest.json").toFile());
            assertThat(manifest.path("config").path("model").path("init").asText()).isEqualTo(pretextDir.toString());
            assertThat(manifest.path("config").path("train").path("steps").asInt()).isEqualTo(2);
            // the arm (after its last round) and its round 1, the round that started from the pretext, name its weights;
            // round 2 warm-starts from round 1, not from model.init
            String weights = Checkpoint.hashParameters(Checkpoint.directory(pretextDir, Checkpoint.LATEST));
            assertThat(manifest.path("initHash").asText()).isEqualTo(weights);
            Path rounds = runs.resolve("random-s" + seed).resolve("rounds");
            assertThat(Json.MAPPER.readTree(rounds.resolve("round-01/manifest.json").toFile()).path("initHash").asText()).isEqualTo(weights);
            assertThat(Json.MAPPER.readTree(rounds.resolve("round-02/manifest.json").toFile()).path("initHash").isNull()).isTrue();
        }
        assertThat(Checkpoint.hashParameters(Checkpoint.directory(runs.resolve("pretext-3steps-4bins-s5"), Checkpoint.LATEST)))
                .isNotEqualTo(Checkpoint.hashParameters(Checkpoint.directory(runs.resolve("pretext-3steps-4bins-s6"), Checkpoint.LATEST)));
        assertThat(r.out()).contains("random seed 5: val mIoU").contains("random seed 6: val mIoU");
        // the pretext is a compare option, not a setting: with model.init given too, a one-line error before anything runs
        var both = cli("compare", "--config", config.toString(), "--set", "run.output_dir=" + dir.resolve("cmp2"), "--set", "model.init=" + pretext,
                "--methods", "random", "--pretext-steps", "3");
        assertThat(both.code()).isNotZero();
        assertThat(both.err()).contains("--pretext-steps makes each seed's model.init").contains("leave out one of the two");
        assertThat(dir.resolve("cmp2")).doesNotExist();
    }

    @Test
    void badPretextOptionsAreRefused() {
        assertThat(cli("pretrain", "--config", config.toString(), "--bins", "1").err()).contains("--bins must be between 2 and 254");
        assertThat(cli("pretrain", "--config", config.toString(), "--steps", "0").err()).contains("--steps must be at least 1");
    }

    private static Map<String, float[]> weights(Path checkpoint, NDManager m) {
        ModelCard card = Checkpoint.readModelCard(checkpoint);
        Map<String, float[]> out = new HashMap<>();
        try (Network n = Checkpoint.loadNetwork(checkpoint, "student", Components.architectures().apply(card), m)) {
            for (Pair<String, Parameter> p : n.block().getParameters()) out.put(p.getKey(), p.getValue().getArray().toFloatArray());
        }
        return out;
    }
}
