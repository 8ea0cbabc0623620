#!/usr/bin/env python3
"""Writes the NPY/NPZ golden files the Java tests read (hypnos-core/src/test/resources/npy/).

numpy is the independent truth: every file here is written by numpy's own np.save / np.savez /
np.lib.format.write_array, and expected.json records each array's dtype, shape and values in an
exact, Python-free form (floats as their IEEE bit patterns), so the Java reader can be checked
element by element and the Java writer byte by byte.

Also records SHA-256 digests of numpy's float16 conversions (all 65536 half values to float32,
and 2^20 float32 bit patterns spread over the whole 32-bit range to float16), which the Java
Float16 codec must reproduce. NaN results are canonicalised on both sides (x86 hardware
conversions quiet signalling NaNs, so payloads are not portable).

It also records digests of the arrays in two real archives of the test data
(data/golden/golden.npz, data/eeg/yasa_EOGs_REM_256Hz.npz).

Run from the repository root:  python3 hypnos-core/src/test/python/npy_golden.py
`python3 npy_golden.py --describe FILE...` prints, as JSON, what numpy reads from NPY/NPZ files
(the Java tests use it to check that numpy reads what Java writes).
"""
import hashlib
import json
import os
import sys

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "npy")
DATA = os.path.join(os.path.dirname(__file__), "..", "resources", "data")


def values_of(a):
    """The elements of `a` in C order, in an exact JSON form."""
    flat = np.ascontiguousarray(a).reshape(-1)
    k = a.dtype.kind
    if k == "f":
        bits = {2: np.uint16, 4: np.uint32, 8: np.uint64}[a.dtype.itemsize]
        return [str(int(v)) for v in flat.astype(a.dtype.newbyteorder("=")).view(bits)]
    if k == "b":
        return [bool(v) for v in flat]
    if k == "U":
        return [str(v) for v in flat]
    return [str(int(v)) for v in flat]


def digest(a):
    """SHA-256 of the elements in C order, little-endian (unicode: UTF-32LE)."""
    a = np.ascontiguousarray(a)
    return hashlib.sha256(a.astype(a.dtype.newbyteorder("<")).tobytes()).hexdigest()


def describe(paths):
    out = {}
    for p in paths:
        if p.endswith(".npz"):
            with np.load(p) as z:
                out[p] = {k: {"descr": np.lib.format.dtype_to_descr(z[k].dtype),
                              "shape": list(z[k].shape), "values": values_of(z[k])} for k in z.files}
        else:
            a = np.load(p)
            out[p] = {"descr": np.lib.format.dtype_to_descr(a.dtype), "shape": list(a.shape),
                      "values": values_of(a)}
    json.dump(out, sys.stdout, ensure_ascii=False)


