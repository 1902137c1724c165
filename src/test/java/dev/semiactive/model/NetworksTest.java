package dev.semiactive.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import dev.semiactive.SemiactiveException;
import dev.semiactive.util.ResidentMemory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class NetworksTest {
    private static final ModelSpec TINY = ModelSpec.of(Backbone.TINY, 3, 4);
    private static NDManager manager;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    private static Block tiny(long seed) {
        Block block = Networks.deeplab(TINY);
        Networks.initializeDeepLab(block, manager, TINY, seed);
        return block;
    }

    private static boolean sameParameters(Block a, Block b) {
        List<Pair<String, Parameter>> pa = a.getParameters().stream().toList();
        List<Pair<String, Parameter>> pb = b.getParameters().stream().toList();
        assertThat(pa).hasSameSizeAs(pb);
        for (int i = 0; i < pa.size(); i++) {
            if (!pa.get(i).getValue().getArray().contentEquals(pb.get(i).getValue().getArray())) {
                return false;
            }
        }
        return true;
    }

    private static float[] evalLogits(Block block, NDArray input) {
        try (NDManager step = manager.newSubManager()) {
            return Networks.forward(block, step.from(input), false).get(0).toFloatArray();
        }
    }

    @Test
    void sameSeedGivesIdenticalParametersAndDifferentSeedsDiffer() {
        Block a = tiny(11);
        Block b = tiny(11);
        Block c = tiny(12);
        assertThat(sameParameters(a, b)).isTrue();
        assertThat(sameParameters(a, c)).isFalse();
        // every convolution weight differs, not just one
        List<Pair<String, Parameter>> pa = a.getParameters().stream().toList();
        List<Pair<String, Parameter>> pc = c.getParameters().stream().toList();
        for (int i = 0; i < pa.size(); i++) {
            if (pa.get(i).getKey().endsWith("_weight") && pa.get(i).getValue().getArray().getShape().dimension() == 4) {
                assertThat(pa.get(i).getValue().getArray().contentEquals(pc.get(i).getValue().getArray()))
                        .as(pa.get(i).getKey()).isFalse();
            }
        }
    }

    @Test
    void convolutionWeightsAreKaimingNormalFanInAndBatchNormStartsNeutral() {
        ModelSpec spec = ModelSpec.mobileNetV2(0.5, 3, 11);
        Block block = Networks.deeplab(spec);
        Networks.initializeDeepLab(block, manager, spec, 5);
        int checkedConvs = 0;
        for (Pair<String, Parameter> pair : block.getParameters()) {
            NDArray a = pair.getValue().getArray();
            String name = pair.getKey();
            if (name.endsWith("_weight") && a.getShape().dimension() == 4 && a.size() >= 100_000) {
                Shape s = a.getShape();
                double fanIn = s.get(1) * s.get(2) * s.get(3);
                double std = Math.sqrt(a.pow(2).mean().getFloat() - Math.pow(a.mean().getFloat(), 2));
                assertThat(std).as(name).isCloseTo(Math.sqrt(2 / fanIn), within(0.05 * Math.sqrt(2 / fanIn)));
                checkedConvs++;
            } else if (name.endsWith("_gamma") || name.endsWith("_runningVar")) {
                assertThat(a.eq(1).all().getBoolean()).as(name).isTrue();
            } else if (name.endsWith("_beta") || name.endsWith("_runningMean") || name.endsWith("_bias")) {
                assertThat(a.eq(0).all().getBoolean()).as(name).isTrue();
            }
        }
        assertThat(checkedConvs).isGreaterThan(3);
    }

    @Test
    void initialisingTwiceOrCountingBeforeInitialisingIsRefused() {
        Block block = Networks.deeplab(TINY);
        assertThatThrownBy(() -> Networks.parameterCount(block)).isInstanceOf(IllegalStateException.class);
        Networks.initializeDeepLab(block, manager, TINY, 1);
        assertThatThrownBy(() -> Networks.initializeDeepLab(block, manager, TINY, 2))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("freshly built");
    }

    @Test
    void saveLoadRoundTripsExactlyIncludingBatchNormRunningStatistics() {
        Block trained = tiny(21);
        try (NDManager step = manager.newSubManager()) {
            // training forwards move the BatchNorm running statistics away from 0 / 1
            NDArray x = step.randomUniform(0, 1, new Shape(2, 3, 48, 48));
            for (int i = 0; i < 3; i++) {
                Networks.forward(trained, x, true);
            }
        }
        Parameter runningMean = trained.getParameters().values().stream()
                .filter(p -> p.getType() == Parameter.Type.RUNNING_MEAN).findFirst().orElseThrow();
        assertThat(runningMean.getArray().abs().sum().getFloat()).isGreaterThan(0f);

        Path file = dir.resolve("nets/student.params");
        Networks.save(trained, file);
        assertThat(file).exists();

        NDArray probe = manager.randomUniform(0, 1, new Shape(1, 3, 40, 56));
        float[] expected = evalLogits(trained, probe);

        Block fresh = Networks.deeplab(TINY); // not initialised
        Networks.load(fresh, manager, file);
        assertThat(sameParameters(trained, fresh)).isTrue();
        assertThat(evalLogits(fresh, probe)).containsExactly(expected);

        Block other = tiny(99); // initialised from another seed: overwritten
        assertThat(evalLogits(other, probe)).isNotEqualTo(expected);
        Networks.load(other, manager, file);
        assertThat(evalLogits(other, probe)).containsExactly(expected);
        for (Parameter p : other.getParameters().values()) {
            assertThat(p.getArray().hasGradient()).as(p.getName()).isEqualTo(p.requiresGradient());
        }
    }

    @Test
    void saveIsAtomicAndOverwrites() throws IOException {
        Path file = dir.resolve("emd.params");
        Block first = Networks.errorMaskDecoder(TINY);
        Networks.initializeErrorMaskDecoder(first, manager, TINY, 1);
        Networks.save(first, file);
        Block second = Networks.errorMaskDecoder(TINY);
        Networks.initializeErrorMaskDecoder(second, manager, TINY, 2);
        Networks.save(second, file);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("emd.params");
        }
        Block loaded = Networks.errorMaskDecoder(TINY);
        Networks.load(loaded, manager, file);
        assertThat(sameParameters(loaded, second)).isTrue();
    }

    @Test
    void loadingTheWrongFileNamesTheFileAndTheProblem() throws IOException {
        Path missing = dir.resolve("none.params");
        assertThatThrownBy(() -> Networks.load(Networks.deeplab(TINY), manager, missing))
                .isInstanceOf(SemiactiveException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");

        Path text = Files.writeString(dir.resolve("notes.txt"), "hello");
        assertThatThrownBy(() -> Networks.load(Networks.deeplab(TINY), manager, text))
                .isInstanceOf(SemiactiveException.class).hasMessageContaining("not a semiactive parameter file");

        Path fourClasses = dir.resolve("tiny4.params");
        Networks.save(tiny(1), fourClasses);
        ModelSpec fiveClasses = ModelSpec.of(Backbone.TINY, 3, 5);
        assertThatThrownBy(() -> Networks.load(Networks.deeplab(fiveClasses), manager, fourClasses))
                .isInstanceOf(SemiactiveException.class)
                .hasMessageContaining(fourClasses.toString())
                .hasMessageContaining("-> 4 classes").hasMessageContaining("-> 5 classes");

        assertThatThrownBy(() -> Networks.load(Networks.errorMaskDecoder(TINY), manager, fourClasses))
                .isInstanceOf(SemiactiveException.class).hasMessageContaining("holds a DeepLabV3Plus");

        Path emdFile = dir.resolve("emd.params");
        Block emd = Networks.errorMaskDecoder(TINY);
        Networks.initializeErrorMaskDecoder(emd, manager, TINY, 1);
        Networks.save(emd, emdFile);
        ModelSpec wide = ModelSpec.mobileNetV2(0.5, 3, 4); // 256-channel features: different first conv
        Block wideEmd = Networks.errorMaskDecoder(wide);
        Networks.initializeErrorMaskDecoder(wideEmd, manager, wide, 1);
        assertThatThrownBy(() -> Networks.load(wideEmd, manager, emdFile))
                .isInstanceOf(SemiactiveException.class).hasMessageContaining("parameter shapes differ");
    }

    /** Softmax cross-entropy over all pixels, written here so the test does not depend on the loss package. */
    private static NDArray crossEntropy(NDArray logits, NDArray labels, int classes) {
        NDArray logProb = logits.logSoftmax(1);
        NDArray oneHot = labels.oneHot(classes).transpose(0, 3, 1, 2);
        return logProb.mul(oneHot).sum(new int[] {1}).mean().neg();
    }

    @Test
    void sgdStepsOverfitOneBatch() {
        ModelSpec spec = ModelSpec.of(Backbone.TINY, 3, 2);
        Block block = Networks.deeplab(spec);
        Networks.initializeDeepLab(block, manager, spec, 3);
        Optimizer sgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.05f)).optMomentum(0.9f).build();
        // a learnable target: class 1 where the first band is bright, in 8x8 blocks
        manager.getEngine().setRandomSeed(4);
        NDArray blocks = manager.randomUniform(0, 1, new Shape(2, 3, 4, 4));
        NDArray images = NdOps.resizeNearest(blocks, 32, 32);
        NDArray labels = images.get(":, 0, :, :").gt(0.5).toType(DataType.INT32, false);
        float first = Float.NaN;
        float last = Float.NaN;
        for (int step = 0; step < 25; step++) {
            try (NDManager stepManager = manager.newSubManager();
                 GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logits = Networks.forward(block, stepManager.from(images), true).get(0);
                NDArray loss = crossEntropy(logits, stepManager.from(labels), 2);
                gc.backward(loss);
                for (Parameter p : block.getParameters().values()) {
                    if (p.requiresGradient()) {
                        try (NDArray grad = p.getArray().getGradient()) {
                            sgd.update(p.getId(), p.getArray(), grad);
                        }
                    }
                }
                Networks.zeroGradients(block);
                float value = loss.getFloat();
                if (step == 0) {
                    first = value;
                }
                last = value;
            }
        }
        assertThat(first).isCloseTo((float) Math.log(2), within(0.5f));
        assertThat(last).isLessThan(first * 0.5f);
    }

    @Test
    void zeroGradientsClearsAccumulatedGradientsWithoutTouchingOthers() {
        Block block = tiny(5);
        Block untouched = tiny(6); // never had a backward: must not get gradient buffers
        try (NDManager step = manager.newSubManager();
             GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(Networks.forward(block, step.randomUniform(0, 1, new Shape(2, 3, 32, 32)), true).get(0).mean());
        }
        Parameter weight = block.getParameters().values().stream()
                .filter(p -> p.getType() == Parameter.Type.WEIGHT).findFirst().orElseThrow();
        try (NDArray grad = weight.getArray().getGradient()) {
            assertThat(grad.abs().sum().getFloat()).isGreaterThan(0f);
        }
        Networks.zeroGradients(block);
        Networks.zeroGradients(untouched);
        try (NDArray grad = weight.getArray().getGradient()) {
            assertThat(grad.abs().sum().getFloat()).isZero();
        }
        for (Parameter p : untouched.getParameters().values()) {
            assertThat(JniUtils.getGradient((PtNDArray) p.getArray())).as(p.getName()).isNull();
        }
    }

    @Test
    void residentMemoryStaysFlatOverManyStepsInSubManagers() {
        ModelSpec spec = ModelSpec.mobileNetV2(0.5, 3, 4);
        Block block = Networks.deeplab(spec);
        Networks.initializeDeepLab(block, manager, spec, 8);
        long afterWarmUp = 0;
        long peakGrowth = 0;
        int steps = 30;
        for (int i = 0; i < steps; i++) {
            try (NDManager step = manager.newSubManager();
                 GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDList out = Networks.forward(block, step.randomUniform(0, 1, new Shape(2, 3, 64, 64)), true);
                gc.backward(out.get(0).mean().add(out.get(1).mean()).add(out.get(2).mean()));
                Networks.zeroGradients(block);
            }
            if (i == 9) {
                afterWarmUp = ResidentMemory.currentBytes();
            } else if (i > 9) {
                peakGrowth = Math.max(peakGrowth, ResidentMemory.currentBytes() - afterWarmUp);
            }
        }
        assertThat(afterWarmUp).isPositive();
        // one step allocates ~25 MB of activations; a leak would add that every step (~500 MB over 20)
        assertThat(peakGrowth).isLessThan(100L * 1024 * 1024);
    }
}
