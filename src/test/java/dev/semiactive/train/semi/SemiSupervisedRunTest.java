package dev.semiactive.train.semi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semiactive.SemiactiveException;
import dev.semiactive.config.ConfigLoader;
import dev.semiactive.config.SemiactiveConfig;
import dev.semiactive.pipeline.TrainingRun;
import dev.semiactive.train.Checkpoint;
import dev.semiactive.train.TrainingResult;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** `semiactive train` end to end (config -> TrainingRun -> loop) for every method, on tiny synthetic scenes. */
class SemiSupervisedRunTest {
    private static SemiactiveConfig config(Path out, String method, double labelFraction) {
        String yaml = """
                run: {name: e2e, seed: 5}
                data:
                  format: synthetic
                  train_split: train
                  val_split: val
                  label_fraction: %s
                  synthetic: {images: 6, width: 32, height: 32, classes: 3}
                model: {backbone: tiny}
                train: {method: %s, steps: 2, batch_size: 2, unlabelled_batch_size: 2, log_every: 1, eval_every: 2}
                tsf: {threshold: 0.3}
                """.formatted(labelFraction, method);
        return ConfigLoader.parse(yaml, "test.yaml", List.of()).withOutputDir(out);
    }

    @ParameterizedTest
    @CsvSource({
        "supervised,   student,                       student, sup",
        "mean-teacher, student teacher,               teacher, sup_s ts reliable_ratio low_confidence_ratio",
        "cps,          student friend,                student, sup_s sup_f cps sf_disagreement",
        "tsf,          student friend teacher emd,    teacher, sup_s sup_f ts cps emd sf_disagreement reliable_ratio low_confidence_ratio emd_flagged emd_pos_weight",
    })
    void trainsEveryMethodFromAConfig(String method, String networks, String evaluated, String scalars, @TempDir Path out)
            throws IOException {
        TrainingResult r = TrainingRun.run(config(out, method, 0.5));
        assertThat(r.endStep()).isEqualTo(2);
        assertThat(r.lastValidation()).as("the evaluation network was validated").isNotNull();
        Path latest = Checkpoint.directory(out, Checkpoint.LATEST);
        for (String n : networks.split(" ")) assertThat(Checkpoint.parametersFile(latest, n)).exists();
        assertThat(Checkpoint.readModelCard(latest).method()).isEqualTo(method);
        assertThat(Checkpoint.readModelCard(latest).network()).isEqualTo(evaluated);

        List<JsonNode> train = new ArrayList<>();
        List<JsonNode> val = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            JsonNode n = json.readTree(line);
            if (n.get("kind").asText().equals("train")) train.add(n);
            if (n.get("kind").asText().equals("val")) val.add(n);
        }
        // the result's validation is the one logged at the last step, of the evaluated network
        assertThat(val).hasSize(1);
        assertThat(val.get(0).get("step").asLong()).isEqualTo(2);
        assertThat(val.get(0).get("mIoU").asDouble()).isEqualTo(r.lastValidation().meanIoU());
        assertThat(r.lastValidation().total()).isPositive();
        assertThat(train).hasSize(2);
        Set<String> keys = new TreeSet<>();
        for (Iterator<String> it = train.get(1).fieldNames(); it.hasNext(); ) keys.add(it.next());
        keys.removeAll(Set.of("kind", "step", "time", "lr", "loss", "images_per_s", "emd_precision", "emd_recall"));
        assertThat(keys).as("logged loss terms and health signals of " + method).containsExactlyInAnyOrder(scalars.split(" "));
        for (String k : keys) assertThat(train.get(1).get(k).asDouble()).as(k).isFinite();
    }

    @Test
    void theCamvidAblationPresetDiffersBetweenArmsOnlyInMethodAndName() {
        SemiactiveConfig tsf = ConfigLoader.load(Path.of("configs/camvid-cpu-tsf.yaml"), List.of());
        assertThat(tsf.train().method().configName()).isEqualTo("tsf");
        assertThat(tsf.data().labelFraction()).isEqualTo(0.125);
        assertThat(tsf.data().size().width()).isEqualTo(240);
        assertThat(tsf.data().size().height()).isEqualTo(180);
        assertThat(tsf.model().backbone().configName()).isEqualTo("mobilenetv2");
        assertThat(tsf.tsf().emd()).isTrue();
        for (String method : List.of("supervised", "mean-teacher", "cps")) {
            SemiactiveConfig arm = ConfigLoader.load(Path.of("configs/camvid-cpu-tsf.yaml"),
                    List.of("train.method=" + method, "run.name=camvid-cpu-" + method));
            assertThat(arm.train().method().configName()).isEqualTo(method);
            assertThat(arm.train().steps()).isEqualTo(tsf.train().steps());
            assertThat(arm.run().resolvedOutputDir()).isEqualTo(Path.of("runs", "camvid-cpu-" + method));
            assertThat(arm.data()).isEqualTo(tsf.data());
            // and nothing else differs: the whole resolved config, less the method and the names it gives
            com.fasterxml.jackson.databind.node.ObjectNode a = dev.semiactive.config.ConfigWriter.toTree(arm), t = dev.semiactive.config.ConfigWriter.toTree(tsf);
            for (com.fasterxml.jackson.databind.node.ObjectNode c : List.of(a, t)) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) c.get("train")).remove("method");
                ((com.fasterxml.jackson.databind.node.ObjectNode) c.get("run")).remove(List.of("name", "output_dir"));
            }
            assertThat(a).isEqualTo(t);
        }
    }

    @Test
    void semiSupervisedMethodsNeedUnlabelledImages(@TempDir Path out) {
        assertThatThrownBy(() -> TrainingRun.run(config(out, "tsf", 1.0))).isInstanceOf(SemiactiveException.class)
                .hasMessage("train.method tsf trains on unlabelled images but there are none: set data.label_fraction below 1 or data.unlabelled_split");
    }
}
