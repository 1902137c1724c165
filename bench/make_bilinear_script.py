#!/usr/bin/env python3
"""Writes src/main/resources/dev/semiactive/model/bilinear.pt: bilinear upsampling (align_corners=False, no
antialiasing) as one TorchScript call of F.interpolate, the target size passed as a 2-element int64 tensor.

Why (docs/speed.md): DJL's JNI interpolation (torchNNInterpolate) always asks libtorch for the antialiased
kernel (_upsample_bilinear2d_aa). For upsampling the values are the same, but its backward took twice the
time of PyTorch's plain upsample_bilinear2d backward in the profile of the training step. TorchScript is the
one way DJL can call an operator its JNI does not bind as wanted. Run with Debian's python3-torch (1.13); the
file is committed, so neither builds nor tests need Python.
"""
import pathlib
import torch
from typing import List


class Bilinear(torch.nn.Module):
    def forward(self, x, size):
        hw: List[int] = [int(size[0]), int(size[1])]
        return torch.nn.functional.interpolate(x, size=hw, mode="bilinear", align_corners=False)


out = pathlib.Path(__file__).resolve().parent.parent / "src/main/resources/dev/semiactive/model/bilinear.pt"
torch.jit.script(Bilinear()).save(str(out))
print(out)
