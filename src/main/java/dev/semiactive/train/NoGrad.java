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
