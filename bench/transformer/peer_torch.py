"""Peer of `hypnos bench transformer`: the same RQ-Transformer architecture in PyTorch.

Written for this benchmark from DESIGN.md §6 (not the reference's code): it loads a bundle in the
published layout (the Java side writes the initialised model with `--save`, or any bundle of
ours), and times the same workloads on the same weights:

    /usr/bin/python3 bench/transformer/peer_torch.py BUNDLE.safetensors \
        [--seconds 28800] [--chunk 2048] [--batch 4] [--train-seconds 256] [--steps 2] \
        [--threads 2] [--attention dense|blockwise] [--check OUT.npz]

Prints one JSON line per workload: {"workload", "wall_s", "peak_rss_mb", ...}.

- embed: a night of random tokens (8 modalities × --seconds), chunked like the reference's
  temporal_context (BOS and RoPE position 0 at every chunk start), temporal transformer only.
- train: forward + backward of the next-token loss on a random batch (--batch × --train-seconds).
- attention: `dense` masks a full chunk × chunk score matrix (what plain PyTorch does without
  FlexAttention or SDPA, which Debian's torch 1.13 lacks); `blockwise` uses the windowed blocks
  the Java side uses. The Java benchmark runs both and compares with the faster.
- --check writes z and the loss for given tokens (used to cross-check the two implementations).

Threads: torch.set_num_threads(--threads), the same count DJL's libtorch uses.
"""
import argparse
import json
import math
import resource
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

# ----------------------------------------------------------------------------- bundle reading


