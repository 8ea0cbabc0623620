#!/usr/bin/env python3
"""Writes the safetensors golden files the Java tests read (src/test/resources/safetensors/).

Needs numpy and PyTorch (Debian: /usr/bin/python3 with python3-torch). The safetensors library
itself is not required: mixed.safetensors is assembled here by hand, in the library's layout
(tensors by descending dtype alignment, then by name; compact JSON header with __metadata__
first; space padding to 8 bytes). Independent truth for the Java codecs:
  - F16 elements come from numpy's astype(float16), BF16 from torch's .to(torch.bfloat16);
  - bf16_digest is the SHA-256 of torch's bfloat16 conversion of 2^20 float32 bit patterns
    spread over the 32-bit range (NaN results canonicalised to 0x7FC0).
expected.json holds every tensor's float32 source values (as bit patterns) so that the Java
writer can rebuild the same file and compare bytes.

Run:  /usr/bin/python3 hypnos-core/src/test/python/safetensors_golden.py
"""
import hashlib
import json
import os
import struct

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "safetensors")
ORDER = ["BOOL", "U8", "I8", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64"]


def f32(values):
    return np.array(values, np.float32)


def main():
    np.seterr(over="ignore")  # 65520 -> inf in float16 is intended
    os.makedirs(OUT, exist_ok=True)
    # Values chosen to exercise rounding: ties to even, overflow, subnormals, signed zero.
    src = f32([1.0, 1.0 + 2 ** -11, 1.0 + 3 * 2 ** -11, -2.5, 65519.0, 65520.0, 2 ** -25, 6e-8,
               -0.0, 1 / 3, 1e-3, 123.456])
    bf_src = np.array([0x3F808000, 0x3F818000, 0x3F808001, 0x7F7FFFFF, 0x00000001, 0xC0490FDB],
                      np.uint32).view(np.float32)
    tensors = {
        # name: (dtype, shape, raw bytes, source values for the Java writer)
        "w.f32": ("F32", [2, 3], f32([0.5, -1.25, 3e38, 1e-45, -0.0, 7.0]), None),
        "w.f16": ("F16", [3, 4], src.astype(np.float16), src),
        "w.bf16": ("BF16", [2, 3], torch.from_numpy(bf_src.copy()).to(torch.bfloat16).view(torch.int16).numpy(), bf_src),
        "w.f64": ("F64", [3], np.array([np.pi, -1e300, 5e-324], np.float64), None),
        "idx": ("I64", [2, 2], np.array([[-2 ** 63, -1], [0, 2 ** 63 - 1]], np.int64), None),
        "i32": ("I32", [3], np.array([-2 ** 31, 5, 2 ** 31 - 1], np.int32), None),
        "i16": ("I16", [2], np.array([-32768, 32767], np.int16), None),
        "i8": ("I8", [2], np.array([-128, 127], np.int8), None),
        "u8": ("U8", [3], np.array([0, 128, 255], np.uint8), None),
        "mask": ("BOOL", [2, 2], np.array([[True, False], [False, True]]), None),
        "scalar": ("F32", [], f32([42.0]), None),
        "empty": ("F32", [0, 4], f32([]), None),
        "model/ünï名": ("F32", [1], f32([2.0]), None),
        'quote"back\\slash': ("I64", [1], np.array([9], np.int64), None),
    }
    order = sorted(tensors, key=lambda k: (-ORDER.index(tensors[k][0]), k.encode("utf-8")))
    metadata = {"format_version": "1", "config": json.dumps({"embed_dim": 32, "note": "ü"}),
                "raw": "tab\tnl\ncr\rbs\bff\fctl\x01\x1f del\x7f \"q\" back\\slash ü 名 😴"}
    header = {"__metadata__": metadata}
    blobs = []
    offset = 0
    for name in order:
        dtype, shape, arr, _ = tensors[name]
        raw = np.ascontiguousarray(arr).tobytes()
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        blobs.append(raw)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(os.path.join(OUT, "mixed.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)

    expected = {"metadata": metadata, "order": order, "tensors": {}}
    for name, (dtype, shape, arr, source) in tensors.items():
        flat = np.ascontiguousarray(arr).reshape(-1)
        if dtype in ("F16", "BF16"):
            bits = [int(v) for v in flat.view(np.uint16)]
            values = [str(int(v)) for v in np.asarray(source, np.float32).view(np.uint32)]
        elif dtype == "F32":
            bits = [int(v) for v in flat.view(np.uint32)]
            values = [str(b) for b in bits]
        elif dtype == "F64":
            bits = [str(int(v)) for v in flat.view(np.uint64)]
            values = bits
        elif dtype == "BOOL":
            bits = values = [bool(v) for v in flat]
        else:
            bits = values = [int(v) for v in flat]
        expected["tensors"][name] = {"dtype": dtype, "shape": shape, "stored": bits, "source": values}

    patterns = (np.arange(1 << 20, dtype=np.uint64) * 4097 % (1 << 32)).astype(np.uint32)
    floats = patterns.view(np.float32)
    bf = torch.from_numpy(floats.copy()).to(torch.bfloat16).view(torch.int16).numpy().view(np.uint16).copy()
    bf[np.isnan(floats)] = 0x7FC0
    expected["bf16_digest"] = {
        "encode_float_patterns_sha256": hashlib.sha256(bf.astype("<u2").tobytes()).hexdigest(),
        "patterns": "float32 bits = i * 4097 mod 2^32 for i in [0, 2^20); NaN -> 0x7FC0; torch " + torch.__version__,
    }
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
