#!/usr/bin/env python3
"""PyTorch peer of semiactive's speed benchmark (docs/speed.md).

The same DeepLabv3+ MobileNetV2 as dev.semiactive.model (torchvision MobileNetV2 layout without the
final 1280-channel conv, dilated last stages at output stride 16, ASPP 1x1 + 3x3 @ 6/12/18 + image pooling
of 256 channels, decoder with a 48-channel low-level projection and two 3x3 convs of 256, 1x1 classifier)
and the same error mask decoder (EMD), and the same three steps as the shipped code the Java benchmark runs (dev.semiactive.bench), op for op:

  train    supervised step: forward, cross-entropy (ignore 255), backward, SGD (momentum, weight decay)
  tsf      Teacher-Student-Friend step as SemiSupervisedMethod computes it: student and friend on the
           labelled and the strong unlabelled batch, CE + CPS, the EMD trained on the (detached, eval-mode)
           teacher's features of the labelled batch, teacher + EMD pseudo-labels on the weak view, one
           backward, SGD for student, friend and EMD, EMA update of the teacher
  score    pool scoring of a batch as loop.ScoringModel + loop.Refinement do it: teacher forward, softmax,
           EMD, copy-out of the probabilities, F1, F2 and EMD probability; per image argmax, confidence,
           error mask, PLAR (Euclidean/Mahalanobis vote) on F2 over the flagged pixels, back to image
           resolution, and the entropy map
  pool     the score step streamed over a pool of --pool-images images (total time and peak memory)
  check    one eval forward on a fixed input: sums of the outputs, to prove the Java model is the same

With --weights DIR the networks load the parameters the Java side wrote (dev.semiactive.bench.WeightFile),
so both sides compute the same numbers; without it they are initialised here.
Prints ONE line of JSON on stdout. Debian's python3-torch (PyTorch 1.13) is enough; nothing else is needed
besides numpy.
"""
import argparse
import json
import math
import os
import resource
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

IGNORE = 255
MAGIC = b"SABW"


# ---------------------------------------------------------------------------------------------- model


def make_divisible(value, divisor=8):
    """torchvision's _make_divisible (ModelSpec.makeDivisible)."""
    v = max(divisor, int(value + divisor / 2.0) // divisor * divisor)
    if v < 0.9 * value:
        v += divisor
    return v


def conv(cin, cout, k, stride=1, dilation=1, groups=1, bias=False):
    pad = (k - 1) // 2 * dilation
    return nn.Conv2d(cin, cout, k, stride=stride, padding=pad, dilation=dilation, groups=groups, bias=bias)


def conv_bn(cin, cout, k, stride=1, dilation=1, groups=1):
    return nn.Sequential(conv(cin, cout, k, stride, dilation, groups), nn.BatchNorm2d(cout, eps=1e-5, momentum=0.1))


def conv_bn_act(cin, cout, k, stride=1, dilation=1, groups=1, relu6=False):
    seq = conv_bn(cin, cout, k, stride, dilation, groups)
    seq.append(nn.ReLU6() if relu6 else nn.ReLU())
    return seq


class Residual(nn.Module):
    """MobileNetV2 inverted residual with identity shortcut (no activation after the sum)."""

    def __init__(self, main):
        super().__init__()
        self.main = main

    def forward(self, x):
        return self.main(x) + x


def inverted_residual(cin, cout, stride, dilation, t):
    hidden = int(round(cin * t))
    main = nn.Sequential()
    if t != 1:
        main.append(conv_bn_act(cin, hidden, 1, relu6=True))
    main.append(conv_bn_act(hidden, hidden, 3, stride, dilation, groups=hidden, relu6=True))
    main.append(conv_bn(hidden, cout, 1))
    return Residual(main) if stride == 1 and cin == cout else main


MOBILENET_V2 = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2),
                (6, 320, 1, 1)]
LOW_GROUPS = 2


