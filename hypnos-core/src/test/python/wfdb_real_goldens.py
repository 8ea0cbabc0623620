#!/usr/bin/env python3
"""Independent numpy decode of the real WFDB test records, written as a small JSON golden.

The Java WFDB reader is checked against these numbers. Nothing here uses a WFDB library: format
212 (MIT-BIH 100) and format 16 (PTB s0010_re) are unpacked with plain numpy bit operations,
and the MIT annotation file 100.atr is walked word by word, so that the two implementations
share no code.

Run from the repository root:
    python3 hypnos-core/src/test/python/wfdb_real_goldens.py
Output: hypnos-core/src/test/resources/data/wfdb/gen/real_goldens.json
"""
import gzip
import json
from collections import Counter
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parents[1] / "resources" / "data"
OUT = DATA / "wfdb" / "gen" / "real_goldens.json"


def read_bytes(relative):
    p = DATA / relative
    if p.exists():
        return p.read_bytes()
    return gzip.decompress((DATA / (relative + ".gz")).read_bytes())


def checksum(d):
    """WFDB checksum: the 16-bit two's-complement sum of a signal's digital samples."""
    s = int(np.sum(d.astype(np.int64))) & 0xFFFF
    return s - 0x10000 if s >= 0x8000 else s


def decode_212(raw, nsig):
    b = np.frombuffer(raw, dtype=np.uint8)
    b = b[: len(b) // 3 * 3].reshape(-1, 3).astype(np.int32)
    first = b[:, 0] | ((b[:, 1] & 0x0F) << 8)
    second = b[:, 2] | ((b[:, 1] & 0xF0) << 4)
    stream = np.empty(2 * len(b), dtype=np.int32)
    stream[0::2] = first
    stream[1::2] = second
    stream = np.where(stream >= 2048, stream - 4096, stream)
    return stream.reshape(-1, nsig).T


def decode_16(raw, nsig):
    return np.frombuffer(raw, dtype="<i2").astype(np.int32).reshape(-1, nsig).T


def pick(n, rng, count=8):
    idx = {0, 1, 2, n // 2, n - 1}
    idx.update(int(i) for i in rng.integers(0, n, count))
    return sorted(idx)


def signal_entry(label, d, gain, baseline, indices):
    return {
        "label": label,
        "samples": int(d.shape[0]),
        "checksum": checksum(d),
        "indices": indices,
        "digital": [int(d[i]) for i in indices],
        "physical": [float((d[i] - baseline) / gain) for i in indices],
    }


def mit_atr(raw):
    """Walks an MIT annotation file; returns (sample, code, aux) of the real annotations."""
    w = np.frombuffer(raw[: len(raw) // 2 * 2], dtype="<u2")
    out, t, i = [], 0, 0
    while i < len(w):
        a, v = int(w[i]) >> 10, int(w[i]) & 0x3FF
        i += 1
        if a == 0 and v == 0:
            break
        if a == 59:  # SKIP: 32-bit interval, high 16-bit word first
            t += np.int32(np.uint32((int(w[i]) << 16) | int(w[i + 1])))
            i += 2
        elif a == 63:  # AUX: v bytes follow, padded to an even count
            nbytes = v
            aux = raw[2 * i: 2 * i + nbytes].decode("latin-1").rstrip("\0")
            out[-1][2] = aux
            i += (nbytes + 1) // 2
        elif a in (60, 61, 62):  # NUM, SUB, CHN: modify the previous annotation
            pass
        else:
            t += v
            out.append([int(t), a, ""])
    return out


def main():
    rng = np.random.default_rng(20240611)
    golden = {}

    # MIT-BIH 100: format 212, two signals, gain 200, ADC zero (and so baseline) 1024.
    d = decode_212(read_bytes("wfdb/100.dat"), 2)
    golden["100"] = {
        "frames": int(d.shape[1]),
        "signals": [
            signal_entry(lbl, d[k], 200.0, 1024.0, pick(d.shape[1], rng)) for k, lbl in enumerate(["MLII", "V5"])
        ],
    }

    # PTB s0010_re: 12 leads in .dat and 3 in .xyz, format 16, gain 2000, ADC zero 0.
    leads = ["i", "ii", "iii", "avr", "avl", "avf", "v1", "v2", "v3", "v4", "v5", "v6"]
    d1 = decode_16(read_bytes("wfdb/s0010_re.dat"), 12)
    d2 = decode_16(read_bytes("wfdb/s0010_re.xyz"), 3)
    sigs = []
    for k, lbl in enumerate(leads):
        sigs.append(signal_entry(lbl, d1[k], 2000.0, 0.0, pick(d1.shape[1], rng, 3)))
    for k, lbl in enumerate(["vx", "vy", "vz"]):
        sigs.append(signal_entry(lbl, d2[k], 2000.0, 0.0, pick(d2.shape[1], rng, 3)))
    golden["s0010_re"] = {"frames": int(d1.shape[1]), "signals": sigs}

    # 100.atr: counts per annotation code, first annotations, and every aux text.
    anns = mit_atr(read_bytes("wfdb/100.atr"))
    golden["100.atr"] = {
        "count": len(anns),
        "by_code": {str(k): v for k, v in sorted(Counter(a[1] for a in anns).items())},
        "first": anns[:5],
        "last": anns[-1],
        "with_aux": [a for a in anns if a[2]],
    }

    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(golden, indent=1) + "\n")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