def main():
    os.makedirs(OUT, exist_ok=True)
    expected = {}

    def record(name, a, **extra):
        entry = {
            "descr": np.lib.format.dtype_to_descr(a.dtype),
            "shape": list(a.shape),
            "values": values_of(a),
        }
        entry.update(extra)
        expected[name] = entry

    def save(name, a, version=None, **extra):
        path = os.path.join(OUT, name)
        if version is None:
            np.save(path, a)
        else:
            with open(path, "wb") as f:
                np.lib.format.write_array(f, a, version=version)
        record(name, a, **extra)

    # One small array per dtype, values reaching the type's extremes.
    ints = {
        "int8": np.array([[-128, -1, 0], [1, 77, 127]], np.int8),
        "uint8": np.array([[0, 1, 127], [128, 200, 255]], np.uint8),
        "int16": np.array([[-32768, -1, 0], [1, 12345, 32767]], np.int16),
        "uint16": np.array([[0, 1, 32767], [32768, 50000, 65535]], np.uint16),
        "int32": np.array([[-2**31, -1, 0], [1, 123456789, 2**31 - 1]], np.int32),
        "uint32": np.array([[0, 1, 2**31 - 1], [2**31, 3000000000, 2**32 - 1]], np.uint32),
        "int64": np.array([[-2**63, -1, 0], [1, 2**53 + 1, 2**63 - 1]], np.int64),
        "uint64": np.array([[0, 1, 2**63 - 1], [2**63, 2**64 - 2, 2**64 - 1]], np.uint64),
    }
    for name, a in ints.items():
        save(f"{name}.npy", a)
    save("bool.npy", np.array([[True, False, True], [False, False, True]]))
    specials = [0.0, -0.0, 1.0, -2.5, np.inf, -np.inf, np.nan, 1.0 / 3.0]
    save("float16.npy", np.array(specials + [65504.0, 6.0e-8, 6.1e-5, -1.0e-7], np.float16).reshape(3, 4))
    save("float32.npy", np.array(specials + [3.4028235e38, 1.0e-45, 1.17549435e-38, -7.25], np.float32).reshape(3, 4))
    save("float64.npy", np.array(specials + [1.7976931348623157e308, 5e-324, 2.2250738585072014e-308, 0.1], np.float64).reshape(3, 4))
    save("unicode.npy", np.array(["eeg_c3", "ecg", "", "résumé ∑ 😴"]))

    # Big-endian data.
    save("be_int16.npy", np.array([1, -2, 300, -32768], ">i2"))
    save("be_int32.npy", np.array([[1, -2], [70000, -2**31]], ">i4"))
    save("be_int64.npy", np.array([2**40, -3], ">i8"))
    save("be_float16.npy", np.array([1.5, -0.25, 65504.0], ">f2"))
    save("be_float32.npy", np.array([1.5, -0.25, 3.4e38, np.inf], ">f4"))
    save("be_float64.npy", np.array([[1.5, -0.25], [1e300, -np.inf]], ">f8"))
    save("be_unicode.npy", np.array(["ab", "xyz"], ">U3"))

    # Fortran order (np.save of a transposed array writes fortran_order: True).
    c = np.arange(24, dtype=np.float64).reshape(2, 3, 4) * 0.5 - 3
    save("fortran_float64.npy", np.asfortranarray(c), fortran=True)
    save("fortran_int16.npy", np.arange(12, dtype=np.int16).reshape(3, 4).T, fortran=True)

    # Shapes: scalars, empty arrays, many dimensions, long first axis.
    save("scalar_float64.npy", np.array(2.5))
    save("scalar_int64.npy", np.array(-7, np.int64))
    save("empty_float32.npy", np.zeros((0,), np.float32))
    save("empty_0x3_int16.npy", np.zeros((0, 3), np.int16))
    save("ones_8d_uint8.npy", np.ones((1, 2, 1, 2, 1, 2, 1, 2), np.uint8))
    save("long_1d_float32.npy", (np.arange(1000) * 0.37 - 5).astype(np.float32))
    save("tokens_int16.npy", ((np.arange(40 * 6) * 7919) % 1024 - 512).astype(np.int16).reshape(40, 6))

    # Other format versions.
    save("v2_float32.npy", np.array([[1.0, 2.0], [3.0, 4.0]], np.float32), version=(2, 0))
    save("v3_int32.npy", np.array([5, 6, 7], np.int32), version=(3, 0))

    # NPZ, stored and deflated.
    arrays = {
        "a": np.arange(6, dtype=np.float32).reshape(2, 3),
        "mask": np.array([True, False, True]),
        "names": np.array(["eeg_c3", "ecg"]),
        "fs": np.array(128, np.int64),
        "tokens": ((np.arange(60) * 31) % 16).astype(np.int64).reshape(10, 6),
    }
    np.savez(os.path.join(OUT, "stored.npz"), **arrays)
    np.savez_compressed(os.path.join(OUT, "compressed.npz"), **arrays)
    for key, a in arrays.items():
        record("npz/" + key, a)

    # float16 conversions, digests only (tiny, exact).
    halves = np.arange(65536, dtype=np.uint32).astype(np.uint16).view(np.float16)
    decoded = halves.astype(np.float32).view(np.uint32).copy()
    decoded[np.isnan(halves)] = 0x7FC00000
    patterns = (np.arange(1 << 20, dtype=np.uint64) * 4097 % (1 << 32)).astype(np.uint32)
    floats = patterns.view(np.float32)
    with np.errstate(over="ignore"):
        encoded = floats.astype(np.float16).view(np.uint16).copy()
    encoded[np.isnan(floats)] = 0x7E00
    expected["float16_digests"] = {
        "decode_all_halves_sha256": hashlib.sha256(decoded.astype("<u4").tobytes()).hexdigest(),
        "encode_float_patterns_sha256": hashlib.sha256(encoded.astype("<u2").tobytes()).hexdigest(),
        "patterns": "float32 bits = i * 4097 mod 2^32 for i in [0, 2^20); NaN -> 0x7E00 / 0x7FC00000",
    }

    # Real archives of the test data: dtype, shape and a digest of every array.
    for rel in ("golden/golden.npz", "eeg/yasa_EOGs_REM_256Hz.npz"):
        with np.load(os.path.join(DATA, rel)) as z:
            expected["data/" + rel] = {k: {"descr": np.lib.format.dtype_to_descr(z[k].dtype),
                                           "shape": list(z[k].shape), "sha256": digest(z[k])}
                                       for k in z.files}

    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--describe":
        describe(sys.argv[2:])
    else:
        main()