class Encoder(nn.Module):
    """Encoders.mobileNetV2: stages whose stride would pass the output stride dilate instead."""

    def __init__(self, in_channels, width=1.0, output_stride=16):
        super().__init__()
        c = make_divisible(32 * width)
        self.low = nn.Sequential(conv_bn_act(in_channels, c, 3, 2, relu6=True))
        self.high = nn.Sequential()
        stride, dilation = 2, 1
        for g, (t, ch, n, s) in enumerate(MOBILENET_V2):
            out = make_divisible(ch * width)
            first_dilation = dilation
            if s > 1 and stride >= output_stride:
                first_stride = 1
                dilation *= s
            else:
                first_stride = s
                stride *= s
            target = self.low if g < LOW_GROUPS else self.high
            for i in range(n):
                target.append(inverted_residual(c, out, first_stride if i == 0 else 1,
                                                first_dilation if i == 0 else dilation, t))
                c = out
        self.high_channels = c
        self.low_channels = make_divisible(24 * width)

    def forward(self, x):
        low = self.low(x)
        return low, self.high(low)


class Aspp(nn.Module):
    def __init__(self, cin, channels=256, rates=(6, 12, 18)):
        super().__init__()
        self.branches = nn.ModuleList([conv_bn_act(cin, channels, 1)] +
                                      [conv_bn_act(cin, channels, 3, dilation=r) for r in rates])
        self.pooling = conv_bn_act(cin, channels, 1)
        self.projection = conv_bn_act(channels * (len(rates) + 2), channels, 1)

    def forward(self, x):
        outs = [b(x) for b in self.branches]
        pooled = x.mean(3, keepdim=True).mean(2, keepdim=True)
        image = self.pooling(pooled)
        outs.append(F.interpolate(image, size=x.shape[2:], mode="bilinear", align_corners=False))
        return self.projection(torch.cat(outs, 1))


class DeepLabV3Plus(nn.Module):
    """Returns (logits N x K x H x W, F1 N x 256 x H/16 x W/16, F2 N x 256 x H/4 x W/4)."""

    def __init__(self, in_channels=3, num_classes=11, width=1.0, output_stride=16):
        super().__init__()
        scale = 16 // output_stride
        self.encoder = Encoder(in_channels, width, output_stride)
        self.aspp = Aspp(self.encoder.high_channels, 256, (6 * scale, 12 * scale, 18 * scale))
        self.low_level_projection = conv_bn_act(self.encoder.low_channels, 48, 1)
        self.decoder = nn.Sequential(conv_bn_act(256 + 48, 256, 3), conv_bn_act(256, 256, 3))
        self.classifier = conv(256, num_classes, 1, bias=True)

    def forward(self, x):
        low, high = self.encoder(x)
        f1 = self.aspp(high)
        low_projected = self.low_level_projection(low)
        f1_up = F.interpolate(f1, size=low.shape[2:], mode="bilinear", align_corners=False)
        f2 = self.decoder(torch.cat([f1_up, low_projected], 1))
        coarse = self.classifier(f2)
        return F.interpolate(coarse, size=x.shape[2:], mode="bilinear", align_corners=False), f1, f2


class ErrorMaskDecoder(nn.Module):
    """concat(F1 resized to F2, F2) -> 3x3 conv-BN-ReLU x2 (64) -> 1x1 conv: a logit per F2 pixel."""

    def __init__(self, f1=256, f2=256, hidden=64):
        super().__init__()
        self.head = nn.Sequential(conv_bn_act(f1 + f2, hidden, 3), conv_bn_act(hidden, hidden, 3),
                                  conv(hidden, 1, 1, bias=True))

    def forward(self, f1, f2):
        f1_up = F.interpolate(f1, size=f2.shape[2:], mode="bilinear", align_corners=False)
        return self.head(torch.cat([f1_up, f2], 1))


def init_like_java(module):
    """Networks.initialize: Kaiming-normal fan-in for conv weights, biases 0, BN 1/0/0/1."""
    for m in module.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_in", nonlinearity="relu")
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)


def parameter_count(module):
    return sum(p.numel() for p in module.parameters())


# ------------------------------------------------------------------------------- weights from Java


