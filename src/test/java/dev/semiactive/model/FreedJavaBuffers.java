package dev.semiactive.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Test support for the use-after-free that DJL's Number operands cause in a backward pass (NdOps class
 * comment): collects garbage, so the Java direct buffers of closed from_blob tensors are freed, then
 * allocates many small direct buffers filled with 0x7f bytes, so the freed memory is reused with a value
 * no gradient has (0x7f7f7f7f = 3.4e38). Call it between a forward and its backward.
 */
public final class FreedJavaBuffers {
    private FreedJavaBuffers() {
    }

    /**
     * d loss / d x, with the GC run and freed buffers overwritten between the forward and the backward pass;
     * {@code x} gets a gradient attached.
     */
    public static float[] gradientAfterGc(NDArray x, java.util.function.Function<NDArray, NDArray> loss) {
        x.setRequiresGradient(true);
        try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
            NDArray y = loss.apply(x);
            List<ByteBuffer> churn = overwrite();
            c.backward(y);
            if (churn.isEmpty()) throw new IllegalStateException("no buffers written");
        }
        return x.getGradient().toFloatArray();
    }

    /** The buffers written (keep them reachable until after the backward pass). */
    public static List<ByteBuffer> overwrite() {
        System.gc();
        try {
            Thread.sleep(50); // the Cleaner thread frees the collected buffers' memory
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<ByteBuffer> churn = new ArrayList<>();
        for (int k = 0; k < 2000; k++) {
            ByteBuffer b = ByteBuffer.allocateDirect(4 + (k % 8) * 4);
            while (b.hasRemaining()) b.put((byte) 0x7f);
            churn.add(b);
        }
        return churn;
    }
}
