#!/usr/bin/env python3
"""Independent check of a Hypnos weight bundle against the published layout.

Parses the safetensors file with the standard library and numpy only (no safetensors package,
no Java), derives from the bundle's own config JSON every tensor name and shape the published
layout implies (the reference's state-dict names, as in data/golden/bundle_keys.txt), and
compares:

  * container: 8-byte little-endian header length, JSON header, data offsets contiguous, inside
    the file, and equal to dtype size x element count; metadata format_version == "1" and a
    config JSON with model_kwargs, modalities, tokenizers;
  * names and shapes: exactly the expected set, no missing and no extra tensor;
  * dtypes: F32/F16/BF16 for weights, BOOL for the modality mask and `initialized`, I64 for
    `usage_count`; every float tensor finite; tied tables equal under both names.

Usage: check_bundle_layout.py BUNDLE [--keys bundle_keys.txt]
  --keys: also require the tensor list (name, dtype, shape, order) to equal a key file in the
          format of data/golden/bundle_keys.txt (used to validate these rules on the golden).
Prints "OK <n> tensors" and exits 0, or prints every problem and exits 1.
"""
import json
import struct
import sys

import numpy as np

ITEM = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1}
FLOATS = {"F32", "F16", "BF16"}


def read_bundle(path):
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    if n > len(blob) - 8:
        raise ValueError(f"header length {n} exceeds the file")
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {})
    data = blob[8 + n:]
    return header, meta, data


def to_float(info, data):
    b, e = info["data_offsets"]
    raw = data[b:e]
    dt = info["dtype"]
    if dt == "F32":
        return np.frombuffer(raw, dtype="<f4").astype(np.float64)
    if dt == "F16":
        return np.frombuffer(raw, dtype="<f2").astype(np.float64)
    if dt == "BF16":
        u = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16
        return u.view(np.float32).astype(np.float64)
    raise ValueError(dt)