def read_weight_file(path):
    """dev.semiactive.bench.WeightFile: 'SABW', int32 version, int32 count, then per tensor: UTF name,
    dtype byte (0 float32, 1 float64), int32 rank, int64 dims, little-endian data. Big-endian header ints
    (Java DataOutputStream), little-endian payload."""
    tensors = []
    with open(path, "rb") as f:
        if f.read(4) != MAGIC:
            raise SystemExit(f"{path} is not a semiactive bench weight file")
        _version, count = struct.unpack(">ii", f.read(8))
        for _ in range(count):
            (name_len,) = struct.unpack(">H", f.read(2))
            name = f.read(name_len).decode("utf-8")
            dtype = {0: np.float32, 1: np.float64}[f.read(1)[0]]
            (rank,) = struct.unpack(">i", f.read(4))
            shape = struct.unpack(">" + "q" * rank, f.read(8 * rank)) if rank else ()
            n = int(np.prod(shape)) if rank else 1
            data = np.frombuffer(f.read(n * np.dtype(dtype).itemsize), dtype=np.dtype(dtype).newbyteorder("<"))
            tensors.append((name, data.reshape(shape).astype(dtype)))
    return tensors


def load_java_weights(module, path):
    """Copies tensors in file order into the module's state in registration order (running statistics
    included, num_batches_tracked skipped): both sides register layers in the same order, and every shape
    is checked, so a layout difference fails loudly."""
    tensors = read_weight_file(path)
    targets = [(k, v) for k, v in module.state_dict().items() if not k.endswith("num_batches_tracked")]
    if len(tensors) != len(targets):
        raise SystemExit(f"{path}: {len(tensors)} tensors but the PyTorch model has {len(targets)}")
    with torch.no_grad():
        for (jname, value), (pname, target) in zip(tensors, targets):
            if tuple(value.shape) != tuple(target.shape):
                raise SystemExit(f"{path}: {jname} {value.shape} does not fit {pname} {tuple(target.shape)}")
            target.copy_(torch.from_numpy(value))


# ----------------------------------------------------------------------------------- synthetic data


def synthetic_images(first, n, channels, h, w):
    """SyntheticBatches.images: x[i,c,y,x] = 0.5 sin(0.11 x + 0.07 y + 1.3 c + 0.9 (first + i)), float64
    then float32, identical to the Java side."""
    i = np.arange(first, first + n, dtype=np.float64)[:, None, None, None]
    c = np.arange(channels, dtype=np.float64)[None, :, None, None]
    y = np.arange(h, dtype=np.float64)[None, None, :, None]
    x = np.arange(w, dtype=np.float64)[None, None, None, :]
    return (0.5 * np.sin(0.11 * x + 0.07 * y + 1.3 * c + 0.9 * i)).astype(np.float32)