def read_safetensors(path):
    """Tensor name -> float32/bool/int64 numpy array, and the metadata dict (plain-format reader)."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    meta = header.pop("__metadata__", {})
    out = {}
    for name, info in header.items():
        b, e = info["data_offsets"]
        raw = data[b:e]
        shape = info["shape"]
        dt = info["dtype"]
        if dt == "F32":
            a = np.frombuffer(raw, dtype="<f4")
        elif dt == "F16":
            a = np.frombuffer(raw, dtype="<f2").astype(np.float32)
        elif dt == "BF16":
            a = (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
        elif dt == "BOOL":
            a = np.frombuffer(raw, dtype=np.uint8).astype(bool)
        elif dt == "I64":
            a = np.frombuffer(raw, dtype="<i8")
        else:
            raise ValueError(f"{name}: dtype {dt}")
        out[name] = a.reshape(shape).copy()
    return out, meta


# ----------------------------------------------------------------------------- model


class Model:
    """Holds the weights as tensors by state-dict name and runs the forward passes."""

    def __init__(self, tensors, config, attention):
        self.w = {k[len("model/"):]: torch.from_numpy(v) for k, v in tensors.items()
                  if k.startswith("model/") and v.dtype == np.float32}
        kw = config["model_kwargs"]
        self.mods = config["modalities"]
        self.D = kw.get("embed_dim", 512)
        self.L = kw.get("temporal_depth", 8)
        self.H = kw.get("temporal_heads", 8)
        self.hd = self.D // self.H
        self.DD = kw.get("depth_dim") or self.D
        self.LD = kw.get("depth_depth", 4)
        self.HD = kw.get("depth_heads", 4)
        self.qk_norm = kw.get("qk_norm", False)
        self.channel = kw.get("channel_embeddings", False)
        self.swiglu = kw.get("swiglu", False)
        self.xsa = kw.get("xsa", False)
        self.mod_ffn = kw.get("modality_use_ffn", True)
        every, start = kw.get("modality_attn_every_n", 1), kw.get("modality_attn_start_layer", 0)
        self.mod_after = [i >= start and (i - start + 1) % every == 0 for i in range(self.L)]
        sw, gn, gw = kw.get("sliding_window"), kw.get("global_every_n"), kw.get("global_window")
        self.windows = []
        for i in range(self.L):
            if sw is None and gw is None:
                self.windows.append(0)
            else:
                w = gw if gn is not None and (i + 1) % gn == 0 else sw
                self.windows.append(w or 0)
        self.attention = attention
        self.M = len(self.mods)
        self.K = [m["num_quantizers"] for m in self.mods]
        self.V = [m["codebook_size"] for m in self.mods]
        self.offsets = np.cumsum([0] + self.K)[:-1].tolist()
        leaders = {}
        self.leader = []
        for m in self.mods:
            key = (m["signal_type"], m["num_quantizers"], m["codebook_size"])
            leaders.setdefault(key, m["name"])
            self.leader.append(leaders[key])
        half = self.hd // 2
        freqs = 1.0 / (10000.0 ** (torch.arange(0, self.hd, 2).float() / self.hd))
        self.freqs = freqs
        self.rope_cache = {}
        if "temporal_transformer.rope.cos_cached" in self.w:
            self.cos_cached = self.w["temporal_transformer.rope.cos_cached"]
            self.sin_cached = self.w["temporal_transformer.rope.sin_cached"]
        else:
            t = torch.arange(kw.get("max_seq_len", 2048)).float()
            self.cos_cached, self.sin_cached = torch.outer(t, freqs).cos(), torch.outer(t, freqs).sin()
        assert self.cos_cached.shape[1] == half

    def params(self):
        return [v for k, v in self.w.items() if "rope." not in k]

    # -- pieces
    def ln(self, x, name):
        return F.layer_norm(x, (x.shape[-1],), self.w[name + ".weight"], self.w[name + ".bias"], 1e-5)

    def lin(self, x, name, bias=True):
        return F.linear(x, self.w[name + ".weight"], self.w.get(name + ".bias") if bias else None)

    def ffn(self, x, name):
        if self.swiglu:
            g = self.lin(x, name + ".w_gate", False)
            return self.lin(F.silu(g) * self.lin(x, name + ".w_up", False), name + ".w_down", False)
        return self.lin(F.gelu(self.lin(x, name + ".0")), name + ".2")

    def rope(self, x, s):
        cos, sin = self.rope_tables(s)
        x1, x2 = x[..., 0::2], x[..., 1::2]
        return torch.stack((x1 * cos - x2 * sin, x2 * cos + x1 * sin), dim=-1).flatten(-2)

    def rope_tables(self, s):
        if s > self.cos_cached.shape[0]:
            t = torch.arange(s).float()
            self.cos_cached, self.sin_cached = torch.outer(t, self.freqs).cos(), torch.outer(t, self.freqs).sin()
        return self.cos_cached[:s], self.sin_cached[:s]

    def heads(self, x, h):
        return x.view(*x.shape[:-1], h, x.shape[-1] // h).transpose(-2, -3)

    def merge(self, x):
        x = x.transpose(-2, -3)
        return x.reshape(*x.shape[:-2], -1)

    def window_attention(self, q, k, v, window):
        s = q.shape[-2]
        scale = 1.0 / math.sqrt(q.shape[-1])
        if self.attention == "blockwise" and window and s > window:
            w = window
            nb = -(-s // w)
            pad = nb * w - s
            if pad:
                q, k, v = (F.pad(t, (0, 0, 0, pad)) for t in (q, k, v))
            qb, kb, vb = (t.reshape(*t.shape[:-2], nb, w, t.shape[-1]) for t in (q, k, v))
            prev = lambda t: torch.cat([torch.zeros_like(t[..., :1, :, :]), t[..., :-1, :, :]], dim=-3)
            kk = torch.cat([prev(kb), kb], dim=-2)
            vv = torch.cat([prev(vb), vb], dim=-2)
            i = torch.arange(w).view(w, 1)
            j = torch.arange(2 * w).view(1, 2 * w)
            dist = i - (j - w)
            ok = (dist >= 0) & (dist < w)
            ok = ok.unsqueeze(0).repeat(nb, 1, 1)
            ok[0, :, :w] = False
            scores = (qb * scale) @ kk.transpose(-1, -2)
            scores = scores.masked_fill(~ok, float("-inf"))
            out = scores.softmax(-1) @ vv
            return out.reshape(*out.shape[:-3], nb * w, out.shape[-1])[..., :s, :]
        i = torch.arange(s).view(s, 1)
        j = torch.arange(s).view(1, s)
        ok = (j <= i) & ((i - j < window) if window else True)
        scores = (q * scale) @ k.transpose(-1, -2)
        return scores.masked_fill(~ok, float("-inf")).softmax(-1) @ v

    def temporal_layer(self, x, i):
        p = f"temporal_transformer.temporal_layers.{i}"
        h = self.ln(x, p + ".norm1")
        q = self.heads(self.lin(h, p + ".q_proj", False), self.H)
        k = self.heads(self.lin(h, p + ".k_proj", False), self.H)
        v = self.heads(self.lin(h, p + ".v_proj", False), self.H)
        if self.qk_norm:
            eps = torch.finfo(torch.float32).eps
            q = q * torch.rsqrt(q.pow(2).mean(-1, keepdim=True) + eps) * self.w[p + ".q_norm.weight"]
            k = k * torch.rsqrt(k.pow(2).mean(-1, keepdim=True) + eps) * self.w[p + ".k_norm.weight"]
        s = x.shape[-2]
        q, k = self.rope(q, s), self.rope(k, s)
        a = self.window_attention(q, k, v, self.windows[i])
        if self.xsa:
            u = F.normalize(v, dim=-1)
            a = a - (a * u).sum(-1, keepdim=True) * u
        x = x + self.w[p + ".layer_scale_attn"] * self.lin(self.merge(a), p + ".out_proj", False)
        return x + self.w[p + ".layer_scale_ffn"] * self.ffn(self.ln(x, p + ".norm2"), p + ".ffn")

    def modality_layer(self, x, j, allowed):
        """x [B, S, M, D]; allowed [B, M, M] bool or None."""
        p = f"temporal_transformer.modality_layers.{j}"
        x = x + self.w[p + ".pos_embed.weight"]
        h = self.ln(x, p + ".norm1")
        q = self.heads(self.lin(h, p + ".q_proj", False), self.H)
        k = self.heads(self.lin(h, p + ".k_proj", False), self.H)
        v = self.heads(self.lin(h, p + ".v_proj", False), self.H)
        scores = (q / math.sqrt(self.hd)) @ k.transpose(-1, -2)  # [B, S, H, M, M]
        if allowed is not None:
            row_any = allowed.any(-1, keepdim=True)  # rows that see nothing get zeros
            m = (allowed | ~row_any)[:, None, None]
            probs = scores.masked_fill(~m, float("-inf")).softmax(-1) * row_any[:, None, None].float()
        else:
            probs = scores.softmax(-1)
        x = x + self.w[p + ".layer_scale_attn"] * self.lin(self.merge(probs @ v), p + ".out_proj", False)
        if self.mod_ffn:
            x = x + self.w[p + ".layer_scale_ffn"] * self.ffn(self.ln(x, p + ".norm2"), p + ".ffn")
        return x

    def code_embeddings(self, tokens, depth=False):
        """tokens [B, S, ΣK] -> list over modalities of list over levels of [B, S, D]."""
        out = []
        for i, m in enumerate(self.mods):
            lvl = []
            for k in range(self.K[i]):
                name = (f"depth_transformer.per_group_embeddings.{self.leader[i]}.{k}.weight" if depth
                        else f"token_embeddings.{self.leader[i]}.{k}.weight")
                lvl.append(F.embedding(tokens[:, :, self.offsets[i] + k], self.w[name]))
            out.append(lvl)
        return out

    def temporal(self, tokens, presence, channels):
        """tokens [B, S, ΣK] int64 -> z [B, M, S, D]; one chunk (BOS and RoPE restart here)."""
        b, s, _ = tokens.shape
        codes = self.code_embeddings(tokens[:, : s - 1])
        rows = []
        for i in range(self.M):
            bos = self.w[f"bos_embeds.{self.leader[i]}"].expand(b, 1, self.D)
            agg = sum(codes[i]) if s > 1 else bos[:, :0]
            rows.append(torch.cat([bos, agg], dim=1))
        x = torch.stack(rows, dim=1)  # [B, M, S, D]
        pres = presence.float()
        x = x * pres[:, :, None, None]
        if self.channel:
            x = x + (F.embedding(channels, self.w["channel_embed.weight"]) * pres[:, :, None])[:, :, None]
        allowed = None if bool(presence.all()) else presence[:, :, None] & presence[:, None, :]
        j = 0
        for i in range(self.L):
            x = self.temporal_layer(x.reshape(b * self.M, s, self.D), i).reshape(b, self.M, s, self.D)
            if self.mod_after[i]:
                x = self.modality_layer(x.transpose(1, 2), j, allowed).transpose(1, 2)
                j += 1
        return self.ln(x, "temporal_transformer.norm")

    def depth_layer(self, x, l):
        p = f"depth_transformer.layers.{l}"
        h = self.ln(x, p + ".norm1")
        q = self.heads(self.lin(h, p + ".q_proj", False), self.HD)
        k = self.heads(self.lin(h, p + ".k_proj", False), self.HD)
        v = self.heads(self.lin(h, p + ".v_proj", False), self.HD)
        kk = q.shape[-2]
        mask = torch.ones(kk, kk, dtype=torch.bool).tril()
        scores = (q / math.sqrt(q.shape[-1])) @ k.transpose(-1, -2)
        x = x + self.lin(self.merge(scores.masked_fill(~mask, float("-inf")).softmax(-1) @ v), p + ".out_proj", False)
        return x + self.ffn(self.ln(x, p + ".norm2"), p + ".ffn")

    def loss(self, tokens, presence, channels):
        """Next-token loss: CE per modality and level over present samples, mean over levels,
        then the mean over modalities present in the batch. Returns (loss, z, per-level [M][K])."""
        z = self.temporal(tokens, presence, channels)
        b, m, s, _ = z.shape
        codes = self.code_embeddings(tokens, depth=True)
        mod_emb = self.w["depth_transformer.modality_embeddings"]
        pos = self.w["depth_transformer.pos_embed.weight"]
        total, n_present, per_level = 0.0, 0, []
        for i in range(self.M):
            zi = z[:, i]
            cond = (self.lin(zi, "depth_transformer.context_proj") if self.DD != self.D else zi) + mod_emb[i]
            prefix = [torch.zeros_like(cond)]
            for k in range(1, self.K[i]):
                prefix.append(prefix[-1] + codes[i][k - 1])
            x = torch.stack(prefix, dim=2) + cond[:, :, None] + pos[: self.K[i]]  # [B, S, K, DD]
            x = x.reshape(b * s, self.K[i], self.DD)
            for l in range(self.LD):
                x = self.depth_layer(x, l)
            x = self.ln(x, "depth_transformer.norm").reshape(b, s, self.K[i], self.DD)
            weight = presence[:, i].float()[:, None].expand(b, s).reshape(-1)
            count = weight.sum()
            levels = []
            for k in range(self.K[i]):
                logits = self.lin(x[:, :, k], f"depth_transformer.per_group_output_heads.{self.leader[i]}.{k}")
                ce = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tokens[:, :, self.offsets[i] + k].reshape(-1),
                                     reduction="none")
                levels.append((ce * weight).sum() / count.clamp(min=1))
            per_level.append([float(v) if count > 0 else float("nan") for v in levels])
            if count > 0:
                total = total + torch.stack(levels).mean()
                n_present += 1
        return total / max(n_present, 1), z, per_level


# ----------------------------------------------------------------------------- workloads


def peak_rss_mb():
    """Peak resident memory of this process (VmHWM). ru_maxrss would not do: Linux keeps it across
    execve, so a peer started by the JVM would report the JVM's peak."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def random_tokens(model, b, s, seed):
    g = np.random.default_rng(seed)
    cols = [g.integers(0, model.V[i], size=(b, s)) for i in range(model.M) for _ in range(model.K[i])]
    return torch.from_numpy(np.stack(cols, axis=-1).astype(np.int64))


