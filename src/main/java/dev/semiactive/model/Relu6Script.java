package dev.semiactive.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;

/**
 * ReLU6 as libtorch's hardtanh(x, 0, 6), called through a one-line TorchScript module
 * ({@code relu6.pt}, written by {@code bench/make_relu6_script.py}).
 *
 * <p>Why: DJL's JNI binds no hardtanh. Its ReLU6 is minimum(6, relu(x)) and the alternative, clamp(x, 0,
 * 6), has a backward of four passes in libtorch 2.7 (ge, le, logical_and, where: 0.6 s of a 1.8 s training
 * step of DeepLabv3+ MobileNetV2 at 8x3x256x256, measured with the profiler, docs/speed.md), where
 * hardtanh's backward is one fused kernel, as in PyTorch's own nn.ReLU6. Values and gradients are the same
 * (gradient 1 strictly inside (0, 6), 0 elsewhere). Where the module cannot be loaded (another engine), it
 * falls back to clamp.
 */
final class Relu6Script {
    private static final Logger LOG = LoggerFactory.getLogger(Relu6Script.class);
    /** Loaded once per process; TorchScript modules are safe to call from several threads. */
    private static volatile PtSymbolBlock module;
    private static volatile boolean unavailable;

    private Relu6Script() {
    }

    /** Whether the TorchScript module is in use (false: the clamp fallback). */
    static boolean loaded() {
        return module() != null;
    }

    static NDArray apply(NDArray x) {
        PtSymbolBlock block = module();
        if (block == null) return x.clip(0, 6);
        // isTrain=true always: DJL's false turns autograd off inside the call (JITCallGuard), which would cut
        // the graph of a network run in eval mode under a gradient collector; true leaves the grad mode to the
        // caller, as every other operator of the forward does. hardtanh has no train/eval difference.
        return IValueUtils.forward(block, new NDList(x), true).singletonOrThrow();
    }

    private static PtSymbolBlock module() {
        PtSymbolBlock m = module;
        if (m != null || unavailable) return m;
        synchronized (Relu6Script.class) {
            if (module != null || unavailable) return module;
            if (!"PyTorch".equals(Engine.getInstance().getEngineName())) {
                unavailable = true;
                return null;
            }
            // a manager for the process's lifetime: the module is shared by every network
            NDManager manager = NDManager.newBaseManager();
            try (InputStream in = Relu6Script.class.getResourceAsStream("relu6.pt")) {
                if (in == null) throw new IOException("relu6.pt is not on the class path");
                module = JniUtils.loadModule((PtNDManager) manager, in, false, false);
            } catch (IOException | RuntimeException e) {
                LOG.warn("ReLU6 falls back to clamp (slower backward): {}", e.getMessage());
                manager.close();
                unavailable = true;
            }
            return module;
        }
    }
}
