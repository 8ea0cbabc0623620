#!/usr/bin/env python3
"""Writes tiny WFDB records in every supported sample format, with the expected samples.

Each record holds known digital values (seeded random values in the format's range, the
format's invalid-sample sentinel at a known place, extreme values), encoded here with plain
numpy bit packing written from the WFDB signal(5) specification. The expected values are
therefore known by construction and stored next to the record as CSV:

    signal,sample,digital,physical        (physical "nan" for an invalid sample)

Records (in hypnos-core/src/test/resources/data/wfdb/gen/):
  fmt<F>    three signals (two for 310/311), 37 or 38 frames, one file, format F in
            8 16 61 80 160 212 24 32 310 311; 212, 310 and 311 end with a partial group.
  mixed     two signal files: a.dat (format 16, 24-byte prefix skipped with "+24", signal 0
            with 2 samples per frame, signal 1 skewed by 1 frame) and b.dat (format 212,
            signal 2 with 2 samples per frame and signal 3 with 1, so frames straddle the
            3-byte groups); counter frequency, base time with fraction, base date, a signal
            line with only file and format (every default), baseline in parentheses.
  nolen     format 16 record whose header omits the sample count (derived from file size).

Run from the repository root:
    python3 hypnos-core/src/test/python/wfdb_format_fixtures.py
"""
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "resources" / "data" / "wfdb" / "gen"

# bits, invalid sentinel (None: the format has none)
FORMATS = {
    8: (8, None),
    16: (16, -(2**15)),
    61: (16, -(2**15)),
    80: (8, -(2**7)),
    160: (16, -(2**15)),
    212: (12, -(2**11)),
    24: (24, -(2**23)),
    32: (32, -(2**31)),
    310: (10, -(2**9)),
    311: (10, -(2**9)),
}


def encode(fmt, stream, initvals=None, nsig=1):
    """Encodes the interleaved sample stream (frame after frame) in format ``fmt``."""
    s = np.asarray(stream, dtype=np.int64)
    if fmt == 16:
        return s.astype("<i2").tobytes()
    if fmt == 61:
        return s.astype(">i2").tobytes()
    if fmt == 80:
        return (s + 128).astype(np.uint8).tobytes()
    if fmt == 160:
        return (s + 32768).astype("<u2").tobytes()
    if fmt == 24:
        u = s & 0xFFFFFF
        return np.stack([u & 0xFF, (u >> 8) & 0xFF, (u >> 16) & 0xFF], axis=1).astype(np.uint8).tobytes()
    if fmt == 32:
        return s.astype("<i4").tobytes()
    if fmt == 8:
        # first differences per signal: byte k of signal j = x[k] - x[k-1], x[-1] = initial value
        frames = s.reshape(-1, nsig)
        prev = np.vstack([np.asarray(initvals, dtype=np.int64)[None, :], frames[:-1]])
        diff = frames - prev
        assert diff.min() >= -128 and diff.max() <= 127
        return diff.astype(np.int8).tobytes()
    if fmt == 212:
        u = s & 0xFFF
        n = len(u)
        if n % 2:
            u = np.append(u, 0)
        a, b = u[0::2], u[1::2]
        groups = np.stack([a & 0xFF, ((a >> 8) & 0x0F) | ((b >> 4) & 0xF0), b & 0xFF], axis=1)
        raw = groups.astype(np.uint8).tobytes()
        return raw[: len(raw) - 1] if n % 2 else raw  # a lone last sample needs only 2 bytes
    if fmt in (310, 311):
        u = s & 0x3FF
        n = len(u)
        pad = (-n) % 3
        u = np.append(u, np.zeros(pad, dtype=np.int64))
        a, b, c = u[0::3], u[1::3], u[2::3]
        if fmt == 310:
            # word0 = a in bits 1..10, low 5 bits of c in bits 11..15; word1 likewise with b
            w0 = (a << 1) | ((c & 0x1F) << 11)
            w1 = (b << 1) | ((c >> 5) << 11)
        else:
            # one little-endian 32-bit word: a bits 0..9, b bits 10..19, c bits 20..29
            word = a | (b << 10) | (c << 20)
            w0, w1 = word & 0xFFFF, word >> 16
        raw = np.stack([w0, w1], axis=1).astype("<u2").tobytes()
        # a partial last group needs 2 bytes for one sample (pad 2) and all 4 for two (pad 1)
        return raw[: len(raw) - 2] if pad == 2 else raw
    raise ValueError(fmt)


def values(rng, bits, sentinel, count, fmt):
    lo, hi = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
    if fmt == 8:
        return None
    v = rng.integers(lo + 1, hi + 1, count)
    v[1] = hi
    v[2] = lo + 1
    return v


def write_csv(path, rows):
    with open(path, "w") as f:
        f.write("signal,sample,digital,physical\n")
        for sig, i, dig, phys in rows:
            f.write(f"{sig},{i},{'' if dig is None else dig},{'nan' if np.isnan(phys) else repr(float(phys))}\n")