def embed_night(model, seconds, chunk):
    tokens = random_tokens(model, 1, seconds, 1)
    presence = torch.ones(1, model.M, dtype=torch.bool)
    channels = torch.arange(model.M).clamp(max=7)[None]
    with torch.no_grad():
        for start in range(0, seconds, chunk):
            model.temporal(tokens[:, start:start + chunk], presence, channels)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bundle")
    ap.add_argument("--seconds", type=int, default=28800)
    ap.add_argument("--chunk", type=int, default=2048)
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--train-seconds", type=int, default=256)
    ap.add_argument("--steps", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--attention", choices=["dense", "blockwise"], default="dense")
    ap.add_argument("--workloads", default="embed,train")
    ap.add_argument("--check", help="write z and loss for the tokens in CHECK_IN.npz to this .npz")
    ap.add_argument("--check-in")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    tensors, meta = read_safetensors(a.bundle)
    model = Model(tensors, json.loads(meta["config"]), a.attention)

    if a.check:
        inp = np.load(a.check_in)
        tokens = torch.from_numpy(inp["tokens"].astype(np.int64))
        presence = torch.from_numpy(inp["presence"].astype(bool))
        channels = torch.from_numpy(inp["channels"].astype(np.int64))
        with torch.no_grad():
            loss, z, per_level = model.loss(tokens, presence, channels)
        width = max(len(r) for r in per_level)
        padded = np.array([r + [float("nan")] * (width - len(r)) for r in per_level], dtype=np.float32)
        np.savez(a.check, z=z.numpy(), loss=np.float32(loss), per_level=padded)
        return

    info = {"torch": torch.__version__, "threads": torch.get_num_threads(), "attention": a.attention}
    if "embed" in a.workloads:
        t0 = time.perf_counter()
        embed_night(model, a.seconds, a.chunk)
        print(json.dumps({"workload": "embed", "wall_s": time.perf_counter() - t0, "peak_rss_mb": peak_rss_mb(),
                          "seconds": a.seconds, **info}), flush=True)
    if "train" in a.workloads:
        tokens = random_tokens(model, a.batch, a.train_seconds, 2)
        presence = torch.ones(a.batch, model.M, dtype=torch.bool)
        channels = torch.arange(model.M).clamp(max=7)[None].expand(a.batch, -1)
        params = model.params()
        for p in params:
            p.requires_grad_(True)
        best = float("inf")
        for _ in range(a.steps):
            for p in params:
                p.grad = None
            t0 = time.perf_counter()
            loss, _, _ = model.loss(tokens, presence, channels)
            loss.backward()
            best = min(best, time.perf_counter() - t0)
        print(json.dumps({"workload": "train", "step_s": best, "loss": float(loss), "peak_rss_mb": peak_rss_mb(),
                          "batch": a.batch, "seconds": a.train_seconds, **info}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
