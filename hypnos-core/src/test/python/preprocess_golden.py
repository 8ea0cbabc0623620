#!/usr/bin/env python3
"""Golden vectors for ai.hypnos.core.preprocess, computed with numpy + scipy.

Writes hypnos-core/src/test/resources/preprocess/preprocess_golden.json.gz. Run from the
repository root with `python3 hypnos-core/src/test/python/preprocess_golden.py` (numpy >= 2,
scipy >= 1.11). The Java tests (PreprocessGoldenTest and friends) read the file.

Contents, each checked by the Java side against its own implementation:
  firwin     Kaiser-window FIR taps (scipy.signal.firwin)
  resample   scipy.signal.resample_poly(x, up, down) for many rate pairs and short inputs
  butter     scipy.signal.butter(..., output='sos') and sosfilt_zi
  notch      scipy.signal.tf2sos(*iirnotch(f0, Q, fs))
  sosfilt    sosfilt with zi = sosfilt_zi * x[0]; sosfiltfilt with default padding
  ema        the rolling EMA z-score of DESIGN §4 (lfilter-based, as the reference)
  softclip   the knee-8 / scale-2 compression in float32
  pipeline   whole per-modality pipelines on a seeded synthetic signal (`synth` below, which the
             Java test re-implements), several source rates; outputs at fixed indices + stats
  night      the same for a full 8-hour night (eeg @256 Hz, ecg @512 Hz, resp @10 Hz)

Inputs of the per-stage cases are random (numpy default_rng) and stored in the file. Pipeline
inputs are generated on both sides by `synth`, so only outputs are stored.
"""
import gzip
import json
import math
import os
import sys

import numpy as np
import scipy
from scipy import signal

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "preprocess",
                   "preprocess_golden.json.gz")

MASK64 = (1 << 64) - 1


