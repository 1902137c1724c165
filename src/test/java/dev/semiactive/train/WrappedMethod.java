package dev.semiactive.train;

import org.slf4j.Logger;

import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/** Test wrapper around a method: runs a hook after each update (RSS probes, simulated crashes). */
class WrappedMethod implements TrainingMethod {
    private final TrainingMethod inner;
    private final LongConsumer afterStep;

    WrappedMethod(TrainingMethod inner, LongConsumer afterStep) {
        this.inner = inner;
        this.afterStep = afterStep;
    }

    /** Throws at the start of step {@code step}, as if the process were killed there. */
    static WrappedMethod crashingAt(TrainingMethod inner, long step) {
        return new WrappedMethod(inner, s -> {
            if (s + 1 == step) throw new IllegalStateException("simulated crash before step " + step);
        });
    }

    /** Returns a NaN loss (with NaN gradients) at the given steps, the inner method's loss otherwise. */
    static WrappedMethod nonFiniteAt(TrainingMethod inner, java.util.Set<Long> steps) {
        return new WrappedMethod(inner, s -> {
        }) {
            @Override
            public StepOutput step(StepContext context) {
                StepOutput out = super.step(context);
                if (!steps.contains(context.step())) return out;
                return new StepOutput(out.loss().mul(Float.NaN), out.scalars(), out.images());
            }
        };
    }

    /**
     * After the update of step {@code step - 1}, writes NaN into the first parameter of network {@code name}, as
     * one exploding update does to a BatchNorm statistic: step {@code step}'s loss is then NaN by itself.
     */
    static WrappedMethod poisonedAt(TrainingMethod inner, String name, long step) {
        return new WrappedMethod(inner, s -> {
        }) {
            @Override
            public void afterUpdate(StepContext context) {
                super.afterUpdate(context);
                if (context.step() + 1 == step)
                    context.network(name).block().getParameters().get(0).getValue().getArray().muli(Float.NaN);
            }
        };
    }

    /** Multiplies the loss (and so every gradient) by {@code factor} at the given steps. */
    static WrappedMethod scaledAt(TrainingMethod inner, java.util.Set<Long> steps, float factor) {
        return new WrappedMethod(inner, s -> {
        }) {
            @Override
            public StepOutput step(StepContext context) {
                StepOutput out = super.step(context);
                if (!steps.contains(context.step())) return out;
                return new StepOutput(out.loss().mul(factor), out.scalars(), out.images());
            }
        };
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public List<NetworkRole> networks() {
        return inner.networks();
    }

    @Override
    public String evaluationNetwork() {
        return inner.evaluationNetwork();
    }

    @Override
    public void start(MethodContext context) {
        inner.start(context);
    }

    @Override
    public StepOutput step(StepContext context) {
        return inner.step(context);
    }

    @Override
    public void afterUpdate(StepContext context) {
        inner.afterUpdate(context);
        afterStep.accept(context.step());
    }

    @Override
    public void onLog(long step, Map<String, Double> windowMeans, Logger log) {
        inner.onLog(step, windowMeans, log);
    }

    @Override
    public void close() {
        inner.close();
    }
}
