#!/usr/bin/env python3
"""Independent reader for safetensors files (numpy only, no safetensors library).

    python3 check_safetensors.py FILE [--values]

Parses the 8-byte little-endian header length and the JSON header itself, checks what the
safetensors specification requires (header within the file, known dtypes, data_offsets that tile
the data section exactly, byte counts equal to dtype size x element count, header padded to a
multiple of 8 with spaces, tensors laid out by descending dtype alignment then by name, as the
Python library writes them) and prints a JSON summary: metadata, and for every tensor its dtype,
shape, offsets and (with --values) its elements decoded with numpy (BF16 through its bit pattern,
as float32). Exits 1 with a message on the first violation. The Java tests run it on files written
by SafetensorsWriter.
"""
import json
import struct
import sys

import numpy as np

SIZES = {"BOOL": 1, "U8": 1, "I8": 1, "I16": 2, "U16": 2, "F16": 2, "BF16": 2,
         "I32": 4, "U32": 4, "F32": 4, "F64": 8, "I64": 8, "U64": 8}
# The library's dtype order (increasing alignment); files list larger dtypes first.
ORDER = ["BOOL", "U8", "I8", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64"]
NUMPY = {"BOOL": "?", "U8": "<u1", "I8": "<i1", "I16": "<i2", "U16": "<u2", "F16": "<f2",
         "I32": "<i4", "U32": "<u4", "F32": "<f4", "F64": "<f8", "I64": "<i8", "U64": "<u8"}


def fail(msg):
    print(msg, file=sys.stderr)
    sys.exit(1)


def decode(dtype, raw, shape):
    if dtype == "BF16":
        bits = np.frombuffer(raw, "<u2").astype(np.uint32) << 16
        return bits.view(np.float32).reshape(shape)
    return np.frombuffer(raw, NUMPY[dtype]).reshape(shape)


def main(path, with_values):
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 8:
        fail("file shorter than 8 bytes")
    (n,) = struct.unpack("<Q", blob[:8])
    if n > len(blob) - 8:
        fail(f"header length {n} beyond the file")
    if n % 8 != 0:
        fail(f"header length {n} not a multiple of 8")
    raw_header = blob[8:8 + n]
    text = raw_header.decode("utf-8")
    stripped = text.rstrip(" ")
    if any(c != " " for c in text[len(stripped):]):
        fail("header padding is not spaces")
    pairs = json.loads(stripped, object_pairs_hook=lambda kv: kv)
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        fail("duplicate keys in the header")
    header = dict(pairs)
    metadata = dict(header.pop("__metadata__", []))
    if keys and keys[0] != "__metadata__" and metadata:
        fail("__metadata__ is not the first key")
    data = blob[8 + n:]
    names = [k for k in keys if k != "__metadata__"]
    out = {"metadata": metadata, "tensors": {}, "order": names}
    expected = 0
    previous = None
    for name in names:
        info = dict(header[name])
        dtype, shape, (begin, end) = info["dtype"], info["shape"], info["data_offsets"]
        if dtype not in SIZES:
            fail(f"{name}: unknown dtype {dtype}")
        if begin != expected:
            fail(f"{name}: begins at {begin}, expected {expected}")
        count = int(np.prod(shape, dtype=np.int64)) if shape else 1
        if end - begin != count * SIZES[dtype]:
            fail(f"{name}: {end - begin} bytes for {dtype} {shape}")
        key = (-ORDER.index(dtype), name.encode("utf-8"))
        if previous is not None and key < previous:
            fail(f"{name}: not in the library's layout order (dtype descending, then name)")
        previous = key
        expected = end
        entry = {"dtype": dtype, "shape": shape, "data_offsets": [begin, end]}
        if with_values:
            arr = decode(dtype, data[begin:end], shape)
            flat = arr.reshape(-1)
            if dtype == "BOOL":
                entry["values"] = [bool(v) for v in flat]
            elif dtype in ("F16", "BF16", "F32", "F64"):
                entry["values"] = [repr(float(v)) for v in flat]
            else:
                entry["values"] = [int(v) for v in flat]
        out["tensors"][name] = entry
    if expected != len(data):
        fail(f"tensors end at {expected}, data section holds {len(data)} bytes")
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        fail(__doc__)
    main(sys.argv[1], "--values" in sys.argv[2:])
