#!/usr/bin/env python3
"""Writes src/main/resources/dev/semiactive/model/relu6.pt: ReLU6 as one TorchScript call of hardtanh(x, 0, 6).

Why (docs/speed.md): DJL's API reaches ReLU6 only as clamp (or minimum(relu)), whose backward in libtorch is
four passes (ge, le, logical_and, where); hardtanh's backward is one fused kernel. TorchScript is the one way
DJL can call an operator its JNI does not bind. Run with Debian's python3-torch (1.13); the file is committed,
so neither builds nor tests need Python.
"""
import pathlib
import torch


class ReLU6(torch.nn.Module):
    def forward(self, x):
        return torch.nn.functional.hardtanh(x, 0.0, 6.0)


out = pathlib.Path(__file__).resolve().parent.parent / "src/main/resources/dev/semiactive/model/relu6.pt"
torch.jit.script(ReLU6()).save(str(out))
print(out)