def synthetic_masks(first, n, h, w, classes):
    """SyntheticBatches.masks: 8x8 blocks of class (bx + by + i) mod K, 255 where (x + 2y + i) mod 11 == 0."""
    i = np.arange(first, first + n, dtype=np.int64)[:, None, None]
    y = np.arange(h, dtype=np.int64)[None, :, None]
    x = np.arange(w, dtype=np.int64)[None, None, :]
    m = (x // 8 + y // 8 + i) % classes
    return np.where((x + 2 * y + i) % 11 == 0, IGNORE, m).astype(np.int64)


# ------------------------------------------------------------------------------------------- losses


def ce(logits, targets, weight=None):
    """Losses.crossEntropy: sum(w * nll) / max(sum(w), 1e-12) over pixels whose target is not 255."""
    nll = F.cross_entropy(logits, targets, ignore_index=IGNORE, reduction="none")
    w = (targets != IGNORE).float()
    if weight is not None:
        w = w * weight.float()
    return (nll * w).sum() / w.sum().clamp_min(1e-12)


def pooled(logits_a, targets_a, logits_b, targets_b):
    """SemiSupervisedMethod.pooled: two cross-entropies averaged over their pixels as one set."""
    kept_a = (targets_a != IGNORE).sum()
    kept_b = (targets_b != IGNORE).sum()
    total = (kept_a + kept_b).clamp_min(1)
    return (ce(logits_a, targets_a) * kept_a + ce(logits_b, targets_b) * kept_b) / total


def bce_with_logits(logits, targets, keep, pos_weight):
    """Losses.binaryCrossEntropyWithLogits, averaged over kept pixels."""
    per = F.binary_cross_entropy_with_logits(logits.reshape(-1), targets.reshape(-1).float(),
                                             pos_weight=torch.tensor(pos_weight), reduction="none")
    k = keep.reshape(-1).float()
    return (per * k).sum() / k.sum().clamp_min(1e-12)


# ---------------------------------------------------------------------------------------------- PLAR


def centre(o, n, m):
    return np.minimum(n - 1, ((2 * o + 1) * n) // (2 * m))


def downsample_nearest(a, out_h, out_w):
    """MaskResampling.downsampleNearest: the centre pixel of each block."""
    h, w = a.shape
    return a[centre(np.arange(out_h), h, out_h)][:, centre(np.arange(out_w), w, out_w)]


def block_starts(n, m):
    """MaskResampling.start for o = 0..m: first input index of each of m output cells over n inputs."""
    return (np.arange(m + 1, dtype=np.int64) * n) // m


def downsample_fraction(mask, out_h, out_w, min_fraction):
    """MaskResampling.downsampleFraction: a block is set when at least min_fraction of its pixels are."""
    h, w = mask.shape
    ys, xs = block_starts(h, out_h), block_starts(w, out_w)
    sums = np.add.reduceat(np.add.reduceat(mask.astype(np.int64), ys[:-1], axis=0), xs[:-1], axis=1)
    block = np.diff(ys)[:, None] * np.diff(xs)[None, :]
    return (sums > 0) & (sums >= min_fraction * block)


def upsample_nearest(a, out_h, out_w):
    """MaskResampling.upsampleNearest: every image pixel takes the value of the feature block covering it."""
    h, w = a.shape
    rows = np.repeat(np.arange(h), np.diff(block_starts(out_h, h)))
    cols = np.repeat(np.arange(w), np.diff(block_starts(out_w, w)))
    return a[rows][:, cols]


class Plar:
    """PlarRefiner with VoteRule: flagged unlabelled pixels whose pseudo class is a candidate get the class
    that is nearest in both Euclidean and Mahalanobis distance (float64, Cholesky factors)."""

    def __init__(self, means, factors, candidate):
        self.means = torch.from_numpy(means)            # K x d
        self.factors = torch.from_numpy(factors)        # K x d x d, lower
        self.candidate = candidate.astype(bool)         # K

    def refine(self, f2, pseudo, flagged):
        """f2: d x h x w float32 (host copy), pseudo: h x w int, flagged: h x w bool -> (labels, refined, undecided)
        maps at f2's resolution: labels holds the decided class where refined, 255 elsewhere."""
        d = f2.shape[0]
        labels = np.full(pseudo.shape, IGNORE, dtype=np.int64)
        refined = np.zeros(pseudo.shape, dtype=bool)
        undecided = flagged.copy()
        cand = self.candidate[pseudo] & flagged
        idx = np.flatnonzero(cand.reshape(-1))
        if idx.size == 0 or self.candidate.sum() < 2:
            return labels, refined, undecided
        feats = torch.from_numpy(f2.reshape(d, -1)[:, idx].T.astype(np.float64))   # P x d
        finite = torch.isfinite(feats).all(1)
        feats, idx = feats[finite], idx[finite.numpy()]
        k = self.means.shape[0]
        euc = torch.full((feats.shape[0], k), math.inf, dtype=torch.float64)
        mah = torch.full((feats.shape[0], k), math.inf, dtype=torch.float64)
        for c in range(k):
            if not self.candidate[c]:
                continue
            diff = feats - self.means[c]
            euc[:, c] = (diff * diff).sum(1)
            z = torch.linalg.solve_triangular(self.factors[c], diff.T, upper=False)
            mah[:, c] = (z * z).sum(0)
        e = euc.argmin(1)
        agree = (e == mah.argmin(1)).numpy()
        flat_labels, flat_refined, flat_undecided = labels.reshape(-1), refined.reshape(-1), undecided.reshape(-1)
        flat_labels[idx[agree]] = e.numpy()[agree]
        flat_refined[idx[agree]] = True
        flat_undecided[idx[agree]] = False
        return labels, refined, undecided


def read_plar(path, dim, classes):
    if path is None:
        # standalone: statistics of random features, every class a candidate (same cost as the Java side)
        g = torch.Generator().manual_seed(7)
        means = torch.randn(classes, dim, generator=g, dtype=torch.float64).numpy()
        factors = np.stack([np.linalg.cholesky(np.cov(np.random.default_rng(c).normal(size=(dim, 4 * dim))) + 1e-3 * np.eye(dim))
                            for c in range(classes)])
        return Plar(means, factors, np.ones(classes))
    t = dict(read_weight_file(path))
    return Plar(t["means"], t["factors"], t["candidates"])


# --------------------------------------------------------------------------------------------- steps


class Bench:
    def __init__(self, a):
        self.a = a
        self.h, self.w = a.size
        self.k = a.classes
        self.student = DeepLabV3Plus(a.channels, a.classes)
        self.friend = DeepLabV3Plus(a.channels, a.classes)
        self.teacher = DeepLabV3Plus(a.channels, a.classes)
        self.emd = ErrorMaskDecoder()
        for net in (self.student, self.friend, self.teacher, self.emd):
            init_like_java(net)
        if a.weights:
            load_java_weights(self.student, os.path.join(a.weights, "student.bin"))
            load_java_weights(self.friend, os.path.join(a.weights, "friend.bin"))
            load_java_weights(self.emd, os.path.join(a.weights, "emd.bin"))
        self.teacher.load_state_dict(self.student.state_dict())  # the teacher starts as the student
        for p in self.teacher.parameters():
            p.requires_grad_(False)
        self.teacher.eval()
        self.plar = None

    def sgd(self, *nets):
        params = [p for n in nets for p in n.parameters()]
        return torch.optim.SGD(params, lr=self.a.lr, momentum=0.9, weight_decay=self.a.weight_decay)

    # supervised ---------------------------------------------------------------------------------
    def train_setup(self):
        self.student.train()
        self.opt = self.sgd(self.student)
        self.x = synthetic_images(0, self.a.batch, self.a.channels, self.h, self.w)
        self.y = synthetic_masks(0, self.a.batch, self.h, self.w, self.k)

    def train_step(self):
        x, y = torch.from_numpy(self.x), torch.from_numpy(self.y)
        self.opt.zero_grad()
        loss = ce(self.student(x)[0], y)
        loss.backward()
        self.opt.step()
        return loss.item()

    # TSF ----------------------------------------------------------------------------------------
    def tsf_setup(self):
        """MethodStep.tsf: half the batch labelled (images 0..half-1), half unlabelled (half..batch-1); the
        strong view equals the weak one (photometric and CutMix off on both sides)."""
        half = self.a.batch // 2
        for n in (self.student, self.friend, self.emd):
            n.train()
        self.opt = self.sgd(self.student, self.friend, self.emd)
        self.xl = synthetic_images(0, half, self.a.channels, self.h, self.w)
        self.yl = synthetic_masks(0, half, self.h, self.w, self.k)
        self.xu = synthetic_images(half, half, self.a.channels, self.h, self.w)
        self.t = 0

    def tsf_step(self):
        """SemiSupervisedMethod.step with every TSF term on, op for op and in its order, then the loop's update
        and SemiSupervisedMethod.afterUpdate (EMA with warm-up). The scalars it logs are computed too."""
        a = self.a
        xl, yl, xu = torch.from_numpy(self.xl), torch.from_numpy(self.yl), torch.from_numpy(self.xu)
        xs = xu  # strong view = weak view
        self.opt.zero_grad()
        sl = self.student(xl)[0]
        sup_s = ce(sl, yl)
        su = self.student(xs)[0]
        fl = self.friend(xl)[0]
        fu = self.friend(xs)[0]
        sup_f = ce(fl, yl)
        cps = pooled(sl, fl.detach().argmax(1), su, fu.detach().argmax(1)) \
            + pooled(fl, sl.detach().argmax(1), fu, su.detach().argmax(1))
        with torch.no_grad():
            disagreement = (su.argmax(1) != fu.argmax(1)).float().mean()
        # EMD on the labelled batch: the Teacher's errors (eval, detached) as targets, the EMD's logit upsampled
        with torch.no_grad():
            t_logits, t_f1, t_f2 = self.teacher(xl)
        known = yl != IGNORE
        wrong = (t_logits.argmax(1) != yl) & known
        emd_logit = F.interpolate(self.emd(t_f1, t_f2), size=(self.h, self.w), mode="bilinear", align_corners=False)
        emd_loss = bce_with_logits(emd_logit, wrong, known, a.pos_weight)
        with torch.no_grad():
            flagged = torch.sigmoid(emd_logit) > 0.5
            tp = (flagged & wrong).sum()
            fp = (flagged & ~wrong & known).sum()
            fn = (~flagged & wrong).sum()
            precision = tp / (tp + fp).clamp_min(1)
            recall = tp / (tp + fn).clamp_min(1)
        # pseudo-labels: Teacher (eval) on the weak view, EMD in eval mode on its features
        with torch.no_grad():
            u_logits, u_f1, u_f2 = self.teacher(xu)
            self.emd.eval()
            emd_p = torch.sigmoid(F.interpolate(self.emd(u_f1, u_f2), size=(self.h, self.w), mode="bilinear",
                                                align_corners=False))[:, 0]
            self.emd.train()
            conf, arg = torch.softmax(u_logits, 1).max(1)
            reliable = (conf >= a.tau) & ~(emd_p > 0.5)
            target = torch.where(reliable, arg, torch.full_like(arg, IGNORE))
            ratios = (reliable.float().mean(), (conf < a.tau).float().mean(), (emd_p > 0.5).float().mean())
        ts = ce(su, target)
        loss = sup_s + sup_f + 1.5 * cps + emd_loss + 1.0 * ts
        loss.backward()
        self.opt.step()
        decay = min(1.0 - 1.0 / (self.t + 1), a.ema)  # EmaTeacher.decayAt
        with torch.no_grad():  # EMA of every tensor, running statistics included
            sd = self.student.state_dict()
            for name, t in self.teacher.state_dict().items():
                if t.dtype.is_floating_point:
                    t.sub_(sd[name]).mul_(decay).add_(sd[name])
        self.t += 1
        for v in (sup_s, sup_f, cps, emd_loss, ts, disagreement, precision, recall) + ratios:
            v.item()  # the loop reads every logged scalar
        return loss.item()

    # scoring ------------------------------------------------------------------------------------
    def score_setup(self):
        self.emd.eval()
        self.plar = read_plar(os.path.join(self.a.weights, "plar.bin") if self.a.weights else None, 256, self.k)
        self.x = synthetic_images(0, self.a.batch, self.a.channels, self.h, self.w)
        self.flagged = 0
        self.pixels = 0
        self.refined = 0

    def score_batch(self, x_np):
        """ScoringModel.score, then per image Refinement.refine (error mask, PLAR on F2, outcome at image
        resolution) and PixelScores.entropy; returns the mean pixel entropy."""
        a = self.a
        with torch.no_grad():
            logits, f1, f2 = self.teacher(torch.from_numpy(x_np))
            probs = torch.softmax(logits, 1)
            emd_p = torch.sigmoid(self.emd(f1, f2))
        # copy-out of everything the Java scorer hands over: probabilities, F1, F2, EMD probability
        probs_h, _f1_h, f2_h, emd_h = np.array(probs), np.array(f1), np.array(f2), np.array(emd_p)
        h, w = probs_h.shape[2:]
        h4, w4 = f2_h.shape[2:]
        entropy_sum = 0.0
        for i in range(x_np.shape[0]):
            p = probs_h[i]
            with np.errstate(divide="ignore", invalid="ignore"):
                entropy_sum += float(-np.where(p > 0, p * np.log(p), 0).sum())
            pred, conf = p.argmax(0), p.max(0)
            flagged = (conf < np.float32(a.tau)) | upsample_nearest(emd_h[i, 0] > 0.5, h, w)
            labels4, refined4, undecided4 = self.plar.refine(
                f2_h[i], downsample_nearest(pred, h4, w4), downsample_fraction(flagged, h4, w4, 0.25))
            refined = flagged & upsample_nearest(refined4, h, w)
            self.flagged += int(flagged.sum())
            self.pixels += flagged.size
            self.refined += int(refined.sum())
        return entropy_sum / (x_np.shape[0] * h * w)

    def score_step(self):
        return self.score_batch(self.x)


def peak_rss_bytes():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kB on Linux


def parse_size(s):
    h, w = s.lower().split("x")
    return int(h), int(w)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--mode", choices=["train", "tsf", "score", "pool", "check"], required=True)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--size", type=parse_size, default=(256, 256), help="HxW")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--classes", type=int, default=11)
    p.add_argument("--channels", type=int, default=3)
    p.add_argument("--pool-images", type=int, default=100)
    p.add_argument("--weights", help="directory with student.bin, friend.bin, emd.bin, plar.bin from Java")
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--weight-decay", type=float, default=1e-4)
    p.add_argument("--tau", type=float, default=0.7)
    p.add_argument("--ema", type=float, default=0.99)
    p.add_argument("--pos-weight", type=float, default=2.0)
    a = p.parse_args()
    if a.batch < 2 or (a.mode == "tsf" and (a.batch % 2 or a.batch < 4)):
        raise SystemExit("--batch must be >= 2 (tsf: even and >= 4, half labelled, half unlabelled)")

    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    b = Bench(a)
    result = {"engine": "pytorch", "torch": torch.__version__, "mode": a.mode, "batch": a.batch,
              "height": a.size[0], "width": a.size[1], "threads": torch.get_num_threads(),
              "parameters": parameter_count(b.student), "emdParameters": parameter_count(b.emd),
              "preload": os.environ.get("LD_PRELOAD", "")}

    if a.mode == "check":
        b.student.eval()
        b.emd.eval()
        with torch.no_grad():
            x = torch.from_numpy(synthetic_images(0, a.batch, a.channels, *a.size))
            logits, f1, f2 = b.student(x)
            e = b.emd(f1, f2)
        result["sums"] = {name: [float(t.double().sum()), float(t.double().abs().sum())]
                          for name, t in (("logits", logits), ("f1", f1), ("f2", f2), ("emd", e))}
        result["peakRssBytes"] = peak_rss_bytes()
        print(json.dumps(result))
        return

    if a.mode == "pool":
        b.score_setup()
        t0 = time.perf_counter()
        done = 0
        while done < a.pool_images:
            n = min(a.batch, a.pool_images - done)
            b.score_batch(synthetic_images(done, n, a.channels, *a.size))
            done += n
        total = time.perf_counter() - t0
        result.update({"images": done, "totalSeconds": total, "imagesPerSecond": done / total,
                       "flaggedFraction": b.flagged / max(1, b.pixels), "refinedFraction": b.refined / max(1, b.pixels),
                       "peakRssBytes": peak_rss_bytes()})
        print(json.dumps(result))
        return

    setup, step = {"train": (b.train_setup, b.train_step), "tsf": (b.tsf_setup, b.tsf_step),
                   "score": (b.score_setup, b.score_step)}[a.mode]
    setup()
    times, values = [], []
    profile = os.environ.get("SEMIACTIVE_BENCH_PROFILE")  # a path prefix: trace the measured steps (docs/speed.md)
    prof = None
    for i in range(a.warmup + a.steps):
        if profile and i == a.warmup:
            prof = torch.autograd.profiler.profile()
            prof.__enter__()
        t0 = time.perf_counter()
        values.append(step())
        if i >= a.warmup:
            times.append(time.perf_counter() - t0)
    if prof is not None:
        prof.__exit__(None, None, None)
        prof.export_chrome_trace(f"{profile}-{a.mode}-pytorch.json")
    median = float(np.median(times))
    result.update({"warmup": a.warmup, "steps": a.steps, "stepSeconds": times, "medianSeconds": median,
                   "imagesPerSecond": a.batch / median, "firstValue": values[0], "lastValue": values[-1],
                   "peakRssBytes": peak_rss_bytes()})
    if a.mode == "score":
        result["flaggedFraction"] = b.flagged / max(1, b.pixels)
        result["refinedFraction"] = b.refined / max(1, b.pixels)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
