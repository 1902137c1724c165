package dev.semiactive.train.semi;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.semiactive.data.Augmentations;
import dev.semiactive.data.DatasetViews;
import dev.semiactive.data.LabelSpace;
import dev.semiactive.pipeline.Components;
import dev.semiactive.train.Losses;
import dev.semiactive.train.NativeStaging;
import dev.semiactive.train.Network;
import dev.semiactive.train.NetworkRole;
import dev.semiactive.train.NoGrad;
import dev.semiactive.train.StepContext;
import dev.semiactive.train.StepOutput;
import dev.semiactive.train.SupervisedMethod;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** One step of the method outside the loop: which network gets which gradient. */
class SemiSupervisedStepTest {
    private static final DatasetViews.Partition DATA = SemiFixtures.data(8, 32, 0.5);

    @Test
    void eachVariantDeclaresItsNetworks() {
        var mt = SemiFixtures.method(Terms.meanTeacher(), DATA, 2).build();
        var cps = SemiFixtures.method(Terms.cps(), DATA, 2).build();
        var tsf = SemiFixtures.method(Terms.tsf(true), DATA, 2).build();
        var tsfNoEmd = SemiFixtures.method(Terms.tsf(false), DATA, 2).build();
        assertThat(mt.networks()).extracting(NetworkRole::name, NetworkRole::trained)
                .containsExactly(tuple("student", true), tuple("teacher", false));
        assertThat(cps.networks()).extracting(NetworkRole::name, NetworkRole::trained)
                .containsExactly(tuple("student", true), tuple("friend", true));
        assertThat(tsf.networks()).extracting(NetworkRole::name, NetworkRole::trained)
                .containsExactly(tuple("student", true), tuple("friend", true), tuple("teacher", false), tuple("emd", true));
        assertThat(tsfNoEmd.networks()).extracting(NetworkRole::name).containsExactly("student", "friend", "teacher");
        assertThat(tsf.networks()).extracting(NetworkRole::seed).doesNotHaveDuplicates();
        assertThat(mt.evaluationNetwork()).isEqualTo("teacher");
        assertThat(tsf.evaluationNetwork()).isEqualTo("teacher");
        assertThat(cps.evaluationNetwork()).isEqualTo("student");
        assertThat(java.util.List.of(mt.name(), cps.name(), tsf.name())).containsExactly("mean-teacher", "cps", "tsf");
    }