def _floats(a):
    """A JSON list of floats (None for NaN); repr round-trips doubles exactly."""
    return [None if math.isnan(v) else float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def _floats32(a):
    """A JSON list of float32 values written with the shortest decimal that reads back as the same float32."""
    return [None if math.isnan(v) else float(str(np.float32(v))) for v in np.asarray(a, dtype=np.float32).ravel()]


def noise(seed, n):
    """splitmix64 of (seed, i) mapped to [-1, 1); the Java test implements the same."""
    i = np.arange(n, dtype=np.uint64)
    z = np.uint64(seed & MASK64) + (i + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * (2.0 ** -53) * 2.0 - 1.0


def synth(n, fs, seed):
    """Seeded physiological-looking test signal: rhythms, line noise, drift, noise, 1-s bursts every 90 s."""
    t = np.arange(n, dtype=np.float64) / fs
    u = noise(seed, n)
    x = (40.0
         + 30.0 * np.sin(2 * np.pi * 1.3 * t)
         + 12.0 * np.sin(2 * np.pi * 10.5 * t + 0.4)
         + 8.0 * np.sin(2 * np.pi * 50.0 * t)
         + 6.0 * np.sin(2 * np.pi * 60.0 * t)
         + 20.0 * np.sin(2 * np.pi * 0.03 * t)
         + 15.0 * u)
    burst = (np.floor(t) % 90.0) == 89.0
    x[burst] += 500.0 * u[burst]
    return x


# ---------------------------------------------------------------------------------------------
# The reference pipeline (DESIGN §4), written with scipy calls.

BANDS = {"eeg": (0.5, 45.0, True), "ecg": (0.05, 45.0, True), "resp": (0.05, None, False)}
TARGET = {"eeg": 128, "ecg": 128, "resp": 32}


def causal_sos(sos, x):
    y, _ = signal.sosfilt(sos, x, zi=signal.sosfilt_zi(sos) * x[0])
    return y


def rolling_zscore(x, fs, tau=60.0, clip=6.0, eps=1e-6):
    x = np.asarray(x, dtype=np.float64)
    n = x.shape[0]
    alpha = float(np.exp(-1.0 / max(tau * fs, 1.0)))
    b = np.array([1.0 - alpha])
    a = np.array([1.0, -alpha])
    zi = signal.lfilter_zi(b, a)
    w = min(max(int(tau * fs), 1), n)
    mu0 = np.nanmean(x[:w])
    var0 = max(np.nanvar(x[:w]), eps)
    xs = np.where(np.isnan(x), mu0, x)
    mu, _ = signal.lfilter(b, a, xs, zi=zi * mu0)
    sq = (xs - mu) ** 2
    v0, _ = signal.lfilter(b, a, sq, zi=zi * var0)
    v0 = np.maximum(v0, eps)
    v, _ = signal.lfilter(b, a, np.minimum(sq, clip ** 2 * v0), zi=zi * var0)
    v = np.maximum(v, eps)
    return ((x - mu) / np.sqrt(v)).astype(np.float32)


def soft_clip(x, knee=8.0, scale=2.0):
    x = np.asarray(x, dtype=np.float32)
    out = x.copy()
    pos = x > knee
    neg = x < -knee
    out[pos] = knee + scale * np.log1p((x[pos] - knee) / scale)
    out[neg] = -knee - scale * np.log1p((-x[neg] - knee) / scale)
    return out.astype(np.float32)


def pipeline(x, fs_in, kind, notch):
    fs = TARGET[kind]
    if fs_in != fs:
        g = math.gcd(int(fs_in), fs)
        x = signal.resample_poly(x, fs // g, int(fs_in) // g).astype(np.float32)
    y = np.asarray(x, dtype=np.float64)
    lo, hi, has_notch = BANDS[kind]
    if hi is None:
        sos = signal.butter(4, lo, btype="highpass", fs=fs, output="sos")
    else:
        sos = signal.butter(4, [lo, hi], btype="bandpass", fs=fs, output="sos")
    y = causal_sos(sos, y)
    if has_notch and notch:
        y = causal_sos(signal.tf2sos(*signal.iirnotch(notch, 30.0, fs)), y)
    return soft_clip(rolling_zscore(y, fs))


def summary(y, stride, first):
    idx = sorted(set(list(range(min(first, len(y)))) + list(range(0, len(y), stride)) + [len(y) - 1]))
    y64 = y.astype(np.float64)
    return {
        "n_out": int(len(y)),
        "indices": idx,
        "values": _floats32(y[idx]),
        "mean": float(np.mean(y64)),
        "std": float(np.std(y64)),
        "min": float(np.min(y64)),
        "max": float(np.max(y64)),
        "above_knee": int(np.sum(np.abs(y64) > 8.0)),
    }


def main():
    rng = np.random.default_rng(20261126)
    out = {"scipy": scipy.__version__, "numpy": np.__version__}

    out["firwin"] = []
    for numtaps, cutoff in [(41, 0.5), (81, 0.25), (321, 1 / 16), (51, 0.2), (1, 0.5)]:
        out["firwin"].append({"numtaps": numtaps, "cutoff": cutoff,
                              "taps": _floats(signal.firwin(numtaps, cutoff, window=("kaiser", 5.0)))})

    out["resample"] = []
    pairs = [(250, 128), (200, 128), (125, 128), (512, 128), (256, 128), (100, 128), (10, 32), (25, 32),
             (100, 32), (128, 128), (64, 128), (511, 256)]
    for fs_in, fs_out in pairs:
        g = math.gcd(fs_in, fs_out)
        up, down = fs_out // g, fs_in // g
        for n in ([300] if (fs_in, fs_out) != (256, 128) else [300, 1, 2, 3, 7, 40, 41]):
            x = np.round(rng.standard_normal(n) * 50 + 10, 3)
            y = signal.resample_poly(x, up, down)
            out["resample"].append({"up": up, "down": down, "x": _floats(x), "y": _floats(y)})
    for up, down, n in [(64, 125, 1), (64, 125, 5), (16, 5, 2), (128, 125, 3), (3, 2, 10), (2, 3, 10)]:
        x = np.round(rng.standard_normal(n), 4)
        out["resample"].append({"up": up, "down": down, "x": _floats(x),
                                "y": _floats(signal.resample_poly(x, up, down))})

    out["butter"] = []
    designs = []
    for fs in (128.0, 32.0, 256.0, 100.0):
        designs.append((4, "bandpass", [0.5, 45.0], fs) if fs > 90 else (4, "highpass", [0.05], fs))
    designs += [(4, "bandpass", [0.05, 45.0], 128.0), (4, "highpass", [0.05], 32.0), (4, "bandpass", [0.5, 45.0], 128.0)]
    for order in range(1, 9):
        designs += [(order, "lowpass", [10.0], 100.0), (order, "highpass", [3.0], 100.0),
                    (order, "bandpass", [1.0, 20.0], 100.0)]
    designs += [(2, "bandpass", [30.0, 40.0], 100.0), (5, "lowpass", [45.0], 100.0), (3, "highpass", [0.1], 32.0)]
    for order, btype, freqs, fs in designs:
        wn = freqs if btype == "bandpass" else freqs[0]
        sos = signal.butter(order, wn, btype=btype, fs=fs, output="sos")
        out["butter"].append({"order": order, "btype": btype, "freqs": freqs, "fs": fs,
                              "sos": [_floats(r) for r in sos],
                              "zi": [_floats(r) for r in signal.sosfilt_zi(sos)]})

    out["notch"] = []
    for f0, q, fs in [(50.0, 30.0, 128.0), (60.0, 30.0, 128.0), (50.0, 30.0, 256.0), (60.0, 10.0, 500.0)]:
        b, a = signal.iirnotch(f0, q, fs)
        sos = signal.tf2sos(b, a)
        out["notch"].append({"f0": f0, "q": q, "fs": fs, "b": _floats(b), "a": _floats(a),
                             "sos": [_floats(r) for r in sos], "zi": [_floats(r) for r in signal.sosfilt_zi(sos)]})

    out["sosfilt"] = []
    cases = [("bandpass", [0.5, 45.0], 128.0, None), ("bandpass", [0.05, 45.0], 128.0, None),
             ("highpass", [0.05], 32.0, None), ("notch", [50.0], 128.0, None), ("notch", [60.0], 128.0, None),
             ("lowpass", [5.0], 100.0, 7)]
    for btype, freqs, fs, order in cases:
        if btype == "notch":
            sos = signal.tf2sos(*signal.iirnotch(freqs[0], 30.0, fs))
        else:
            sos = signal.butter(order or 4, freqs if btype == "bandpass" else freqs[0], btype=btype, fs=fs, output="sos")
        x = np.round(np.cumsum(rng.standard_normal(400)) + 100.0 + 20 * rng.standard_normal(400), 3)
        out["sosfilt"].append({"btype": btype, "freqs": freqs, "fs": fs, "order": order or 4,
                               "sos": [_floats(r) for r in sos], "x": _floats(x),
                               "y": _floats(causal_sos(sos, x)),
                               "y_filtfilt": _floats(signal.sosfiltfilt(sos, x))})

    out["ema"] = []
    for fs, tau, n in [(10.0, 60.0, 900), (128.0, 2.0, 600), (32.0, 60.0, 400), (10.0, 1.0, 300)]:
        x = np.round(rng.standard_normal(n) * 5 + np.linspace(0, 30, n), 3)
        x[rng.integers(0, n, 8)] += rng.standard_normal(8) * 400  # spikes for the 6-sigma clip
        nan_at = rng.integers(0, n, 6)
        x[nan_at] = np.nan
        x[n // 3: n // 3 + 12] = np.nan
        out["ema"].append({"fs": fs, "tau": tau, "x": _floats(x), "y": _floats32(rolling_zscore(x, fs, tau))})
    flat = np.full(400, 3.25)
    out["ema"].append({"fs": 128.0, "tau": 2.0, "x": _floats(flat), "y": _floats32(rolling_zscore(flat, 128.0, 2.0))})

    xs = np.concatenate([np.linspace(-400, 400, 401), np.round(rng.standard_normal(200) * 12, 3), [8.0, -8.0, 8.0001, np.nan]])
    xs32 = xs.astype(np.float32)
    out["softclip"] = {"x": _floats32(xs32), "y": _floats32(soft_clip(xs32))}

    out["pipeline"] = []
    for kind, key, fs_in, notch, seconds, seed in [
            ("eeg", "eeg_c3", 256, 50.0, 150, 11), ("eeg", "eeg_c4", 250, 50.0, 150, 12),
            ("eeg", "eog_e1", 200, 60.0, 150, 13), ("eeg", "emg_chin", 128, 50.0, 150, 14),
            ("eeg", "eog_e2", 100, 50.0, 150, 15), ("ecg", "ecg", 512, 60.0, 150, 16),
            ("ecg", "ecg", 125, 50.0, 150, 17), ("resp", "resp_abd", 10, 50.0, 200, 18),
            ("resp", "resp_thx", 25, 50.0, 200, 19), ("resp", "resp_abd", 100, 50.0, 200, 20),
            ("resp", "resp_thx", 32, 50.0, 200, 21), ("eeg", "eeg_c3", 256, 50.0, 20, 22)]:
        x = synth(int(seconds * fs_in), float(fs_in), seed)
        y = pipeline(x, fs_in, kind, notch)
        case = {"modality": key, "fs_in": fs_in, "notch": notch, "n_in": int(len(x)), "seed": seed}
        case.update(summary(y, 61, 200))
        out["pipeline"].append(case)

    if "--no-night" not in sys.argv:
        out["night"] = []
        for kind, key, fs_in, seed in [("eeg", "eeg_c3", 256, 101), ("ecg", "ecg", 512, 102), ("resp", "resp_abd", 10, 103)]:
            x = synth(8 * 3600 * fs_in, float(fs_in), seed)
            y = pipeline(x, fs_in, kind, 50.0)
            case = {"modality": key, "fs_in": fs_in, "notch": 50.0, "n_in": int(len(x)), "seed": seed}
            case.update(summary(y, 997, 100))
            out["night"].append(case)

    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    tmp = OUT + ".tmp"
    # mtime 0 and no file name: the same numbers give the same bytes.
    with open(tmp, "wb") as raw, gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=raw, mtime=0) as gz:
        gz.write(json.dumps(out, separators=(",", ":")).encode("utf-8"))
    os.replace(tmp, OUT)
    print(f"wrote {OUT} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
