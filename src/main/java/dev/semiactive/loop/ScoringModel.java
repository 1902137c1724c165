package dev.semiactive.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import dev.semiactive.SemiactiveException;
import dev.semiactive.data.Sample;
import dev.semiactive.model.ModelSpec;
import dev.semiactive.model.SegmentationOutputs;
import dev.semiactive.pipeline.Components;
import dev.semiactive.plar.FeatureMap;
import dev.semiactive.train.Checkpoint;
import dev.semiactive.train.HostBatch;
import dev.semiactive.train.ModelCard;
import dev.semiactive.train.Network;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A trained checkpoint loaded for scoring: its evaluation network (the model card's: {@code teacher} for
 * TSF and mean-teacher, {@code student} otherwise) and, when the checkpoint holds one, the error mask
 * decoder ({@code emd}). {@link #score} runs one batch in its own sub-manager and copies everything the
 * loop needs to Java arrays, so native memory is the same after every batch however long the pool.
 */
public final class ScoringModel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScoringModel.class);
    /** Checkpoint name of the error mask decoder (the TSF method's). */
    public static final String EMD = "emd";

    private final ModelCard card;
    private final NDManager manager;
    private final Network network;
    private final Network emd;

    private ScoringModel(ModelCard card, NDManager manager, Network network, Network emd) {
        this.card = card;
        this.manager = manager;
        this.network = network;
        this.emd = emd;
    }

    /** Loads the checkpoint at {@code dir} under a sub-manager of {@code parent}. */
    public static ScoringModel load(Path dir, NDManager parent) {
        Path ckpt = Checkpoint.locate(dir).orElseThrow(() -> new SemiactiveException(dir
                + " is not a complete checkpoint (no " + Checkpoint.STATE_FILE + "): train the round first"));
        ModelCard card = Checkpoint.readModelCard(ckpt);
        NDManager m = parent.newSubManager();
        try {
            Network net = Checkpoint.loadNetwork(ckpt, card.network(), Components.architectures().apply(card), m);
            Network emd = null;
            if (Files.isRegularFile(Checkpoint.parametersFile(ckpt, EMD))) {
                ModelSpec spec = ModelSpec.fromJson(card.spec().toString());
                emd = Checkpoint.loadNetwork(ckpt, EMD, Components.errorMaskDecoder(spec), m);
            }
            LOG.debug("scoring with {} of {}{}", card.network(), ckpt, emd != null ? " and its error mask decoder" : "");
            return new ScoringModel(card, m, net, emd);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    public ModelCard card() {
        return card;
    }

    public boolean hasErrorMaskDecoder() {
        return emd != null;
    }

    /**
     * Runs the model on samples of one size (inference mode) and returns their outputs, in order.
     * The samples' masks are ignored.
     */
    public List<ModelOutputs> score(List<Sample> samples) {
        if (samples.isEmpty()) return List.of();
        Sample first = samples.get(0);
        if (first.channels() != card.inputChannels())
            throw new SemiactiveException("image " + first.id() + " has " + first.channels() + " channels but the model expects "
                    + card.inputChannels() + ": score images of the kind it was trained on");
        HostBatch batch = HostBatch.stack(samples, card.normalization());
        int n = samples.size(), h = batch.height(), w = batch.width();
        try (NDManager m = manager.newSubManager()) {
            NDList out = network.forward(m, batch.imagesArray(m), false);
            NDArray logits = out.get(SegmentationOutputs.LOGITS);
            int k = (int) logits.getShape().get(1);
            float[] probs = logits.softmax(1).toFloatArray();
            NDArray f1 = out.get(SegmentationOutputs.F1);
            NDArray f2 = out.get(SegmentationOutputs.F2);
            float[] f1Data = f1.toFloatArray();
            float[] f2Data = f2.toFloatArray();
            float[] emdData = null;
            if (emd != null) {
                // the EMD gets the same features it was trained on; its input is [F1, F2]
                NDArray logit = emd.block().forward(new ParameterStore(m, false), new NDList(f1, f2), false).singletonOrThrow();
                emdData = Activation.sigmoid(logit).toFloatArray();
            }
            List<ModelOutputs> result = new ArrayList<>(n);
            int d1 = (int) f1.getShape().get(1), h1 = (int) f1.getShape().get(2), w1 = (int) f1.getShape().get(3);
            int d2 = (int) f2.getShape().get(1), h2 = (int) f2.getShape().get(2), w2 = (int) f2.getShape().get(3);
            for (int i = 0; i < n; i++) {
                result.add(new ModelOutputs(samples.get(i).id(), h, w, k, slice(probs, i, k * h * w),
                        new FeatureMap(d1, h1, w1, slice(f1Data, i, d1 * h1 * w1)),
                        new FeatureMap(d2, h2, w2, slice(f2Data, i, d2 * h2 * w2)),
                        emdData == null ? null : slice(emdData, i, h2 * w2)));
            }
            return result;
        }
    }

    private static float[] slice(float[] all, int index, int length) {
        float[] out = new float[length];
        System.arraycopy(all, index * length, out, 0, length);
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
