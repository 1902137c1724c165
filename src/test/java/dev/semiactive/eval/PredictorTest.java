package dev.semiactive.eval;

import ai.djl.ndarray.NDManager;
import dev.semiactive.SemiactiveException;
import dev.semiactive.data.Sample;
import dev.semiactive.train.Checkpoint;
import dev.semiactive.train.TrainingTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PredictorTest {
    @Test
    void predictsAFolderOfAnySizeBackAtEachImagesSize(@TempDir Path dir) throws IOException {
        Path run = dir.resolve("run");
        TrainingTestSupport.trainTiny(run, 30);
        Path in = Files.createDirectories(dir.resolve("in"));
        writeScene(in.resolve("a.png"), 50, 40);
        writeScene(in.resolve("b.png"), 32, 32);
        Files.writeString(in.resolve("notes.txt"), "not an image");
        try (NDManager m = NDManager.newBaseManager();
             Predictor p = Predictor.load(Checkpoint.directory(run, Checkpoint.LATEST), card -> TrainingTestSupport.NET, m)) {
            assertThat(p.card().height()).isEqualTo(32);
            List<Path> out = p.predictFolder(in, dir.resolve("out"));
            assertThat(out).extracting(x -> x.getFileName().toString()).containsExactly("a.png", "b.png");
            assertThat(dir.resolve("out").resolve("overlay").resolve("a.png")).isRegularFile();
            BufferedImage a = ImageIO.read(out.get(0).toFile());
            assertThat(a.getWidth()).isEqualTo(50);
            assertThat(a.getHeight()).isEqualTo(40);
            int[] labels = a.getRaster().getPixels(0, 0, 50, 40, (int[]) null);
            assertThat(java.util.Arrays.stream(labels).boxed().toList()).contains(1).allMatch(v -> v >= 0 && v < 3);
            // left half is the red rectangle (class 1), right half background (class 0): a trained model sees it
            assertThat(labels[20 * 50 + 10]).isEqualTo(1);
            assertThat(labels[20 * 50 + 45]).isEqualTo(0);
            assertThat(p.predict(in.resolve("a.png"))).containsExactly(labels);
            // a folder without images, and an image of another kind than the model's, are one-line errors with the fix
            Path empty = Files.createDirectories(dir.resolve("empty"));
            Files.writeString(empty.resolve("notes.txt"), "not an image");
            assertThatThrownBy(() -> p.predictFolder(empty, dir.resolve("out2"))).isInstanceOf(SemiactiveException.class)
                    .hasMessage(empty + " has no images (png, jpg, tif, bmp): pass --input a folder that holds the images to predict");
            assertThat(dir.resolve("out2")).doesNotExist();
            Sample grey = new Sample("g", 1, 8, 8, new float[64], null);
            assertThatThrownBy(() -> p.predict(grey)).isInstanceOf(SemiactiveException.class)
                    .hasMessage("image g has 1 channels but the model expects 3: predict images of the kind it was trained on");
        }
    }

    @Test
    void aDirectoryWithoutModelJsonIsRefusedWithAHint(@TempDir Path dir) {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> Predictor.load(dir, card -> TrainingTestSupport.NET, m))
                    .isInstanceOf(SemiactiveException.class).hasMessageContaining("has no model.json");
        }
    }

    /** Left half red on a blue background, like the synthetic training scenes. */
    private static void writeScene(Path file, int w, int h) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) img.setRGB(x, y, x < w / 2 ? 0xE61A1A : 0x3333CC);
        ImageIO.write(img, "png", file.toFile());
    }
}
