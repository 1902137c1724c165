package dev.semiactive.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.semiactive.SemiactiveException;
import dev.semiactive.data.Sample;
import dev.semiactive.model.SegmentationOutputs;
import dev.semiactive.train.Checkpoint;
import dev.semiactive.train.HostBatch;
import dev.semiactive.train.ModelCard;
import dev.semiactive.train.Network;
import dev.semiactive.train.NetworkFactory;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Predicts label masks with a trained checkpoint. Inputs of any size are resized (bilinear) to the
 * checkpoint's working resolution, predicted, and the labels resized back to the input size (nearest).
 */
public final class Predictor implements AutoCloseable {
    private static final List<String> IMAGE_SUFFIXES = List.of(".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp");

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
        Sample input = resizeBilinear(sample, card.height(), card.width());
        HostBatch batch = HostBatch.stack(List.of(input), card.normalization());
        int[] labels;
        try (NDManager m = manager.newSubManager()) {
            NDArray logits = network.forward(m, batch.imagesArray(m), false).get(SegmentationOutputs.LOGITS);
            labels = logits.argMax(1).toType(DataType.INT32, false).toIntArray();
        }
        return resizeNearest(labels, card.height(), card.width(), sample.height(), sample.width());
    }

    /** Reads an RGB image file and predicts it. */
    public int[] predict(Path imageFile) {
        return predict(readRgb(imageFile));
    }

    /**
     * Predicts every image of {@code inputDir} (sorted, non-recursive) and writes {@code <name>.png} index
     * masks (grey value = class id) into {@code outputDir}.
     *
     * @return the written mask files, in input order
     */
    public List<Path> predictFolder(Path inputDir, Path outputDir) {
        List<Path> inputs;
        try (Stream<Path> s = Files.list(inputDir)) {
            inputs = s.filter(p -> IMAGE_SUFFIXES.stream().anyMatch(x -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(x)))
                    .sorted().toList();
        } catch (IOException e) {
            throw new SemiactiveException("cannot list " + inputDir + ": " + e.getMessage() + " (give a folder of images)", e);
        }
        if (inputs.isEmpty()) throw new SemiactiveException(inputDir + " has no images (png, jpg, tif, bmp)");
        List<Path> written = new ArrayList<>();
        for (Path in : inputs) {
            Sample s = readRgb(in);
            String name = in.getFileName().toString();
            Path out = outputDir.resolve(name.substring(0, name.lastIndexOf('.')) + ".png");
            writeIndexPng(predict(s), s.width(), s.height(), out);
            written.add(out);
        }
        return written;
    }

    /** Bilinear resize of a CHW image (half-pixel centres, as PyTorch's align_corners=false). */
    static Sample resizeBilinear(Sample s, int height, int width) {
        if (s.height() == height && s.width() == width) return s;
        float[] out = new float[s.channels() * height * width];
        float sy = (float) s.height() / height, sx = (float) s.width() / width;
        for (int y = 0; y < height; y++) {
            float fy = Math.max(0f, (y + 0.5f) * sy - 0.5f);
            int y0 = Math.min((int) fy, s.height() - 1), y1 = Math.min(y0 + 1, s.height() - 1);
            float wy = fy - y0;
            for (int x = 0; x < width; x++) {
                float fx = Math.max(0f, (x + 0.5f) * sx - 0.5f);
                int x0 = Math.min((int) fx, s.width() - 1), x1 = Math.min(x0 + 1, s.width() - 1);
                float wx = fx - x0;
                for (int c = 0; c < s.channels(); c++) {
                    int base = c * s.height() * s.width();
                    float[] im = s.image();
                    float top = im[base + y0 * s.width() + x0] * (1 - wx) + im[base + y0 * s.width() + x1] * wx;
                    float bottom = im[base + y1 * s.width() + x0] * (1 - wx) + im[base + y1 * s.width() + x1] * wx;
                    out[c * height * width + y * width + x] = top * (1 - wy) + bottom * wy;
                }
            }
        }
        return new Sample(s.id(), s.channels(), height, width, out, null);
    }

    /** Nearest-neighbour resize of a label map (pixel centres). */
    static int[] resizeNearest(int[] labels, int height, int width, int outHeight, int outWidth) {
        if (height == outHeight && width == outWidth) return labels;
        int[] out = new int[outHeight * outWidth];
        for (int y = 0; y < outHeight; y++) {
            int sy = Math.min(height - 1, (int) ((y + 0.5) * height / outHeight));
            for (int x = 0; x < outWidth; x++) {
                int sx = Math.min(width - 1, (int) ((x + 0.5) * width / outWidth));
                out[y * outWidth + x] = labels[sy * width + sx];
            }
        }
        return out;
    }

    // Private image IO until the data package's readers/writers are merged: replace at integration.
    private static Sample readRgb(Path file) {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new SemiactiveException("cannot read image " + file + ": " + e.getMessage(), e);
        }
        if (img == null) throw new SemiactiveException("cannot decode image " + file + ": not a supported image format");
        int h = img.getHeight(), w = img.getWidth(), plane = h * w;
        float[] chw = new float[3 * plane];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                chw[y * w + x] = ((rgb >> 16) & 0xFF) / 255f;
                chw[plane + y * w + x] = ((rgb >> 8) & 0xFF) / 255f;
                chw[2 * plane + y * w + x] = (rgb & 0xFF) / 255f;
            }
        }
        String name = file.getFileName().toString();
        return new Sample(name.substring(0, name.lastIndexOf('.')), 3, h, w, chw, null);
    }

    private static void writeIndexPng(int[] labels, int width, int height, Path out) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = img.getRaster();
        r.setPixels(0, 0, width, height, labels);
        try {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), out.getFileName() + ".tmp-", ".png");
            try {
                if (!ImageIO.write(img, "png", tmp.toFile())) throw new IOException("no PNG writer");
                Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new SemiactiveException("cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
