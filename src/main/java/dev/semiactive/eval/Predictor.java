package dev.semiactive.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.semiactive.SemiactiveException;
import dev.semiactive.data.ChwImage;
import dev.semiactive.data.ImageIo;
import dev.semiactive.data.MaskIo;
import dev.semiactive.data.Sample;
import dev.semiactive.data.SampleOps;
import dev.semiactive.model.SegmentationOutputs;
import dev.semiactive.train.Checkpoint;
import dev.semiactive.train.HostBatch;
import dev.semiactive.train.ModelCard;
import dev.semiactive.train.Network;
import dev.semiactive.train.NetworkFactory;
import dev.semiactive.util.WorkProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Predicts label masks with a trained checkpoint. Inputs of any size are resized (bilinear) to the
 * checkpoint's working resolution, predicted, and the labels resized back to the input size (nearest).
 */
public final class Predictor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Predictor.class);

    private final ModelCard card;
    private final Network network;
    private final NDManager manager;

    private Predictor(ModelCard card, Network network, NDManager manager) {
        this.card = card;
        this.network = network;
        this.manager = manager;
    }

    /**
     * @param checkpointDir a checkpoint directory (e.g. {@code <run>/checkpoints/best})
     * @param architectures builds the architecture described by a model card (integration:
     *                      {@code card -> (m, seed) -> Networks.deeplab(ModelSpec.from(card.spec()))...})
     * @param parent        manager the predictor's arrays live under; {@link #close} frees them
     */
    public static Predictor load(Path checkpointDir, Function<ModelCard, NetworkFactory> architectures, NDManager parent) {
        if (!Files.isRegularFile(checkpointDir.resolve(Checkpoint.MODEL_FILE)))
            throw new SemiactiveException(checkpointDir + " has no " + Checkpoint.MODEL_FILE
                    + ": give a checkpoint directory such as <run>/checkpoints/best");
        ModelCard card = Checkpoint.readModelCard(checkpointDir);
        NDManager m = parent.newSubManager();
        try {
            Network n = Checkpoint.loadNetwork(checkpointDir, card.network(), architectures.apply(card), m);
            return new Predictor(card, n, m);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    public ModelCard card() {
        return card;
    }

    /** Class id per pixel of {@code sample} (row-major, the sample's own size). Its mask is ignored. */
    public int[] predict(Sample sample) {
        if (sample.channels() != card.inputChannels())
            throw new SemiactiveException("image " + sample.id() + " has " + sample.channels() + " channels but the model expects "
                    + card.inputChannels() + ": predict images of the kind it was trained on");
        Sample input = SampleOps.resize(sample.withMask(null), card.height(), card.width());
        HostBatch batch = HostBatch.stack(List.of(input), card.normalization());
        int[] labels;
        try (NDManager m = manager.newSubManager()) {
            NDArray logits = network.forward(m, batch.imagesArray(m), false).get(SegmentationOutputs.LOGITS);
            labels = logits.argMax(1).toType(DataType.INT32, false).toIntArray();
        }
        return SampleOps.nearest(labels, card.height(), card.width(), sample.height(), sample.width());
    }

    /** Reads an RGB image file and predicts it. */
    public int[] predict(Path imageFile) {
        return predict(read(imageFile));
    }

    /**
     * Predicts every image of {@code inputDir} (sorted, non-recursive) and writes {@code <name>.png} index
     * masks (grey value = class id) into {@code outputDir}, and colour overlays of the prediction on the
     * image into {@code outputDir/overlay/}.
     *
     * @return the written mask files, in input order
     */
    public List<Path> predictFolder(Path inputDir, Path outputDir) {
        List<Path> inputs;
        try (Stream<Path> s = Files.list(inputDir)) {
            inputs = s.filter(ImageIo::isImageFile)
                    .sorted().toList();
        } catch (IOException e) {
            throw new SemiactiveException("cannot list " + inputDir + ": " + e.getMessage() + " (give a folder of images)", e);
        }
        if (inputs.isEmpty()) throw new SemiactiveException(inputDir + " has no images (png, jpg, tif, bmp): pass --input a folder that holds the images to predict");
        List<Path> written = new ArrayList<>();
        try (WorkProgress progress = WorkProgress.start("predict: images", inputs.size(), 0, 100, LOG::info)) {
            for (Path in : inputs) {
                Sample s = read(in);
                int[] labels = predict(s);
                Path out = outputDir.resolve(s.id() + ".png");
                MaskIo.writeIndexPng(out, labels, s.height(), s.width());
                MaskIo.writeOverlayPng(outputDir.resolve("overlay").resolve(s.id() + ".png"), s.image(), s.channels(),
                        s.height(), s.width(), labels, card.labels(), 0.5);
                written.add(out);
                progress.stepTo(written.size());
            }
        }
        return written;
    }

    /** Reads an image with the channel count the model expects; the id is the file's base name. */
    private Sample read(Path file) {
        ChwImage img = ImageIo.read(file, card.inputChannels());
        return new Sample(ImageIo.baseName(file), img.channels(), img.height(), img.width(), img.data(), null);
    }

    @Override
    public void close() {
        manager.close();
    }
}
