package dev.semiactive.bench;

import ai.djl.ndarray.NDManager;
import dev.semiactive.al.PixelScores;
import dev.semiactive.config.PlarConfig;
import dev.semiactive.data.LabelSpace;
import dev.semiactive.data.Sample;
import dev.semiactive.loop.ModelOutputs;
import dev.semiactive.loop.Refinement;
import dev.semiactive.loop.ScoringModel;
import dev.semiactive.model.Networks;
import dev.semiactive.pipeline.Components;
import dev.semiactive.plar.GemmDistances;
import dev.semiactive.plar.PlarRefiner;
import dev.semiactive.plar.VoteRule;
import dev.semiactive.train.Checkpoint;
import dev.semiactive.train.Json;
import dev.semiactive.train.ModelCard;
import dev.semiactive.train.Network;
import dev.semiactive.train.NetworkRole;
import dev.semiactive.train.Normalization;
import dev.semiactive.train.TrainingState;
import dev.semiactive.train.semi.SemiSupervisedMethod;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Pool scoring as an active-learning round runs it ({@code loop.PoolScoring}, pass 2), on the shipped classes:
 * a TSF checkpoint (Teacher and EMD, written once to a temporary folder) loaded by {@link ScoringModel}; per
 * batch {@link ScoringModel#score} (Teacher forward, softmax, F1, F2, EMD probability, all copied to Java);
 * per image {@link Refinement#refine} (argmax and confidence, error mask = confidence &lt; tau OR EMD &gt; 0.5,
 * PLAR with the vote rule on F2 over the flagged pixels, outcome back at image resolution) and the entropy map
 * ({@link PixelScores#entropy}) that tsf-plar's region scores start from. Left out: the project store's reads
 * and writes, the regions and the reduction to region scores (a few array passes). Mirrored by
 * {@code torch_peer.py --mode score/pool}.
 *
 * <p>The PLAR statistics are {@link BenchNetworks#statistics()} (every class a candidate). Streaming: the
 * scoring model runs each batch in its own sub-manager and hands back Java arrays, so memory does not depend on
 * the pool size (the pool rows of the benchmark show it).
 */
final class PoolScoring implements MeasuredStep {
    private final BenchSettings s;
    private final NDManager manager;
    private final ScoringModel model;
    private final Refinement refinement;
    private final PlarRefiner refiner;
    private final List<Sample> batch;
    private final long parameters;
    private long flagged;
    private long pixels;
    private long refined;

    PoolScoring(BenchNetworks nets, BenchSettings s, NDManager root) {
        this.s = s;
        this.manager = root.newSubManager();
        long[] count = new long[1];
        Path dir = writeCheckpoint(nets, s, manager, count);
        try {
            this.model = ScoringModel.load(dir, manager);
        } finally {
            Checkpoint.deleteRecursively(dir.getParent());
        }
        this.parameters = count[0];
        this.refinement = new Refinement(s.classes(), PlarConfig.defaults(), s.tau(), s.seed());
        // the shipped path: distances as matrix products in the engine, as the loop's pool scoring does
        this.refiner = PlarRefiner.builder().setStatistics(nets.statistics()).optRule(VoteRule.INSTANCE)
                .optDistances(new GemmDistances(nets.statistics(), manager, Refinement.GEMM_BATCH)).build();
        SyntheticDataset images = SyntheticDataset.unlabelled(s, 0, s.batch());
        this.batch = images.ids().stream().map(images::load).toList();
    }

    /**
     * The Teacher (the Student's initial weights, as TSF starts) and the EMD as a TSF run's checkpoint; the
     * Teacher's parameter count goes to {@code parameters[0]}.
     */
    private static Path writeCheckpoint(BenchNetworks nets, BenchSettings s, NDManager m, long[] parameters) {
        try (NDManager scratch = m.newSubManager()) {
            Path dir = Files.createTempDirectory("semiactive-bench-").resolve("checkpoint");
            // the roles (salts) of SemiSupervisedMethod, so these are BenchNetworks' teacher and EMD, bit for bit
            Network teacher = Network.create(new NetworkRole(SemiSupervisedMethod.TEACHER, Components.deeplab(nets.spec()), 0, false),
                    s.seed(), scratch, 0.9f, 0f);
            Network emd = Network.create(new NetworkRole(SemiSupervisedMethod.EMD, Components.errorMaskDecoder(nets.spec()), 3, false),
                    s.seed(), scratch, 0.9f, 0f);
            parameters[0] = Networks.parameterCount(teacher.block());
            SyntheticDataset data = SyntheticDataset.unlabelled(s, 0, 1);
            ModelCard card = ModelCard.of(Json.MAPPER.readTree(nets.spec().toJson()), data.labels(),
                    Normalization.identity(s.channels()), s.height(), s.width()).withTraining("tsf", SemiSupervisedMethod.TEACHER);
            Checkpoint.write(dir, List.of(teacher, emd),
                    new TrainingState(1, "tsf", 0, 0, s.seed(), null, -1, Map.of(), Instant.now().toString(), null), card);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the benchmark's checkpoint: " + e.getMessage(), e);
        }
    }

    /** Scores the fixed benchmark batch. */
    @Override
    public float run(NDManager step) {
        return score(batch);
    }

    @Override
    public long parameters() {
        return parameters;
    }

    @Override
    public int images() {
        return s.batch();
    }

    /**
     * Scores images of the benchmark's size.
     *
     * @return the mean pixel entropy (proof of work)
     */
    float score(List<Sample> samples) {
        double entropySum = 0;
        long entropyPixels = 0;
        for (ModelOutputs o : model.score(samples)) {
            int hw = o.height() * o.width();
            float[] entropy = PixelScores.entropy(o.probabilities(), o.numClasses(), hw);
            for (float v : entropy) entropySum += v;
            entropyPixels += hw;
            Refinement.ImageRefinement r = refinement.refine(refiner, o, null);
            for (boolean f : r.flagged()) if (f) flagged++;
            pixels += hw;
            for (int label : r.refined()) if (label != LabelSpace.IGNORE) refined++;
        }
        return (float) (entropySum / entropyPixels);
    }

    @Override
    public Map<String, Object> extras() {
        return Map.of("flaggedFraction", pixels == 0 ? 0.0 : (double) flagged / pixels,
                "refinedFraction", pixels == 0 ? 0.0 : (double) refined / pixels);
    }

    @Override
    public void close() {
        model.close();
        manager.close();
    }
}
