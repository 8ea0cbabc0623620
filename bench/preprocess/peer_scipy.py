#!/usr/bin/env python3
"""Peer benchmark for `hypnos bench preprocess`: the Hypnos preprocessing pipeline in scipy.

Generates the same synthetic 8-hour night as the Java side (a seeded formula both implement:
`synth` below equals ai.hypnos.cli.bench.PreprocessBench#synth), with the 8 modalities at typical
source rates (EEG/EOG/EMG 256 Hz, ECG 512 Hz, belts 10 Hz), runs the reference pipeline on each
modality (resample_poly -> float32 -> causal Butterworth -> causal notch -> rolling EMA z-score ->
soft clip), and prints one JSON object: timings (wall and CPU seconds, generation excluded) and,
per modality, output length, sums and values at fixed indices, so the Java side can check it
computed the same numbers.

Usage: python3 bench/preprocess/peer_scipy.py [--hours 8] [--notch 50] [--repeats 1]
"""
import argparse
import json
import math
import time

import numpy as np
from scipy import signal

MASK64 = (1 << 64) - 1

# (modality, signal kind, source rate, seed)
NIGHT = [("eeg_c3", "eeg", 256, 1), ("eeg_c4", "eeg", 256, 2), ("eog_e1", "eeg", 256, 3),
         ("eog_e2", "eeg", 256, 4), ("emg_chin", "eeg", 256, 5), ("ecg", "ecg", 512, 6),
         ("resp_abd", "resp", 10, 7), ("resp_thx", "resp", 10, 8)]
BANDS = {"eeg": (0.5, 45.0, True), "ecg": (0.05, 45.0, True), "resp": (0.05, None, False)}
TARGET = {"eeg": 128, "ecg": 128, "resp": 32}


def noise(seed, n):
    i = np.arange(n, dtype=np.uint64)
    z = np.uint64(seed & MASK64) + (i + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * (2.0 ** -53) * 2.0 - 1.0


def synth(n, fs, seed):
    t = np.arange(n, dtype=np.float64) / fs
    u = noise(seed, n)
    x = (40.0 + 30.0 * np.sin(2 * np.pi * 1.3 * t) + 12.0 * np.sin(2 * np.pi * 10.5 * t + 0.4)
         + 8.0 * np.sin(2 * np.pi * 50.0 * t) + 6.0 * np.sin(2 * np.pi * 60.0 * t)
         + 20.0 * np.sin(2 * np.pi * 0.03 * t) + 15.0 * u)
    burst = (np.floor(t) % 90.0) == 89.0
    x[burst] += 500.0 * u[burst]
    return x


def causal_sos(sos, x):
    y, _ = signal.sosfilt(sos, x, zi=signal.sosfilt_zi(sos) * x[0])
    return y


def rolling_zscore(x, fs, tau=60.0, clip=6.0, eps=1e-6):
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
    out = x.copy()
    pos = x > knee
    neg = x < -knee
    out[pos] = knee + scale * np.log1p((x[pos] - knee) / scale)
    out[neg] = -knee - scale * np.log1p((-x[neg] - knee) / scale)
    return out


def pipeline(x, fs_in, kind, notch):
    fs = TARGET[kind]
    if fs_in != fs:
        g = math.gcd(fs_in, fs)
        x = signal.resample_poly(x, fs // g, fs_in // g).astype(np.float32)
    y = np.asarray(x, dtype=np.float64)
    lo, hi, has_notch = BANDS[kind]
    if hi is None:
        sos = signal.butter(4, lo, btype="highpass", fs=fs, output="sos")
    else:
        sos = signal.butter(4, [lo, hi], btype="bandpass", fs=fs, output="sos")
    y = causal_sos(sos, y)
    if has_notch:
        y = causal_sos(signal.tf2sos(*signal.iirnotch(notch, 30.0, fs)), y)
    return soft_clip(rolling_zscore(y, fs))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hours", type=float, default=8.0)
    ap.add_argument("--notch", type=float, default=50.0)
    ap.add_argument("--repeats", type=int, default=1)
    args = ap.parse_args()
    seconds = int(round(args.hours * 3600))
    inputs = {m: synth(seconds * fs, float(fs), seed) for m, _, fs, seed in NIGHT}
    runs = []
    outputs = {}
    for _ in range(args.repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        for m, kind, fs, _ in NIGHT:
            outputs[m] = pipeline(inputs[m], fs, kind, args.notch)
        runs.append({"wall_s": time.perf_counter() - w0, "cpu_s": time.process_time() - c0})
    checks = {}
    for m, y in outputs.items():
        idx = list(range(0, len(y), max(1, len(y) // 997)))
        checks[m] = {"n": int(len(y)), "sum": float(np.sum(y, dtype=np.float64)),
                     "sum_abs": float(np.sum(np.abs(y), dtype=np.float64)),
                     "indices": idx, "values": [float(v) for v in y[idx]]}
    print(json.dumps({"peer": "scipy", "scipy": __import__("scipy").__version__, "numpy": np.__version__,
                      "hours": args.hours, "input_samples": int(sum(len(v) for v in inputs.values())),
                      "runs": runs, "outputs": checks}))


if __name__ == "__main__":
    main()
