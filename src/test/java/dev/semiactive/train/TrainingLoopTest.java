package dev.semiactive.train;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.ParameterList;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.semiactive.SemiactiveException;
import dev.semiactive.eval.ConfusionMatrix;
import dev.semiactive.eval.Evaluator;
import dev.semiactive.util.StopRequest;
import dev.semiactive.util.StopRequestedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainingLoopTest {
    static final NetworkFactory NET = TinySegNet.factory(3, 3, 0f);
    static final NetworkFactory NET_DROPOUT = TinySegNet.factory(3, 3, 0.2f);

    static ModelCard card() {
        return ModelCard.of(JsonNodeFactory.instance.objectNode().put("architecture", "tiny"), SyntheticData.LABELS,
                Normalization.defaults(3), 32, 32);
    }

    static SupervisedMethod supervised(NetworkFactory net, SyntheticData.InMemory data, int batch) {
        return SupervisedMethod.builder().setNetwork(net).setLabelled(data).setBatchSize(batch).build();
    }

    static TrainingLoop.Builder loop(Path run, TrainingMethod method, long steps) {
        return TrainingLoop.builder().setRunDir(run).setMethod(method).setSteps(steps).setSeed(7)
                .setModelCard(card()).optLearningRate(0.05).optProgressBar(false);
    }

    @Test
    void overfitsATinySetAndValidationEqualsTheEvaluator(@TempDir Path run) {
        SyntheticData.InMemory train = SyntheticData.scenes(8, 32, 1);
        SyntheticData.InMemory val = SyntheticData.scenes(4, 32, 2);
        Evaluator evaluator = Evaluator.builder().setNormalization(Normalization.defaults(3)).optBatchSize(3).build();
        double before;
        try (NDManager m = NDManager.newBaseManager()) {
            before = evaluator.evaluate(NET.create(m, Seeds.derive(7, 0)), val, m).meanIoU();
        }
        RunManifest manifest = RunManifest.builder().setConfig(Json.MAPPER.valueToTree(java.util.Map.of("steps", 40)))
                .setSeed(7).optDataset(train).build();
        TrainingResult r = loop(run, supervised(NET, train, 4), 40).optLogEvery(5).optValidation(val, evaluator)
                .optValidateEvery(20).optManifest(manifest).build().run();
        assertThat(RunManifest.read(run)).isEqualTo(manifest);

        assertThat(r.endStep()).isEqualTo(40);
        List<JsonNode> records = new MetricsLog(run.resolve("metrics.jsonl")).read();
        List<Double> losses = records.stream().filter(n -> n.get("kind").asText().equals("train"))
                .map(n -> n.get("sup").asDouble()).toList();
        assertThat(losses).hasSize(8);
        assertThat(losses.get(losses.size() - 1)).isLessThan(losses.get(0) * 0.5);
        JsonNode firstTrain = records.get(0);
        assertThat(firstTrain.get("lr").asDouble()).isEqualTo(PolyLearningRate.of(0.05, 40).at(4));
        assertThat(firstTrain.get("images_per_s").asDouble()).isPositive();
        List<JsonNode> vals = records.stream().filter(n -> n.get("kind").asText().equals("val")).toList();
        assertThat(vals).extracting(n -> n.get("step").asLong()).containsExactly(20L, 40L);
        double after = vals.get(1).get("mIoU").asDouble();
        assertThat(after).isGreaterThan(0.8).isGreaterThan(before + 0.2);
        assertThat(r.bestMetric()).isEqualTo(Math.max(after, vals.get(0).get("mIoU").asDouble()));

        // the evaluate command's path (load the checkpoint, run the evaluator) gives the same number
        Path latest = Checkpoint.directory(run, Checkpoint.LATEST);
        try (NDManager m = NDManager.newBaseManager();
             Network loaded = Checkpoint.loadNetwork(latest, "student", NET, m)) {
            ConfusionMatrix again = evaluator.evaluate(loaded.block(), val, m);
            assertThat(again).isEqualTo(r.lastValidation());
            assertThat(again.meanIoU()).isEqualTo(after);
        }
        ModelCard written = Checkpoint.readModelCard(latest);
        assertThat(written.method()).isEqualTo("supervised");
        assertThat(written.network()).isEqualTo("student");
        assertThat(written.labels()).isEqualTo(SyntheticData.LABELS);
        assertThat(written.normalization()).isEqualTo(Normalization.defaults(3));
        assertThat(written.provenance()).containsEntry("step", 40).containsEntry("datasetHash", manifest.datasetHash());
        assertThat(Checkpoint.readState(Checkpoint.directory(run, Checkpoint.BEST)).step()).isEqualTo(r.bestStep());
    }

    @Test
    void aLoneNonFiniteStepIsSkippedAndARunOfThemStops(@TempDir Path dir) throws IOException {
        SyntheticData.InMemory train = SyntheticData.scenes(4, 32, 3);
        TrainingResult once = loop(dir.resolve("once"), WrappedMethod.nonFiniteAt(supervised(NET, train, 2), java.util.Set.of(3L)), 6)
                .optLogEvery(6).build().run();
        assertThat(once.endStep()).isEqualTo(6);
        assertThat(java.nio.file.Files.readString(dir.resolve("once/metrics.jsonl"))).contains("\"skipped_steps\":1");
        assertThat(once.lastScalars().get("loss")).isFinite();
        assertThatThrownBy(() -> loop(dir.resolve("many"), WrappedMethod.nonFiniteAt(supervised(NET, train, 2),
                java.util.Set.of(2L, 3L, 4L, 5L, 6L)), 10).build().run())
                .hasMessageContaining("the loss became NaN at step 6 of supervised")
                .hasMessageContaining("5 steps in a row: lower the learning rate");
    }

    @Test
    void aParameterNoLongerFiniteStopsAtOnceAndNamesIt(@TempDir Path dir) {
        SyntheticData.InMemory train = SyntheticData.scenes(4, 32, 3);
        // one non-finite step would be skipped; with a parameter broken the networks diverged, and the run stops
        assertThatThrownBy(() -> loop(dir.resolve("poisoned"), WrappedMethod.poisonedAt(supervised(NET, train, 2), "student", 3), 10)
                .build().run())
                .hasMessageContaining("the loss became NaN at step 3 of supervised")
                .hasMessageMatching(".*; student/\\S+ is no longer finite: lower the learning rate.*");
    }

    @Test
    void autoClipScalesASpikeDownToThePercentileOfTheRunsNorms(@TempDir Path dir) throws IOException {
        SyntheticData.InMemory train = SyntheticData.scenes(4, 32, 3);
        TrainingResult r = loop(dir, WrappedMethod.scaledAt(supervised(NET, train, 2), java.util.Set.of(25L), 1e6f), 30)
                .optClipPercentile(90).optLogEvery(5).build().run();
        assertThat(r.endStep()).isEqualTo(30);
        List<com.fasterxml.jackson.databind.JsonNode> windows = new java.util.ArrayList<>();
        for (String line : java.nio.file.Files.readAllLines(dir.resolve("metrics.jsonl"))) {
            var n = Json.MAPPER.readTree(line);
            if (n.get("kind").asText().equals("train")) windows.add(n);
        }
        // step index 25 is logged in the window ending at 30: the spike (a million times the usual norm) was
        // clipped there (other steps of the window may be too: by definition ~10% exceed the 90th percentile)
        var spike = windows.stream().filter(n -> n.get("step").asLong() == 30).findFirst().orElseThrow();
        assertThat(spike.get("clipped_student").asDouble()).isGreaterThanOrEqualTo(0.2);
        assertThat(spike.get("grad_norm_student").asDouble()).isGreaterThan(1000);
        // the first 20 norms are only collected: nothing clipped before the history exists
        assertThat(windows.stream().filter(n -> n.get("step").asLong() <= 20)).allMatch(n -> n.get("clipped_student").asDouble() == 0);
        assertThat(r.lastScalars().get("loss")).isFinite();
    }

    @Test
    void percentileInterpolatesBetweenOrderStatistics() {
        assertThat(TrainingLoop.percentile(List.of(4.0, 1.0, 3.0, 2.0, 5.0), 50)).isEqualTo(3.0);
        assertThat(TrainingLoop.percentile(List.of(4.0, 1.0, 3.0, 2.0, 5.0), 90)).isCloseTo(4.6, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(TrainingLoop.percentile(List.of(7.0), 90)).isEqualTo(7.0);
    }

    /**
     * AutoClip's limit is a percentile of every gradient norm of the run so far: a resumed run must clip with the
     * history of the steps before the crash (kept in state.json), or its steps after it differ from the
     * uninterrupted run's (as a pretext of 2000 steps resumed at step 450 did before the history was kept).
     */
    @Test
    void resumeWithGradientClippingReproducesAnUninterruptedRun(@TempDir Path dir) {
        SyntheticData.InMemory train = SyntheticData.scenes(6, 32, 3);
        Path straight = dir.resolve("straight"), crashed = dir.resolve("crashed");
        int steps = TrainingLoop.CLIP_WARMUP + 16, every = TrainingLoop.CLIP_WARMUP + 8;
        loop(straight, supervised(NET_DROPOUT, train, 2), steps).optLogEvery(1).optCheckpointEvery(every).optClipPercentile(5).build().run();
        TrainingMethod crashing = WrappedMethod.crashingAt(supervised(NET_DROPOUT, train, 2), every + 4);
        assertThatThrownBy(() -> loop(crashed, crashing, steps).optLogEvery(1).optCheckpointEvery(every).optClipPercentile(5).build().run())
                .hasMessageContaining("simulated crash");
        loop(crashed, supervised(NET_DROPOUT, train, 2), steps).optLogEvery(1).optCheckpointEvery(every).optClipPercentile(5).build().run();

        List<JsonNode> ma = new MetricsLog(straight.resolve("metrics.jsonl")).read();
        List<JsonNode> mb = new MetricsLog(crashed.resolve("metrics.jsonl")).read();
        // the uninterrupted run clips after the checkpoint, so the history matters there
        assertThat(ma.subList(every, steps)).anySatisfy(n -> assertThat(n.get("clipped_student").asDouble()).isEqualTo(1.0));
        assertThat(mb).hasSameSizeAs(ma);
        for (int i = 0; i < steps; i++) {
            assertThat(mb.get(i).get("clipped_student").asDouble()).as("clipped at step " + (i + 1)).isEqualTo(ma.get(i).get("clipped_student").asDouble());
            assertThat(mb.get(i).get("sup").asDouble()).as("loss at step " + (i + 1)).isEqualTo(ma.get(i).get("sup").asDouble());
        }
        assertThat(Checkpoint.readState(Checkpoint.directory(crashed, Checkpoint.LATEST)).gradientNorms().get("student")).hasSize(steps);
    }

    @Test
    void resumeAfterACrashReproducesAnUninterruptedRun(@TempDir Path dir) throws IOException {
        SyntheticData.InMemory train = SyntheticData.scenes(6, 32, 3);
        Path straight = dir.resolve("straight"), crashed = dir.resolve("crashed");
        loop(straight, supervised(NET_DROPOUT, train, 2), 12).optLogEvery(1).optCheckpointEvery(4).build().run();

        // crash before step 10: the latest checkpoint is at step 8, steps 8 and 9 are lost
        TrainingMethod crashing = WrappedMethod.crashingAt(supervised(NET_DROPOUT, train, 2), 10);
        assertThatThrownBy(() -> loop(crashed, crashing, 12).optLogEvery(1).optCheckpointEvery(4).build().run())
                .hasMessageContaining("simulated crash");
        assertThat(Checkpoint.readState(Checkpoint.directory(crashed, Checkpoint.LATEST)).step()).isEqualTo(8);
        TrainingResult resumed = loop(crashed, supervised(NET_DROPOUT, train, 2), 12).optLogEvery(1).optCheckpointEvery(4).build().run();
        assertThat(resumed.resumed()).isTrue();
        assertThat(resumed.startStep()).isEqualTo(8);

        Path a = Checkpoint.directory(straight, Checkpoint.LATEST), b = Checkpoint.directory(crashed, Checkpoint.LATEST);
        try (NDManager m = NDManager.newBaseManager();
             Network na = Checkpoint.loadNetwork(a, "student", NET_DROPOUT, m);
             Network nb = Checkpoint.loadNetwork(b, "student", NET_DROPOUT, m)) {
            ParameterList pa = na.block().getParameters(), pb = nb.block().getParameters();
            assertThat(pa).hasSameSizeAs(pb);
            for (int i = 0; i < pa.size(); i++) {
                float[] x = pa.get(i).getValue().getArray().toFloatArray(), y = pb.get(i).getValue().getArray().toFloatArray();
                for (int j = 0; j < x.length; j++)
                    assertThat(Math.abs(x[j] - y[j])).as(pa.get(i).getKey()).isLessThanOrEqualTo(1e-6f);
            }
        }
        // the momentum state is the same too (bitwise: CPU, same op order)
        assertThat(Files.readAllBytes(Checkpoint.momentumFile(b, "student")))
                .isEqualTo(Files.readAllBytes(Checkpoint.momentumFile(a, "student")));
        // metrics read as one run: each step once, the same losses
        List<JsonNode> ma = new MetricsLog(straight.resolve("metrics.jsonl")).read();
        List<JsonNode> mb = new MetricsLog(crashed.resolve("metrics.jsonl")).read();
        assertThat(mb).extracting(n -> n.get("step").asLong()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
        for (int i = 0; i < 12; i++) assertThat(mb.get(i).get("sup").asDouble()).isEqualTo(ma.get(i).get("sup").asDouble());
    }

    /**
     * Ctrl-C or SIGTERM during training ({@link StopRequest}): the loop finishes its step, saves it, and stops with the
     * signal's exit code; the same run resumes from that step and ends as the uninterrupted run does.
     */
    @Test
    void aStopRequestSavesTheCurrentStepAndTheResumedRunEndsAsAnUninterruptedOne(@TempDir Path dir) {
        SyntheticData.InMemory train = SyntheticData.scenes(6, 32, 3);
        Path straight = dir.resolve("straight"), stopped = dir.resolve("stopped");
        loop(straight, supervised(NET_DROPOUT, train, 2), 12).optLogEvery(1).optCheckpointEvery(4).build().run();

        // the signal arrives during step 6 (between checkpoints at 4 and 8)
        TrainingMethod signalled = new WrappedMethod(supervised(NET_DROPOUT, train, 2), s -> {
            if (s + 1 == 6) StopRequest.onSignal("INT", 2, code -> {
                throw new AssertionError("exited with " + code + " while training could stop");
            });
        });
        try {
            assertThatThrownBy(() -> loop(stopped, signalled, 12).optLogEvery(1).optCheckpointEvery(4).build().run())
                    .isInstanceOfSatisfying(StopRequestedException.class, e -> assertThat(e.exitCode()).isEqualTo(130))
                    .hasMessageStartingWith("stopped on request (SIGINT) at step 6 of 12 of supervised, checkpoint saved in ")
                    .hasMessageEndingWith(": run the same command to resume");
        } finally {
            StopRequest.reset();
        }
        assertThat(Checkpoint.readState(Checkpoint.directory(stopped, Checkpoint.LATEST)).step()).isEqualTo(6);
        TrainingResult resumed = loop(stopped, supervised(NET_DROPOUT, train, 2), 12).optLogEvery(1).optCheckpointEvery(4).build().run();
        assertThat(resumed.startStep()).isEqualTo(6);
        List<JsonNode> ma = new MetricsLog(straight.resolve("metrics.jsonl")).read();
        List<JsonNode> mb = new MetricsLog(stopped.resolve("metrics.jsonl")).read();
        assertThat(mb).extracting(n -> n.get("step").asLong()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
        for (int i = 0; i < 12; i++) assertThat(mb.get(i).get("sup").asDouble()).as("loss at step " + (i + 1)).isEqualTo(ma.get(i).get("sup").asDouble());
    }

    @Test
    void aRefusedRerunLeavesTheManifestAndAFreshStartDropsStaleRecords(@TempDir Path dir) throws IOException {
        SyntheticData.InMemory train = SyntheticData.scenes(2, 32, 3);
        Path run = dir.resolve("run");
        RunManifest made = RunManifest.builder().setConfig(Json.MAPPER.valueToTree(java.util.Map.of("steps", 4))).setSeed(7).build();
        loop(run, supervised(NET, train, 2), 4).optManifest(made).build().run();
        byte[] before = Files.readAllBytes(run.resolve("manifest.json"));
        // fewer steps than the checkpoint holds: refused, and the manifest still says how the run was made
        RunManifest asked = RunManifest.builder().setConfig(Json.MAPPER.valueToTree(java.util.Map.of("steps", 2))).setSeed(7).build();
        assertThatThrownBy(() -> loop(run, supervised(NET, train, 2), 2).optManifest(asked).build().run())
                .isInstanceOf(SemiactiveException.class).hasMessageContaining("beyond the 2 steps configured");
        assertThat(Files.readAllBytes(run.resolve("manifest.json"))).isEqualTo(before);

        // a run killed before its first checkpoint left records (and a torn line): a fresh start keeps none of them
        Path killed = Files.createDirectories(dir.resolve("killed"));
        Files.writeString(killed.resolve("metrics.jsonl"), "{\"kind\":\"train\",\"step\":1,\"sup\":9.0}\n{\"kind\":\"tr");
        loop(killed, supervised(NET, train, 2), 2).optLogEvery(1).build().run();
        List<JsonNode> records = new MetricsLog(killed.resolve("metrics.jsonl")).read();
        assertThat(records.stream().filter(n -> n.get("kind").asText().equals("train"))).extracting(n -> n.get("step").asLong())
                .containsExactly(1L, 2L);
        assertThat(records).noneMatch(n -> n.path("sup").asDouble() == 9.0);
    }

    @Test
    void aRunDirectoryOfAnotherMethodIsRefused(@TempDir Path run) {
        SyntheticData.InMemory train = SyntheticData.scenes(2, 32, 3);
        loop(run, supervised(NET, train, 2), 2).build().run();
        TrainingMethod renamed = new TrainingMethod() {
            final TrainingMethod inner = supervised(NET, train, 2);

            public String name() {
                return "tsf";
            }

            public List<NetworkRole> networks() {
                return inner.networks();
            }

            public String evaluationNetwork() {
                return inner.evaluationNetwork();
            }

            public void start(MethodContext c) {
                inner.start(c);
            }

            public StepOutput step(StepContext c) {
                return inner.step(c);
            }

            public void close() {
                inner.close();
            }
        };
        assertThatThrownBy(() -> loop(run, renamed, 4).build().run()).isInstanceOf(SemiactiveException.class)
                .hasMessageContaining("checkpoint of method supervised, not tsf");
    }

    @Test
    void residentMemoryStaysFlatOverFiftySteps(@TempDir Path run) {
        SyntheticData.InMemory train = SyntheticData.scenes(8, 64, 5);
        long[] probe = new long[2];
        TrainingMethod probed = new WrappedMethod(supervised(NET, train, 8), step -> {
            if (step == 9) probe[0] = nonHeapResidentKb();
            else if (step == 59) probe[1] = nonHeapResidentKb();
        });
        loop(run, probed, 60).optLogEvery(10).optCheckpointEvery(60).build().run();
        long growthKb = probe[1] - probe[0];
        // a leaked batch (8x3x64x64 floats + masks) alone would be ~0.6 MB a step, 30 MB over the 50 steps
        assertThat(growthKb).as("resident memory outside the Java heap, growth from step 10 to 60 (kB)").isLessThan(12_000);
    }

    static long nonHeapResidentKb() {
        return dev.semiactive.util.ResidentMemory.outsideHeapKb();
    }

}
