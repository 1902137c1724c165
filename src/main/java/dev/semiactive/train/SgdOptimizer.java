package dev.semiactive.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import dev.semiactive.SemiactiveException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * SGD with momentum and weight decay, PyTorch semantics (dampening 0, no Nesterov):
 * {@code g = grad + wd * w;  buf = momentum * buf + g;  w -= lr * buf}.
 *
 * <p>Written here rather than taken from DJL's Trainer because its momentum buffers must be saved into a
 * checkpoint and restored exactly, which DJL's optimisers do not allow. Buffers live in a manager this
 * optimiser owns; updates are in place and every temporary is closed at once, so a step allocates nothing
 * that outlives it. Gradients are zeroed after each update (PyTorch accumulates them otherwise).
 */
public final class SgdOptimizer implements AutoCloseable {
    private final List<Pair<String, Parameter>> parameters = new ArrayList<>();
    private final NDManager manager;
    private final float momentum;
    private final float weightDecay;
    private final List<NDArray> buffers = new ArrayList<>();

    /**
     * @param block       an initialised block; its parameters that require a gradient are optimised
     * @param parent      manager under which the buffers are allocated (a sub-manager is made)
     * @param momentum    0.9 typically; 0 = plain SGD
     * @param weightDecay L2 coefficient added to the gradient, applied to every trained parameter
     */
    public SgdOptimizer(Block block, NDManager parent, float momentum, float weightDecay) {
        this.manager = parent.newSubManager();
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (!p.getValue().requiresGradient()) continue; // BatchNorm running statistics
            parameters.add(p);
            buffers.add(manager.zeros(p.getValue().getArray().getShape(), p.getValue().getArray().getDataType()));
        }
    }

    public float momentum() {
        return momentum;
    }

    public float weightDecay() {
        return weightDecay;
    }

    /** Names of the optimised parameters, in buffer order. */
    public List<String> parameterNames() {
        return parameters.stream().map(Pair::getKey).toList();
    }

    /** Applies one update with learning rate {@code lr} from the gradients of the last backward, then zeroes them. */
    public void step(float lr) {
        // in-place updates of leaves that require grad are refused with autograd on
        NoGrad.run(() -> {
            for (int i = 0; i < parameters.size(); i++) {
                NDArray w = parameters.get(i).getValue().getArray();
                NDArray buf = buffers.get(i);
                // getGradient wraps the tensor's .grad in a new handle: close the handle, the gradient stays
                try (NDArray g = w.getGradient()) {
                    if (weightDecay != 0f) {
                        try (NDArray decay = w.mul(weightDecay)) {
                            g.addi(decay);
                        }
                    }
                    buf.muli(momentum).addi(g);
                    try (NDArray update = buf.mul(lr)) {
                        w.subi(update);
                    }
                }
                // zero .grad in place for the next backward: zero_() rather than g - g, which leaves NaN where a
                // gradient was infinite or NaN and so poisons every later step (PyTorch's zero_grad zeroes)
                if (w instanceof PtNDArray pt) JniUtils.zeroGrad(pt);
            }
        });
    }

    /** L2 norm of all optimised parameters' gradients together (NaN or infinite when one of them is). */
    public double gradientNorm() {
        return NoGrad.get(() -> {
            double sum = 0;
            for (Pair<String, Parameter> p : parameters) {
                try (NDArray g = p.getValue().getArray().getGradient(); NDArray sq = g.square(); NDArray s = sq.sum()) {
                    sum += s.getFloat();
                }
            }
            return Math.sqrt(sum);
        });
    }

    /** Multiplies every optimised parameter's gradient by {@code factor}, in place (clipping). */
    public void scaleGradients(float factor) {
        NoGrad.run(() -> {
            for (Pair<String, Parameter> p : parameters) {
                try (NDArray g = p.getValue().getArray().getGradient()) {
                    g.muli(factor);
                }
            }
        });
    }

    /** Zeroes the gradients of the optimised parameters without updating (e.g. after a skipped step). */
    public void zeroGradients() {
        for (Pair<String, Parameter> p : parameters) {
            NDArray w = p.getValue().getArray();
            if (w instanceof PtNDArray pt) JniUtils.zeroGrad(pt);
        }
    }

    /** Writes the momentum buffers (DJL NDList encoding, parameter order). */
    public void save(OutputStream out) throws IOException {
        new NDList(buffers).encode(out);
    }

    /** Restores buffers written by {@link #save}, copying values into the existing buffers. */
    public void load(InputStream in, String source) throws IOException {
        try (NDManager tmp = manager.newSubManager()) {
            NDList loaded = NDList.decode(tmp, in);
            if (loaded.size() != buffers.size())
                throw new SemiactiveException(source + " holds " + loaded.size() + " momentum buffers but the network has "
                        + buffers.size() + " trained parameters: the checkpoint was made by another architecture");
            for (int i = 0; i < buffers.size(); i++) {
                if (!loaded.get(i).getShape().equals(buffers.get(i).getShape()))
                    throw new SemiactiveException(source + ": momentum buffer " + parameters.get(i).getKey() + " has shape "
                            + loaded.get(i).getShape() + ", expected " + buffers.get(i).getShape()
                            + ": the checkpoint was made by another architecture");
                buffers.get(i).set(loaded.get(i).toByteBuffer());
            }
        }
    }

    /** Copies of the buffers for inspection (tests), in {@code target}. */
    public NDList buffersCopy(NDManager target) {
        NDList out = new NDList();
        for (NDArray b : buffers) out.add(b.duplicate().toDevice(b.getDevice(), false));
        for (NDArray a : out) a.attach(target);
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