def format_record(fmt, rng):
    bits, sentinel = FORMATS[fmt]
    # 212 with 3 x 37 = 111 samples ends on a lone sample; 310 with 2 x 37 = 74 on two of a
    # group of three, 311 with 2 x 38 = 76 on one.
    nsig, nframes = {310: (2, 37), 311: (2, 38)}.get(fmt, (3, 37))
    gains = [200.0, 1000.0, 12.5]
    baselines = [0, 10, -5]
    initvals = [100, -50, 0]
    sig = np.zeros((nsig, nframes), dtype=np.int64)
    for j in range(nsig):
        if fmt == 8:
            steps = rng.integers(-127, 128, nframes)
            steps[0] = 3  # sample 0 = initial value + first byte, so it differs from the initial value
            sig[j] = initvals[j] + np.cumsum(steps)
        else:
            sig[j] = values(rng, bits, sentinel, nframes, fmt)
    invalid = set()
    if sentinel is not None:
        sig[1, 5] = sentinel
        invalid.add((1, 5))
    stream = sig.T.reshape(-1)
    raw = encode(fmt, stream, initvals, nsig)
    name = f"fmt{fmt}"
    (OUT / f"{name}.dat").write_bytes(raw)
    lines = [f"{name} {nsig} 250 {nframes}"]
    for j in range(nsig):
        init = initvals[j] if fmt == 8 else int(sig[j, 0])
        cks = int(np.sum(sig[j])) & 0xFFFF
        cks = cks - 0x10000 if cks >= 0x8000 else cks
        lines.append(f"{name}.dat {fmt} {gains[j]:g}({baselines[j]})/uV {bits} 0 {init} {cks} 0 signal {j} of {name}")
    (OUT / f"{name}.hea").write_text("\n".join(lines) + "\n")
    rows = []
    for j in range(nsig):
        for i in range(nframes):
            d = int(sig[j, i])
            phys = np.nan if (j, i) in invalid else (d - baselines[j]) / gains[j]
            rows.append((j, i, d, phys))
    write_csv(OUT / f"{name}.csv", rows)


def mixed_record(rng):
    nframes = 21
    # a.dat, format 16: s0 has 2 samples per frame, s1 is skewed by one frame.
    s0 = rng.integers(-30000, 30000, 2 * nframes)
    s1 = rng.integers(-30000, 30000, nframes)
    frames_a = np.concatenate([s0.reshape(nframes, 2), s1.reshape(nframes, 1)], axis=1).reshape(-1)
    prefix = bytes(range(24))
    (OUT / "mixed_a.dat").write_bytes(prefix + encode(16, frames_a))
    # b.dat, format 212: s2 has 2 samples per frame, s3 one; 3 samples per frame (odd).
    s2 = rng.integers(-2047, 2048, 2 * nframes)
    s3 = rng.integers(-2047, 2048, nframes)
    frames_b = np.concatenate([s2.reshape(nframes, 2), s3.reshape(nframes, 1)], axis=1).reshape(-1)
    (OUT / "mixed_b.dat").write_bytes(encode(212, frames_b))
    hea = [
        "# a comment before the record line",
        f"mixed 4 128/1000(5) {nframes} 22:59:58.250 31/12/1999",
        "mixed_a.dat 16x2+24 400(-20)/mV 16 0 0 0 0 EEG C3-M2",
        "mixed_a.dat 16:1+24 50/uV 16 7 0 0 0 ECG",
        "",
        "mixed_b.dat 212x2 100(3)/uV 12 0 0 0 0 Chin1-Chin2",
        "mixed_b.dat 212",
        "# age: 42",
    ]
    (OUT / "mixed.hea").write_text("\n".join(hea) + "\n")
    rows = []
    for i in range(2 * nframes):
        rows.append((0, i, int(s0[i]), (s0[i] + 20) / 400.0))
    for i in range(nframes):
        # skew 1: sample i is stored in frame i + 1; the last one does not exist
        if i + 1 < nframes:
            rows.append((1, i, int(s1[i + 1]), (s1[i + 1] - 7) / 50.0))  # baseline defaults to ADC zero 7
        else:
            rows.append((1, i, None, np.nan))
    for i in range(2 * nframes):
        rows.append((2, i, int(s2[i]), (s2[i] - 3) / 100.0))
    for i in range(nframes):
        rows.append((3, i, int(s3[i]), s3[i] / 200.0))  # defaults: gain 200, baseline 0
    write_csv(OUT / "mixed.csv", rows)


def nolen_record(rng):
    v = rng.integers(-1000, 1000, (2, 10))
    (OUT / "nolen.dat").write_bytes(encode(16, v.T.reshape(-1)))
    (OUT / "nolen.hea").write_text("nolen 2 100\nnolen.dat 16 10/uV\nnolen.dat 16 10/uV\n")
    rows = [(j, i, int(v[j, i]), v[j, i] / 10.0) for j in range(2) for i in range(10)]
    write_csv(OUT / "nolen.csv", rows)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(7)
    for fmt in FORMATS:
        format_record(fmt, rng)
    mixed_record(rng)
    nolen_record(rng)
    print("wrote fixtures to", OUT)


if __name__ == "__main__":
    main()