    private static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }

    /** Adds N(0, 0.5) noise to every parameter of the teacher: its pseudo-labels change. */
    private static void perturb(Network teacher) {
        SplittableRandom r = new SplittableRandom(9);
        NoGrad.run(() -> {
            for (Parameter p : teacher.block().getParameters().values()) {
                float[] v = p.getArray().toFloatArray();
                for (int i = 0; i < v.length; i++) v[i] += (float) (r.nextGaussian() * 0.5);
                if (p.getName().contains("Variance")) for (int i = 0; i < v.length; i++) v[i] = Math.abs(v[i]) + 0.1f;
                p.getArray().set(v);
            }
        });
    }

    @Test
    void theFriendLearnsNothingFromTheTeacherAndTheTeacherGetsNoGradient() {
        float[] friendTsf, studentTsf, emdTsf, friendPerturbed, studentPerturbed, emdPerturbed, friendCps;
        try (SemiFixtures.Harness h = new SemiFixtures.Harness(SemiFixtures.method(Terms.tsf(true), DATA, 2).build())) {
            StepOutput out = h.startAndStep(false);
            assertThat(out.scalars().get("reliable_ratio").getFloat()).as("the teacher term is active").isGreaterThan(0f);
            friendTsf = h.gradients("friend");
            studentTsf = h.gradients("student");
            emdTsf = h.gradients("emd");
            for (Parameter p : h.networks.get("teacher").block().getParameters().values())
                assertThat(p.getArray().hasGradient()).as("teacher parameter " + p.getName() + " requires no gradient").isFalse();
        }
        try (SemiFixtures.Harness h = new SemiFixtures.Harness(SemiFixtures.method(Terms.tsf(true), DATA, 2).build())) {
            h.networks.get("teacher").copyFrom(h.networks.get("student"));
            perturb(h.networks.get("teacher"));
            h.startAndStep(true);
            friendPerturbed = h.gradients("friend");
            studentPerturbed = h.gradients("student");
            emdPerturbed = h.gradients("emd");
        }
        try (SemiFixtures.Harness h = new SemiFixtures.Harness(SemiFixtures.method(Terms.cps(), DATA, 2).build())) {
            h.startAndStep(false);
            friendCps = h.gradients("friend");
        }
        assertThat(friendTsf).as("friend gradient").isNotEmpty();
        assertThat(maxAbs(friendTsf)).isPositive();
        // (max-abs comparisons: AssertJ's array diff is quadratic in the array length)
        assertThat(maxAbsDiff(friendPerturbed, friendTsf)).as("friend gradient with another teacher").isLessThanOrEqualTo(1e-7f);
        assertThat(maxAbsDiff(friendCps, friendTsf)).as("friend gradient without teacher term").isLessThanOrEqualTo(1e-7f);
        // the test can fail: the Student's and the EMD's gradients do depend on the Teacher
        assertThat(maxAbsDiff(studentPerturbed, studentTsf)).isGreaterThan(1e-5f);
        assertThat(maxAbsDiff(emdPerturbed, emdTsf)).isGreaterThan(1e-5f);
    }

    /**
     * With weak-view BatchNorm statistics the strong view trains exactly as before (same loss, same gradients)
     * but leaves the running statistics to the labelled weak view, which still moves them.
     */
    @Test
    void weakBatchNormStatisticsKeepTheStrongViewOutOfTheRunningStatistics() {
        float[] initial, weakOnly, all, gradWeakOnly, gradAll;
        float lossWeakOnly, lossAll;
        try (SemiFixtures.Harness h = new SemiFixtures.Harness(SemiFixtures.method(Terms.cps(), DATA, 2)
                .optWeakBatchNormStatistics(true).build())) {
            initial = runningStatistics(h.networks.get("friend"));
            StepOutput out = h.startAndStep(false);
            lossWeakOnly = out.loss().getFloat();
            gradWeakOnly = h.gradients("friend");
            h.afterUpdate(); // after the backward pass: the statistics before the strong forward come back
            weakOnly = runningStatistics(h.networks.get("friend"));
        }
        try (SemiFixtures.Harness h = new SemiFixtures.Harness(SemiFixtures.method(Terms.cps(), DATA, 2).build())) {
            StepOutput out = h.startAndStep(false);
            lossAll = out.loss().getFloat();
            gradAll = h.gradients("friend");
            h.afterUpdate();
            all = runningStatistics(h.networks.get("friend"));
        }
        assertThat(initial.length).as("the network has BatchNorm").isPositive();
        assertThat(maxAbsDiff(weakOnly, initial)).as("the labelled weak view still updates them").isGreaterThan(1e-4f);
        assertThat(maxAbsDiff(all, weakOnly)).as("without the option the strong view moves them too").isGreaterThan(1e-4f);
        assertThat(lossWeakOnly).isEqualTo(lossAll);
        assertThat(maxAbsDiff(gradWeakOnly, gradAll)).as("training itself is unchanged").isLessThanOrEqualTo(1e-7f);
    }

    private static float[] runningStatistics(Network n) {
        java.util.List<Float> values = new java.util.ArrayList<>();
        for (Parameter p : n.block().getParameters().values())
            if (p.getType() == Parameter.Type.RUNNING_MEAN || p.getType() == Parameter.Type.RUNNING_VAR)
                for (float v : p.getArray().toFloatArray()) values.add(v);
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) out[i] = values.get(i);
        return out;
    }

    /** Distribution alignment changes the Teacher's pseudo-labels and nothing the Teacher does not feed. */
    @Test
    void distributionAlignmentActsOnTheTeachersPseudoLabelsOnly() {
        double plainTs, plainReliable, plainSup;
        try (SemiFixtures.Harness h = new SemiFixtures.Harness(SemiFixtures.method(Terms.meanTeacher(), DATA, 2).build())) {
            StepOutput plain = h.startAndStep(false);
            plainTs = scalar(plain, "ts");
            plainReliable = scalar(plain, "reliable_ratio");
            plainSup = scalar(plain, "sup_s");
        }
        try (SemiFixtures.Harness h = new SemiFixtures.Harness(SemiFixtures.method(Terms.meanTeacher(), DATA, 2)
                .optDistributionAlignment(true).build())) {
            StepOutput aligned = h.startAndStep(false);
            assertThat(scalar(aligned, "sup_s")).isEqualTo(plainSup);
            assertThat(Math.abs(scalar(aligned, "ts") - plainTs) + Math.abs(scalar(aligned, "reliable_ratio") - plainReliable))
                    .as("the aligned Teacher gives other targets").isGreaterThan(1e-6);
        }
    }

    /** The ramp-up scales exactly the two unsupervised terms at step 0, and is off after a warm start. */
    @Test
    void theRampUpWeighsOnlyTheUnsupervisedTerms() {
        try (SemiFixtures.Harness h = new SemiFixtures.Harness(SemiFixtures.method(Terms.tsf(true), DATA, 2).optRampUp(100).build())) {
            StepOutput out = h.startAndStep(false, false);
            double w = Math.exp(-5);
            assertThat(out.scalars().get("unsup_weight").getFloat()).isCloseTo((float) w, within(1e-6f));
            assertThat(out.loss().getFloat()).isCloseTo((float) (scalar(out, "sup_s") + scalar(out, "sup_f") + scalar(out, "emd")
                    + w * (scalar(out, "ts") + 1.5 * scalar(out, "cps"))), within(1e-4f));
            assertThat(scalar(out, "ts") + scalar(out, "cps")).as("the terms themselves are computed").isPositive();
        }
        try (SemiFixtures.Harness h = new SemiFixtures.Harness(SemiFixtures.method(Terms.tsf(true), DATA, 2).optRampUp(100).build())) {
            StepOutput out = h.startAndStep(false, true);
            assertThat(out.scalars()).doesNotContainKey("unsup_weight");
            assertThat(out.loss().getFloat()).isCloseTo((float) (scalar(out, "sup_s") + scalar(out, "sup_f") + scalar(out, "emd")
                    + scalar(out, "ts") + 1.5 * scalar(out, "cps")), within(1e-4f));
        }
    }

    /** The loss weights scale their own terms: a weight ignored, swapped or fixed at the default would not add up. */
    @Test
    void theLossWeightsScaleTheirOwnTerms() {
        try (SemiFixtures.Harness h = new SemiFixtures.Harness(SemiFixtures.method(Terms.tsf(true), DATA, 2).optLossWeights(0.5, 0.75).build())) {
            StepOutput out = h.startAndStep(false, true);
            assertThat(scalar(out, "ts")).as("the Teacher term is computed").isPositive();
            assertThat(scalar(out, "cps")).as("the CPS term is computed").isPositive();
            assertThat(out.loss().getFloat()).isCloseTo((float) (scalar(out, "sup_s") + scalar(out, "sup_f") + scalar(out, "emd")
                    + 0.5 * scalar(out, "ts") + 0.75 * scalar(out, "cps")), within(1e-4f));
        }
    }

    /**
     * A term at weight 0 is not computed: no Friend without CPS weight, no pseudo-labels without the Teacher's,
     * and with both at 0 the Student's step is the supervised method's, gradient and running statistics alike
     * (it never sees an unlabelled image).
     */
    @Test
    void unsupervisedTermsAtWeightZeroAreNotComputed() {
        SemiSupervisedMethod both = SemiFixtures.method(Terms.tsf(true), DATA, 2).optLossWeights(0, 0).optRampUp(100).build();
        SemiSupervisedMethod teacherOnly = SemiFixtures.method(Terms.tsf(true), DATA, 2).optLossWeights(1, 0).build();
        SemiSupervisedMethod cpsOnly = SemiFixtures.method(Terms.tsf(true), DATA, 2).optLossWeights(0, 1.5).build();
        assertThat(both.networks()).extracting(NetworkRole::name).containsExactly("student", "teacher", "emd");
        assertThat(teacherOnly.networks()).extracting(NetworkRole::name).containsExactly("student", "teacher", "emd");
        assertThat(cpsOnly.networks()).extracting(NetworkRole::name).containsExactly("student", "friend", "teacher", "emd");
        assertThat(both.evaluationNetwork()).isEqualTo("teacher");
        assertThat(both.name()).isEqualTo("tsf");

        float[] gradient, statistics;
        try (SemiFixtures.Harness h = new SemiFixtures.Harness(both)) {
            StepOutput out = h.startAndStep(false);
            assertThat(out.scalars()).containsKeys("sup_s", "emd")
                    .doesNotContainKeys("ts", "cps", "sup_f", "reliable_ratio", "sf_disagreement", "unsup_weight");
            assertThat(out.loss().getFloat()).isCloseTo((float) (scalar(out, "sup_s") + scalar(out, "emd")), within(1e-5f));
            gradient = h.gradients("student");
            statistics = h.parameters("student");
        }
        try (SemiFixtures.Harness h = new SemiFixtures.Harness(SupervisedMethod.builder()
                .setNetwork(Components.deeplab(SemiFixtures.SPEC)).setLabelled(DATA.labelled()).setBatchSize(2)
                .optAugmentation((s, r) -> Augmentations.randomCrop(s, s.width(), s.height(), r)).build())) {
            h.startAndStep(false);
            assertThat(maxAbs(gradient)).isPositive();
            assertThat(maxAbsDiff(h.gradients("student"), gradient)).as("the supervised method's gradient").isLessThanOrEqualTo(1e-7f);
            assertThat(maxAbsDiff(h.parameters("student"), statistics)).as("running statistics of labelled images only")
                    .isLessThanOrEqualTo(1e-7f);
        }
        try (SemiFixtures.Harness h = new SemiFixtures.Harness(cpsOnly)) {
            StepOutput out = h.startAndStep(false);
            assertThat(out.scalars()).containsKeys("cps", "sf_disagreement").doesNotContainKeys("ts", "reliable_ratio");
            assertThat(out.loss().getFloat()).isCloseTo((float) (scalar(out, "sup_s") + scalar(out, "sup_f") + scalar(out, "emd")
                    + 1.5 * scalar(out, "cps")), within(1e-4f));
        }
        try (SemiFixtures.Harness h = new SemiFixtures.Harness(teacherOnly)) {
            StepOutput out = h.startAndStep(false);
            assertThat(out.scalars()).containsKeys("ts", "reliable_ratio").doesNotContainKeys("cps", "sup_f");
            assertThat(out.loss().getFloat()).isCloseTo((float) (scalar(out, "sup_s") + scalar(out, "emd") + scalar(out, "ts")), within(1e-4f));
        }
    }

    /**
     * Class weights reach the supervised terms of both method families the same way: a TSF Student without
     * unsupervised terms gets the supervised method's gradient at the same power, and another one than unweighted.
     */
    @Test
    void classWeightsWeighTheSupervisedTermsOfBothMethods() {
        float[] tsfWeighted, supervisedWeighted, unweighted;
        try (SemiFixtures.Harness h = new SemiFixtures.Harness(SemiFixtures.method(Terms.tsf(true), DATA, 2)
                .optLossWeights(0, 0).optClassWeightPower(0.5).build())) {
            h.startAndStep(false);
            tsfWeighted = h.gradients("student");
        }
        try (SemiFixtures.Harness h = new SemiFixtures.Harness(supervised(0.5))) {
            h.startAndStep(false);
            supervisedWeighted = h.gradients("student");
        }
        try (SemiFixtures.Harness h = new SemiFixtures.Harness(supervised(0))) {
            h.startAndStep(false);
            unweighted = h.gradients("student");
        }
        assertThat(maxAbsDiff(tsfWeighted, supervisedWeighted)).isLessThanOrEqualTo(1e-7f);
        assertThat(maxAbsDiff(supervisedWeighted, unweighted)).as("weighting changes the gradient").isGreaterThan(1e-5f);
        assertThatThrownBy(() -> SemiFixtures.method(Terms.tsf(true), DATA, 2).optClassWeightPower(-0.1).build())
                .hasMessageContaining("class weight power must be in [0, 1]");
    }

    private static SupervisedMethod supervised(double classWeightPower) {
        return SupervisedMethod.builder().setNetwork(Components.deeplab(SemiFixtures.SPEC)).setLabelled(DATA.labelled())
                .setBatchSize(2).optAugmentation((s, r) -> Augmentations.randomCrop(s, s.width(), s.height(), r))
                .optClassWeightPower(classWeightPower).build();
    }

    private static double scalar(StepOutput out, String name) {
        return out.scalars().get(name).getFloat();
    }

    /**
     * Detached outputs and argmax targets of a TRAINED network (parameters requiring gradients) feed a loss;
     * after backward its parameters' gradients are exactly zero. (DJL's hasGradient() reports false for every
     * non-leaf array, so the check has to be functional.)
     */
    @Test
    void teacherOutputsAndCrossTargetsCarryNoGradient() {
        try (SemiFixtures.Harness h = new SemiFixtures.Harness(SemiFixtures.method(Terms.tsf(true), DATA, 2).build());
             NDManager m = h.manager.newSubManager()) {
            Network student = h.networks.get("student");
            NDArray x = m.randomNormal(new Shape(2, 3, 32, 32));
            NDArray w = m.randomNormal(new Shape(2, SemiFixtures.CLASSES, 32, 32));
            w.setRequiresGradient(true);
            // sanity: through the plain outputs the student does get a gradient
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                c.backward(student.forward(m, x, true).get(0).mul(w).sum());
            }
            assertThat(maxAbs(h.gradients("student"))).isPositive();
            student.optimizer().zeroGradients();

            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                NDList detached = SemiSupervisedMethod.detached(student, m, x);
                assertThat(detached).hasSize(3);
                NDArray viaDetached = detached.get(0).mul(w).sum().add(detached.get(1).sum().mul(w.sum()))
                        .add(detached.get(2).sum().mul(w.sum()));
                NDArray logits = student.forward(m, x, true).get(0);
                NDArray viaHard = Losses.crossEntropy(w, SemiSupervisedMethod.hard(logits)).loss();
                c.backward(viaDetached.add(viaHard));
            }
            assertThat(maxAbs(w.getGradient().toFloatArray())).as("the loss is differentiable").isPositive();
            assertThat(maxAbs(h.gradients("student"))).as("no gradient through detached outputs or argmax targets").isZero();
        }
    }

    @Test
    void maskedPixelsContributeNothingToTheTeacherStudentLoss() {
        int n = 2, k = 4, hgt = 6, w = 6, plane = hgt * w;
        SplittableRandom r = new SplittableRandom(2);
        int[] pred = new int[n * plane];
        float[] conf = new float[n * plane], emd = new float[n * plane];
        int[] refined = new int[n * plane];
        Arrays.fill(refined, LabelSpace.IGNORE);
        for (int i = 0; i < pred.length; i++) {
            pred[i] = r.nextInt(k);
            conf[i] = (float) r.nextDouble();
            emd[i] = (float) r.nextDouble();
            if (r.nextInt(10) == 0) refined[i] = r.nextInt(k);
        }
        PseudoLabels pseudo = PseudoLabels.compose(pred, conf, emd, 0.5, refined);
        CutMixPlan plan = CutMixPlan.draw(n, hgt, w, SemiFixtures.cutMix(), r);
        int[] targets = plan.applyMasks(pseudo.targets());
        long masked = Arrays.stream(targets).filter(t -> t == LabelSpace.IGNORE).count();
        assertThat(masked).isBetween(1L, (long) targets.length - 1);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.randomNormal(new Shape(n, k, hgt, w));
            logits.setRequiresGradient(true);
            NDArray t = NativeStaging.int64(m, targets, new Shape(n, hgt, w));
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                Losses.Value v = Losses.crossEntropy(logits, t);
                assertThat(v.kept()).isEqualTo(targets.length - masked);
                c.backward(v.loss());
            }
            float[] g = logits.getGradient().toFloatArray();
            boolean someKeptGradient = false;
            for (int b = 0; b < n; b++)
                for (int p = 0; p < plane; p++)
                    for (int cls = 0; cls < k; cls++) {
                        float gv = g[(b * k + cls) * plane + p];
                        if (targets[b * plane + p] == LabelSpace.IGNORE) assertThat(gv).as("gradient at a masked pixel").isZero();
                        else someKeptGradient |= gv != 0f;
                    }
            assertThat(someKeptGradient).isTrue();
            // and the value: changing logits at masked pixels leaves the loss unchanged
            float[] lv = logits.toFloatArray();
            float before = Losses.crossEntropy(m.create(lv, logits.getShape()), t).lossValue();
            for (int b = 0; b < n; b++)
                for (int p = 0; p < plane; p++)
                    if (targets[b * plane + p] == LabelSpace.IGNORE) for (int cls = 0; cls < k; cls++) lv[(b * k + cls) * plane + p] += 5f * cls;
            assertThat(Losses.crossEntropy(m.create(lv, logits.getShape()), t).lossValue()).isEqualTo(before);
        }
    }

    @Test
    void theTeacherFollowsTheStudentByTheWarmUpEma() {
        // the default decay (0.99) is capped by the warm-up: at step 1, min(1 - 1/2, 0.99) = 0.5
        emaAtStepOne(SemiFixtures.method(Terms.meanTeacher(), DATA, 2), 0.5f);
        // a configured decay below the warm-up's is the one used: at step 1, min(0.5, 0.3) = 0.3
        emaAtStepOne(SemiFixtures.method(Terms.meanTeacher(), DATA, 2).optEmaDecay(0.3), 0.3f);
    }

    /** Step 0 copies the Student (decay 0); after the Student moves, step 1 leaves the Teacher at decay {@code expected} between them. */
    private static void emaAtStepOne(SemiSupervisedMethod.Builder builder, float expected) {
        try (SemiFixtures.Harness h = new SemiFixtures.Harness(builder.build())) {
            h.startAndStep(false);
            for (Network n : h.networks.values()) if (n.optimizer() != null) n.optimizer().step(0.05f);
            float[] student0 = h.parameters("student");
            assertThat(maxAbsDiff(h.parameters("teacher"), student0)).as("before the EMA").isGreaterThan(0f);
            NoGrad.run(() -> h.method.afterUpdate(context(h, 0)));
            assertThat(maxAbsDiff(h.parameters("teacher"), student0)).as("step 0: decay 0, the Teacher is the Student").isZero();

            perturbStudent(h.networks.get("student"));
            float[] student1 = h.parameters("student");
            NoGrad.run(() -> h.method.afterUpdate(context(h, 1)));
            float[] teacher1 = h.parameters("teacher");
            for (int i = 0; i < teacher1.length; i++)
                assertThat(teacher1[i]).isCloseTo((student0[i] - student1[i]) * expected + student1[i], within(1e-5f));
        }
    }

    private static StepContext context(SemiFixtures.Harness h, long step) {
        return new StepContext(step, 10, 0.01, h.manager, h.networks, new SplittableRandom(step));
    }

    private static void perturbStudent(Network student) {
        NoGrad.run(() -> {
            for (Parameter p : student.block().getParameters().values()) p.getArray().addi(0.25f);
        });
    }

    private static float maxAbs(float[] a) {
        float m = 0;
        for (float v : a) m = Math.max(m, Math.abs(v));
        return m;
    }

    private static float maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        float m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}
