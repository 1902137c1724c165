package dev.semiactive.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A libtorch operator that DJL's JNI does not bind (or binds only another way), reached through a tiny
 * TorchScript module whose source is given here and packed in memory ({@link TorchScriptArchive}). Loaded
 * once per process, on first use; where it cannot be loaded (another engine, a libtorch that rejects the
 * code) {@link #available()} is false and the caller falls back to DJL's own operator.
 */
final class ScriptedOp {
    private static final Logger LOG = LoggerFactory.getLogger(ScriptedOp.class);

    private final String className;
    private final String code;
    private final String fallback;
    private volatile PtSymbolBlock module;
    private volatile boolean unavailable;

    /**
     * @param className the module class the code defines in {@code __torch__}
     * @param code      TorchScript source of {@code code/__torch__.py}
     * @param fallback  what happens without it, for the one warning (e.g. "ReLU6 falls back to clamp")
     */
    ScriptedOp(String className, String code, String fallback) {
        this.className = className;
        this.code = code;
        this.fallback = fallback;
    }

    boolean available() {
        return module() != null;
    }

    /**
     * Calls the module. isTrain=true always: DJL's false turns autograd off inside the call (JITCallGuard),
     * which would cut the graph of a network run in eval mode under a gradient collector; true leaves the grad
     * mode to the caller, as every other operator of a forward does. Call only when {@link #available()}.
     */
    NDList call(NDList inputs) {
        return IValueUtils.forward(module(), inputs, true);
    }

    private PtSymbolBlock module() {
        PtSymbolBlock m = module;
        if (m != null || unavailable) return m;
        synchronized (this) {
            if (module != null || unavailable) return module;
            if (!"PyTorch".equals(Engine.getInstance().getEngineName())) {
                unavailable = true;
                return null;
            }
            // a manager for the process's lifetime: the module is shared by every network (TorchScript modules
            // are safe to call from several threads)
            NDManager manager = NDManager.newBaseManager();
            try (InputStream in = new ByteArrayInputStream(TorchScriptArchive.build(className, code))) {
                module = JniUtils.loadModule((PtNDManager) manager, in, false, false);
            } catch (IOException | RuntimeException e) {
                LOG.warn("{}: {}", fallback, e.getMessage());
                manager.close();
                unavailable = true;
            }
            return module;
        }
    }
}
