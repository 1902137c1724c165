package dev.semiactive.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * ReLU6 as libtorch's hardtanh(x, 0, 6), called through a one-line TorchScript module
 * (source below, packed by {@link TorchScriptArchive}).
 *
 * <p>Why: DJL's JNI binds no hardtanh. Its ReLU6 is minimum(6, relu(x)) and the alternative, clamp(x, 0,
 * 6), has a backward of four passes in libtorch 2.7 (ge, le, logical_and, where: 0.6 s of a 1.8 s training
 * step of DeepLabv3+ MobileNetV2 at 8x3x256x256, measured with the profiler, docs/speed.md), where
 * hardtanh's backward is one fused kernel, as in PyTorch's own nn.ReLU6. Values and gradients are the same
 * (gradient 1 strictly inside (0, 6), 0 elsewhere). Where the module cannot be loaded (another engine), it
 * falls back to clamp.
 */
final class Relu6Script {
    private static final ScriptedOp HARDTANH = new ScriptedOp("ReLU6", """
            class ReLU6(Module):
              __parameters__ = []
              __buffers__ = []
              training : bool
              def forward(self: __torch__.ReLU6,
                x: Tensor) -> Tensor:
                return torch.hardtanh(x, 0., 6.)
            """, "ReLU6 falls back to clamp (slower backward)");

    private Relu6Script() {
    }

    static boolean loaded() {
        return HARDTANH.available();
    }

    static NDArray apply(NDArray x) {
        if (!HARDTANH.available()) return x.clip(0, 6);
        return HARDTANH.call(new NDList(x)).singletonOrThrow();
    }
}
