#!/usr/bin/env python3
"""PyTorch peer for `hypnos bench tokenizer`: the same causal SEANet + RVQ tokenizer, the same
weights (read from the bundle-layout safetensors file the Java side writes), the same night and
the same training batch shape, timed in the same run.

Written for this benchmark from the architecture description (docs/tokenizer.md); it is not the
reference library's code. Output: one JSON object on stdout.

    python3 peer_torch.py --weights tok.safetensors --stem eeg --signal night.npy \
        --tokens-out peer_tokens.npy --batch 16 --train-seconds 10 --train-steps 3 --threads 2
"""
import argparse
import json
import math
import struct
import time

import numpy as np
import torch
import torch.nn.functional as F


def read_safetensors(path):
    """name -> np.ndarray (F32/F16/BF16 as float32, I64, BOOL); and the metadata dict."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    meta = header.pop("__metadata__", {})
    out = {}
    for name, info in header.items():
        a, b = info["data_offsets"]
        raw = data[a:b]
        dt = info["dtype"]
        if dt == "F32":
            arr = np.frombuffer(raw, "<f4")
        elif dt == "F16":
            arr = np.frombuffer(raw, "<f2").astype(np.float32)
        elif dt == "BF16":
            arr = (np.frombuffer(raw, "<u2").astype(np.uint32) << 16).view(np.float32)
        elif dt == "I64":
            arr = np.frombuffer(raw, "<i8")
        elif dt == "BOOL":
            arr = np.frombuffer(raw, np.uint8).astype(bool)
        else:
            raise ValueError(f"{name}: dtype {dt}")
        out[name] = arr.reshape(info["shape"]).copy()
    return out, meta


class Conv(torch.nn.Module):
    """Causal conv: reflect-pad (k-1)*d on the left, optional weight norm w = g*v/|v|."""

    def __init__(self, p, prefix, stride=1, dilation=1):
        super().__init__()
        wn = prefix + "conv.parametrizations.weight.original1" in p
        if wn:
            self.v = torch.nn.Parameter(torch.from_numpy(p[prefix + "conv.parametrizations.weight.original1"]))
            self.g = torch.nn.Parameter(torch.from_numpy(p[prefix + "conv.parametrizations.weight.original0"]))
        else:
            self.v = torch.nn.Parameter(torch.from_numpy(p[prefix + "conv.weight"]))
            self.g = None
        self.b = torch.nn.Parameter(torch.from_numpy(p[prefix + "conv.bias"]))
        self.stride, self.dilation = stride, dilation
        self.pad = (self.v.shape[-1] - 1) * dilation

    def weight(self):
        if self.g is None:
            return self.v
        return self.v * (self.g / self.v.flatten(1).norm(dim=1).view(-1, 1, 1))

    def forward(self, x):
        if self.pad:
            x = F.pad(x, (self.pad, 0), mode="reflect")
        return F.conv1d(x, self.weight(), self.b, stride=self.stride, dilation=self.dilation)


class ConvT(torch.nn.Module):
    """Causal transposed conv: ConvTranspose1d, last k - r outputs trimmed."""

    def __init__(self, p, prefix, stride):
        super().__init__()
        self.v = torch.nn.Parameter(torch.from_numpy(p[prefix + "conv.parametrizations.weight.original1"]))
        self.g = torch.nn.Parameter(torch.from_numpy(p[prefix + "conv.parametrizations.weight.original0"]))
        self.b = torch.nn.Parameter(torch.from_numpy(p[prefix + "conv.bias"]))
        self.stride = stride

    def forward(self, x):
        w = self.v * (self.g / self.v.flatten(1).norm(dim=1).view(-1, 1, 1))
        y = F.conv_transpose1d(x, w, self.b, stride=self.stride)
        trim = w.shape[-1] - self.stride
        return y[..., :-trim] if trim > 0 else y


class Res(torch.nn.Module):
    def __init__(self, p, prefix, dilation):
        super().__init__()
        self.c1 = Conv(p, prefix + "block.1.", dilation=dilation)
        self.c2 = Conv(p, prefix + "block.3.")

    def forward(self, x):
        return x + self.c2(F.elu(self.c1(F.elu(x))))


class Tokenizer(torch.nn.Module):
    def __init__(self, p, kw):
        super().__init__()
        ratios, nres, base = kw["ratios"], kw.get("n_residual_layers", 1), kw.get("dilation_base", 1)
        dil = lambda j: base ** j if base > 1 else 1
        self.hop = math.prod(ratios)
        self.enc_in = Conv(p, "encoder.initial_conv.")
        self.enc = torch.nn.ModuleList()
        for i, r in enumerate(ratios):
            blocks = [Res(p, f"encoder.stages.{i}.{j}.", dil(j)) for j in range(nres)]
            self.enc.append(torch.nn.ModuleList(blocks + [Conv(p, f"encoder.stages.{i}.{nres + 1}.", stride=r)]))
        self.enc_out = Conv(p, "encoder.final_conv.")
        self.proj_in_w = torch.nn.Parameter(torch.from_numpy(p["project_in.weight"]))
        self.proj_in_b = torch.nn.Parameter(torch.from_numpy(p["project_in.bias"]))
        self.proj_out_w = torch.nn.Parameter(torch.from_numpy(p["project_out.weight"]))
        self.proj_out_b = torch.nn.Parameter(torch.from_numpy(p["project_out.bias"]))
        k = kw["num_quantizers"]
        self.codes = [torch.from_numpy(p[f"quantizer.quantizers.{i}.embedding.weight"]) for i in range(k)]
        self.counts = [torch.from_numpy(p[f"quantizer.quantizers.{i}.ema_cluster_size"]) for i in range(k)]
        self.sums = [torch.from_numpy(p[f"quantizer.quantizers.{i}.ema_embed_sum"]) for i in range(k)]
        self.dec_in = Conv(p, "decoder.initial_conv.")
        self.dec = torch.nn.ModuleList()
        for i, r in enumerate(reversed(ratios)):
            blocks = [ConvT(p, f"decoder.stages.{i}.1.", r)] + [Res(p, f"decoder.stages.{i}.{2 + j}.", dil(j)) for j in range(nres)]
            self.dec.append(torch.nn.ModuleList(blocks))
        self.dec_out = Conv(p, "decoder.final_conv.")

    def encode_frames(self, x):
        x = F.pad(x, (0, self.hop))
        h = self.enc_in(x)
        for stage in self.enc:
            for layer in stage[:-1]:
                h = layer(h)
            h = stage[-1](F.elu(h))
        z = self.enc_out(h).transpose(1, 2)[:, 1:]
        return F.linear(z, self.proj_in_w, self.proj_in_b)

    @staticmethod
    def nearest(x, codes):
        d = x.pow(2).sum(1, keepdim=True) - 2 * x @ codes.t() + codes.pow(2).sum(1).unsqueeze(0)
        return d.argmin(1)

    def tokens(self, x):
        z = self.encode_frames(x)
        flat = z.reshape(-1, z.shape[-1])
        res, out = flat, []
        for c in self.codes:
            i = self.nearest(res, c)
            out.append(i)
            res = res - c[i]
        return torch.stack(out, 1).view(z.shape[0], z.shape[1], -1)

    def decode(self, zq):
        h = self.dec_in(F.linear(zq, self.proj_out_w, self.proj_out_b).transpose(1, 2))
        for stage in self.dec:
            h = stage[0](F.elu(h))
            for layer in stage[1:]:
                h = layer(h)
        return self.dec_out(h)

    def train_forward(self, x, step, decay=0.99, eps=1e-5):
        z = self.encode_frames(x)
        flat = z.reshape(-1, z.shape[-1])
        res, qsum, commit = flat, torch.zeros_like(flat), 0.0
        for lvl, c in enumerate(self.codes):
            with torch.no_grad():
                i = self.nearest(res.detach(), c)
                q = c[i]
                onehot = F.one_hot(i, c.shape[0]).float()
                cnt = onehot.sum(0)
                if step % 5 == 4:  # dead codes: EMA count < 0.1 x mean -> a random input
                    avg = self.counts[lvl].sum() / c.shape[0]
                    dead = self.counts[lvl] < 0.1 * avg
                    pick = res.detach()[torch.randint(0, res.shape[0], (c.shape[0],))]
                    self.sums[lvl] = torch.where(dead[:, None], pick * avg, self.sums[lvl])
                    self.counts[lvl] = torch.where(dead, avg.expand_as(self.counts[lvl]), self.counts[lvl])
                self.counts[lvl].mul_(decay).add_(cnt, alpha=1 - decay)
                self.sums[lvl].mul_(decay).add_(onehot.t() @ res.detach(), alpha=1 - decay)
                c.copy_(self.sums[lvl] / self.counts[lvl].clamp(min=eps)[:, None])
            commit = commit + 0.25 * F.mse_loss(res, q)
            res = res - q
            qsum = qsum + q
        zq = flat + (qsum - flat).detach()
        return self.decode(zq.view_as(z)), commit / len(self.codes)


def spectral_loss(y, x, sizes):
    total = 0.0
    for n in sizes:
        w = torch.hann_window(n)
        a = torch.stft(y.reshape(-1, y.shape[-1]), n, n // 4, window=w, center=False, return_complex=True)
        b = torch.stft(x.reshape(-1, x.shape[-1]), n, n // 4, window=w, center=False, return_complex=True)
        la = 0.5 * torch.log(a.real ** 2 + a.imag ** 2 + 1e-7)
        lb = 0.5 * torch.log(b.real ** 2 + b.imag ** 2 + 1e-7)
        total = total + (la - lb).abs().mean()
    return total / len(sizes)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--weights", required=True)
    ap.add_argument("--stem", required=True)
    ap.add_argument("--signal", required=True, help="night to encode, 1-D float32 .npy")
    ap.add_argument("--tokens-out")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--train-seconds", type=int, default=10)
    ap.add_argument("--train-steps", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--skip-encode", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    tensors, meta = read_safetensors(a.weights)
    kw = json.loads(meta["config"])["tokenizers"][a.stem]["tokenizer_kwargs"]
    prefix = f"tok/{a.stem}/"
    p = {k[len(prefix):]: v for k, v in tensors.items() if k.startswith(prefix)}
    model = Tokenizer(p, kw)
    signal = np.load(a.signal).astype(np.float32)
    result = {"torch": torch.__version__, "threads": torch.get_num_threads()}

    if not a.skip_encode:
        with torch.inference_mode():
            model.tokens(torch.from_numpy(signal[: 60 * model.hop]).view(1, 1, -1))  # warm-up
            t0 = time.perf_counter()
            tok = model.tokens(torch.from_numpy(signal).view(1, 1, -1))
            wall = time.perf_counter() - t0
        result["encode"] = {"wall_s": wall, "seconds": len(signal) / model.hop}
        if a.tokens_out:
            np.save(a.tokens_out, tok[0].numpy().astype(np.int64))

    rng = np.random.default_rng(0)
    n = a.train_seconds * model.hop
    sizes = sorted({1 << int(math.log2(max(16, s * kw["sample_rate"]))) for s in (0.25, 0.5, 1, 2)})
    params = [q for q in model.parameters()]
    opt = torch.optim.AdamW(params, lr=1e-4, betas=(0.9, 0.95), weight_decay=0.01)
    times = []
    for step in range(a.train_steps + 1):
        starts = rng.integers(0, len(signal) - n, a.batch)
        x = torch.from_numpy(np.stack([signal[s:s + n] for s in starts])).view(a.batch, 1, n)
        t0 = time.perf_counter()
        y, commit = model.train_forward(x, step)
        loss = (y - x).abs().mean() + 0.1 * spectral_loss(y, x, [s for s in sizes if s <= n]) + commit
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        if step > 0:  # the first step warms the allocator up
            times.append(time.perf_counter() - t0)
    result["train"] = {"step_s": float(np.median(times)), "batch": a.batch, "seconds": a.train_seconds,
                       "loss": float(loss)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
