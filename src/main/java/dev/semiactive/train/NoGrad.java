package dev.semiactive.train;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Runs code with PyTorch's autograd off. Needed around in-place parameter updates (SGD, EMA): PyTorch's grad
 * mode is on by default on every thread and closing a DJL gradient collector does not turn it off, so
 * without this an EMA {@code t.subi(s)} against a student parameter would record a graph into the teacher.
 */
public final class NoGrad {
    private NoGrad() {
    }

    /** As {@link #run} for a body with a result (an inference forward inside a step's gradient collector). */
    public static <T> T get(java.util.function.Supplier<T> body) {
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            return body.get();
        } finally {
            JniUtils.setGradMode(previous);
        }
    }

    public static void run(Runnable body) {
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            body.run();
        } finally {
            JniUtils.setGradMode(previous);
        }
    }
}