def expected_model(cfg):
    """name -> (shape, kind) for the RQ-Transformer, from config.model_kwargs and modalities."""
    kw = cfg["model_kwargs"]
    mods = cfg["modalities"]
    d = kw.get("embed_dim", 512)
    depth = kw.get("temporal_depth", 8)
    heads = kw.get("temporal_heads", 8)
    hd = d // heads
    dd = kw.get("depth_dim") or d
    ddepth = kw.get("depth_depth", 4)
    mlp = int(d * kw.get("temporal_mlp_ratio", 4.0))
    dmlp = int(dd * kw.get("depth_mlp_ratio", 4.0))
    max_len = kw.get("max_seq_len", 2048)
    every = kw.get("modality_attn_every_n", 1)
    start = kw.get("modality_attn_start_layer", 0)
    if kw.get("swiglu"):
        raise ValueError("this checker knows the GELU feed-forward layout only")
    m = len(mods)
    max_k = max(x["num_quantizers"] for x in mods)
    out = {}

    def put(name, shape, kind="float"):
        out["model/" + name] = (list(shape), kind)

    # Weight groups: modalities sharing (signal_type, K, V) share tables; the first one names them.
    leaders = {}
    for x in mods:
        leaders.setdefault((x["signal_type"], x["num_quantizers"], x["codebook_size"]), x)
    for (_, k, v), lead in leaders.items():
        name = lead["name"]
        put(f"bos_embeds.{name}", [d])
        for i in range(k):
            put(f"token_embeddings.{name}.{i}.weight", [v, d])
            put(f"depth_transformer.per_group_embeddings.{name}.{i}.weight", [v, dd])
            put(f"depth_transformer.per_group_output_heads.{name}.{i}.weight", [v, dd])
            put(f"depth_transformer.per_group_output_heads.{name}.{i}.bias", [v])
    if kw.get("channel_embeddings", False):
        put("channel_embed.weight", [8, d])

    def block(prefix, width, hidden, layer_scale, qk):
        for p in ("q_proj", "k_proj", "v_proj", "out_proj"):
            put(f"{prefix}.{p}.weight", [width, width])
        for n in ("norm1", "norm2"):
            put(f"{prefix}.{n}.weight", [width])
            put(f"{prefix}.{n}.bias", [width])
        put(f"{prefix}.ffn.0.weight", [hidden, width])
        put(f"{prefix}.ffn.0.bias", [hidden])
        put(f"{prefix}.ffn.2.weight", [width, hidden])
        put(f"{prefix}.ffn.2.bias", [width])
        if layer_scale:
            put(f"{prefix}.layer_scale_attn", [width])
            put(f"{prefix}.layer_scale_ffn", [width])
        if qk:
            put(f"{prefix}.q_norm.weight", [hd])
            put(f"{prefix}.k_norm.weight", [hd])

    for i in range(depth):
        block(f"temporal_transformer.temporal_layers.{i}", d, mlp, True, kw.get("qk_norm", False))
    j = 0
    for i in range(depth):
        if i >= start and (i - start + 1) % every == 0:
            block(f"temporal_transformer.modality_layers.{j}", d, mlp, True, False)
            put(f"temporal_transformer.modality_layers.{j}.pos_embed.weight", [m, d])
            j += 1
    put("temporal_transformer.norm.weight", [d])
    put("temporal_transformer.norm.bias", [d])
    put("temporal_transformer.rope.freqs", [hd // 2], "rope")
    put("temporal_transformer.rope.cos_cached", [max_len, hd // 2], "rope")
    put("temporal_transformer.rope.sin_cached", [max_len, hd // 2], "rope")
    put("temporal_transformer.modality_attn_mask", [m, m], "bool")
    for i in range(ddepth):
        block(f"depth_transformer.layers.{i}", dd, dmlp, False, False)
    put("depth_transformer.norm.weight", [dd])
    put("depth_transformer.norm.bias", [dd])
    put("depth_transformer.pos_embed.weight", [max_k, dd])
    put("depth_transformer.modality_embeddings", [m, dd])
    if dd != d:
        put("depth_transformer.context_proj.weight", [dd, d])
        put("depth_transformer.context_proj.bias", [dd])
    return out


def expected_tokenizer(stem, spec):
    """name -> (shape, kind) for one SEANet RVQ tokenizer from its tokenizer_kwargs."""
    kw = spec["tokenizer_kwargs"]
    if kw.get("attention_depth", 0):
        raise ValueError("this checker knows tokenizers without transformers only")
    f = kw.get("n_filters", 32)
    ratios = kw["ratios"]
    n_res = kw.get("n_residual_layers", 1)
    cin = kw.get("in_channels", 1)
    dim = kw["embed_dim"]
    cd = kw.get("codebook_dim") or dim
    v = kw["codebook_size"]
    k = kw["num_quantizers"]
    wn = kw.get("norm", "weight") == "weight"
    out = {}

    def put(name, shape, kind="float"):
        out[f"tok/{stem}/{name}"] = (list(shape), kind)

    def conv(prefix, cout, cin_, ksize, transposed=False, norm=True):
        put(f"{prefix}.conv.bias", [cout])
        shape = [cin_, cout, ksize] if transposed else [cout, cin_, ksize]
        if norm and wn:
            put(f"{prefix}.conv.parametrizations.weight.original0", [shape[0], 1, 1])
            put(f"{prefix}.conv.parametrizations.weight.original1", shape)
        else:
            put(f"{prefix}.conv.weight", shape)

    c = f
    conv("encoder.initial_conv", f, cin, 7)
    for s, r in enumerate(ratios):
        for j in range(n_res):
            conv(f"encoder.stages.{s}.{j}.block.1", c // 2, c, 3)
            conv(f"encoder.stages.{s}.{j}.block.3", c, c // 2, 1)
        conv(f"encoder.stages.{s}.{n_res + 1}", 2 * c, c, 2 * r)
        c *= 2
    conv("encoder.final_conv", dim, c, kw.get("last_kernel_size", 7))
    conv("decoder.initial_conv", c, dim, 7)
    for s, r in enumerate(reversed(ratios)):
        conv(f"decoder.stages.{s}.1", c // 2, c, 2 * r, transposed=True)
        for j in range(n_res):
            conv(f"decoder.stages.{s}.{j + 2}.block.1", c // 4, c // 2, 3)
            conv(f"decoder.stages.{s}.{j + 2}.block.3", c // 2, c // 4, 1)
        c //= 2
    conv("decoder.final_conv", cin, f, kw.get("last_kernel_size", 7), norm=False)
    put("project_in.weight", [cd, dim])
    put("project_in.bias", [cd])
    put("project_out.weight", [dim, cd])
    put("project_out.bias", [dim])
    for i in range(k):
        q = f"quantizer.quantizers.{i}"
        put(f"{q}.embedding.weight", [v, cd])
        put(f"{q}.ema_cluster_size", [v])
        put(f"{q}.ema_embed_sum", [v, cd])
        put(f"{q}.initialized", [], "bool")
        put(f"{q}.usage_count", [v], "int")
    return out


def check(path, keys_file=None):
    problems = []
    header, meta, data = read_bundle(path)
    # Container.
    spans = sorted((info["data_offsets"][0], info["data_offsets"][1], name) for name, info in header.items())
    pos = 0
    for b, e, name in spans:
        if b != pos:
            problems.append(f"{name}: data starts at {b}, expected {pos} (gap or overlap)")
        pos = e
        info = header[name]
        n = int(np.prod(info["shape"])) if info["shape"] else 1
        if info["dtype"] not in ITEM:
            problems.append(f"{name}: unknown dtype {info['dtype']}")
        elif e - b != n * ITEM[info["dtype"]]:
            problems.append(f"{name}: {e - b} bytes for {info['dtype']} {info['shape']}")
    if pos != len(data):
        problems.append(f"data section has {len(data)} bytes, tensors cover {pos}")
    if meta.get("format_version") != "1":
        problems.append(f"metadata format_version is {meta.get('format_version')!r}, expected '1'")
    cfg = json.loads(meta["config"])
    for key in ("model_kwargs", "modalities", "tokenizers"):
        if key not in cfg:
            problems.append(f"config has no {key}")
    # Names, shapes, dtypes.
    expected = expected_model(cfg)
    for stem, spec in cfg["tokenizers"].items():
        expected.update(expected_tokenizer(stem, spec))
    for mod in cfg["modalities"]:
        if mod["tokenizer"] not in cfg["tokenizers"]:
            problems.append(f"modality {mod['name']} names unknown tokenizer {mod['tokenizer']}")
    for name in sorted(set(expected) - set(header)):
        problems.append(f"missing tensor {name} {expected[name][0]}")
    for name in sorted(set(header) - set(expected)):
        problems.append(f"unexpected tensor {name} {header[name]['shape']}")
    for name in sorted(set(expected) & set(header)):
        shape, kind = expected[name]
        info = header[name]
        if list(info["shape"]) != shape:
            problems.append(f"{name}: shape {info['shape']}, expected {shape}")
        want = {"float": FLOATS, "rope": FLOATS, "bool": {"BOOL"}, "int": {"I64"}}[kind]
        if info["dtype"] not in want:
            problems.append(f"{name}: dtype {info['dtype']}, expected one of {sorted(want)}")
        elif info["dtype"] in FLOATS and not np.all(np.isfinite(to_float(info, data))):
            problems.append(f"{name}: non-finite values")
    # Tied tables: the depth transformer's code tables equal the temporal ones when widths match.
    for name in header:
        if name.startswith("model/depth_transformer.per_group_embeddings."):
            twin = name.replace("depth_transformer.per_group_embeddings.", "token_embeddings.")
            if twin in header and header[name]["shape"] == header[twin]["shape"]:
                if not np.array_equal(to_float(header[name], data), to_float(header[twin], data)):
                    problems.append(f"{name}: differs from its tied twin {twin}")
    if keys_file:
        listed = []
        with open(keys_file) as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) == 3:
                    listed.append((parts[0], parts[1], json.loads(parts[2])))
        ours = [(name, header[name]["dtype"], list(header[name]["shape"])) for _, _, name in spans]
        if sorted(listed) != sorted(ours):
            problems.append(f"tensor list differs from {keys_file}: "
                            f"{sorted(set(map(str, listed)) ^ set(map(str, ours)))[:5]}")
    return problems, len(header)


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 2
    keys = argv[argv.index("--keys") + 1] if "--keys" in argv else None
    problems, n = check(argv[0], keys)
    if problems:
        for p in problems:
            print(p)
        return 1
    print(f"OK {n} tensors")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
