package dev.semiactive.loop;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semiactive.config.DataSource;
import dev.semiactive.config.SemiactiveConfig;
import dev.semiactive.data.DataOptions;
import dev.semiactive.data.Datasets;
import dev.semiactive.data.ImageIo;
import dev.semiactive.data.MaskIo;
import dev.semiactive.data.Sample;
import dev.semiactive.data.SegmentationDataset;
import dev.semiactive.train.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code semiactive refine} killed between batches and run again ends as the uninterrupted pass. */
class FolderRefinementResumeTest {
    private static final int IMAGES = 10; // three batches of 4, 4 and 2
    @TempDir
    static Path dir;
    private static Path checkpoint;
    private static DataSource data;
    private static Path images;

    @BeforeAll
    static void trainAModelAndWriteAFolder() throws IOException {
        SemiactiveConfig config = LoopFixtures.tiny(dir.resolve("run"), "al.rounds=1");
        Experiment.builder().setConfig(config).build().run();
        checkpoint = ActiveLearningLoop.roundDir(dir.resolve("run"), 1);
        // a folder dataset of synthetic scenes with their masks: the labelled data, the images and their truth
        SegmentationDataset scenes = Datasets.synthetic("train", DataOptions.builder().optSynthetic(IMAGES, 32, 32, 3).optSeed(11).build());
        Path root = dir.resolve("folder");
        images = root.resolve("train/images");
        Files.createDirectories(images);
        Files.createDirectories(root.resolve("train/masks"));
        for (String id : scenes.ids()) {
            Sample s = scenes.load(id);
            ImageIo.writePng(images.resolve(id + ".png"), ImageIo.toBufferedImage(s.image(), 3, 32, 32));
            MaskIo.writeIndexPng(root.resolve("train/masks/" + id + ".png"), s.mask(), 32, 32);
        }
        Files.write(root.resolve("classes.txt"), scenes.labels().classNames());
        data = DataSource.parse("folder:" + root);
    }

    private static Map<String, Object> refine(Path output, IntConsumer afterBatch) {
        return FolderRefinement.run(checkpoint, data, List.of("train"), images, output, data, List.of("train"), List.of(), 1, afterBatch);
    }

    private static List<Integer> refineCounting(Path output) {
        List<Integer> seen = new ArrayList<>();
        refine(output, seen::add);
        return seen;
    }

    @Test
    void aKilledPassGoesOnAfterTheImagesItSavedAndEndsAsTheUninterruptedOne() throws IOException {
        Path whole = dir.resolve("whole"), killed = dir.resolve("killed");
        assertThat(refineCounting(whole)).containsExactly(4, 8, 10);
        assertThat(whole.resolve(FolderRefinement.PROGRESS)).doesNotExist();

        assertThatThrownBy(() -> refine(killed, done -> {
            if (done == 8) throw new IllegalStateException("killed");
        })).hasMessage("killed");
        assertThat(killed.resolve(FolderRefinement.SUMMARY)).doesNotExist();
        JsonNode progress = Json.MAPPER.readTree(killed.resolve(FolderRefinement.PROGRESS).toFile());
        assertThat(progress.get("done").asInt()).isEqualTo(8);
        assertThat(progress.get("perImage")).hasSize(8);

        // the rerun refines only the last batch, and its summary and masks are the uninterrupted pass's
        assertThat(refineCounting(killed)).containsExactly(10);
        assertThat(killed.resolve(FolderRefinement.PROGRESS)).doesNotExist();
        JsonNode a = Json.MAPPER.readTree(whole.resolve(FolderRefinement.SUMMARY).toFile());
        JsonNode b = Json.MAPPER.readTree(killed.resolve(FolderRefinement.SUMMARY).toFile());
        assertThat(b).isEqualTo(a);
        assertThat(a.get("perImage")).hasSize(IMAGES);
        // ground truth was given: the tally carried over includes the accuracy figures and per-class counts
        assertThat(a.has("plar_accuracy")).isTrue();
        assertThat(a.get("perClass")).hasSize(3);
        for (String sub : List.of("refined", "undecided", "flagged"))
            try (var files = Files.list(whole.resolve(sub))) {
                for (Path f : files.toList())
                    assertThat(killed.resolve(sub).resolve(f.getFileName().toString())).hasSameBinaryContentAs(f);
            }
    }

    @Test
    void progressSavedByOtherArgumentsOrUnreadableIsIgnored() throws IOException {
        Path whole = dir.resolve("whole-2"), other = dir.resolve("other"), torn = dir.resolve("torn");
        refine(whole, done -> {
        });
        Files.createDirectories(other);
        Json.writeAtomically(other.resolve(FolderRefinement.PROGRESS), Map.of("key", "0".repeat(16), "done", 4,
                "tally", Map.of(), "perImage", List.of(Map.of("id", "x"), Map.of("id", "y"), Map.of("id", "z"), Map.of("id", "w"))));
        assertThat(refineCounting(other)).containsExactly(4, 8, 10);
        Files.createDirectories(torn);
        Files.writeString(torn.resolve(FolderRefinement.PROGRESS), "{\"key\": \"");
        assertThat(refineCounting(torn)).containsExactly(4, 8, 10);
        JsonNode a = Json.MAPPER.readTree(whole.resolve(FolderRefinement.SUMMARY).toFile());
        assertThat(Json.MAPPER.readTree(other.resolve(FolderRefinement.SUMMARY).toFile())).isEqualTo(a);
        assertThat(Json.MAPPER.readTree(torn.resolve(FolderRefinement.SUMMARY).toFile())).isEqualTo(a);
        assertThat(other.resolve(FolderRefinement.PROGRESS)).doesNotExist();
    }
}
