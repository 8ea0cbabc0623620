#!/usr/bin/env python3
"""Writes src/test/resources/spectral/golden.npz: scipy's answers for the Java spectral tests.

scipy is the truth: scipy.signal.get_window (periodic), scipy.signal.welch, scipy.signal.spectrogram,
scipy.integrate.simpson; band powers follow YASA's bandpower_from_psd (cut the PSD to the span of
all bands, Simpson per band with both edges included, relative = band / total), computed here
with scipy. Inputs are real EEG from the test data (YASA sample files, read by the Java test from
the same text files) and a seeded synthetic signal stored in the archive.

Run from the repository root:  python3 hypnos-core/src/test/python/spectral_golden.py
"""
import os

import numpy as np
from scipy import integrate, signal

HERE = os.path.dirname(__file__)
DATA = os.path.join(HERE, "..", "resources", "data", "eeg")
OUT = os.path.join(HERE, "..", "resources", "spectral", "golden.npz")

BANDS = [(0.5, 4, "delta"), (4, 8, "theta"), (8, 12, "alpha"), (12, 16, "sigma"), (16, 30, "beta")]


def yasa_bandpower(freqs, psd, bands):
    lo = min(b[0] for b in bands)
    hi = max(b[1] for b in bands)
    keep = (freqs >= lo) & (freqs <= hi)
    freqs, psd = freqs[keep], psd[keep]
    res = freqs[1] - freqs[0]
    total = integrate.simpson(psd, dx=res)
    absolute = np.array([integrate.simpson(psd[(freqs >= b0) & (freqs <= b1)], dx=res) for b0, b1, _ in bands])
    return absolute, absolute / total


def main():
    out = {}
    n3 = np.loadtxt(os.path.join(DATA, "yasa_N3_30s_100Hz.txt"))
    n2 = np.loadtxt(os.path.join(DATA, "yasa_N2_spindles_15s_200Hz.txt"))
    rng = np.random.default_rng(42)
    t = np.arange(1001) / 128.0
    synth = (rng.standard_normal(1001) * 3 + 10 * np.sin(2 * np.pi * 10 * t) + 4 * np.sin(2 * np.pi * 31.5 * t)
             + 0.05 * np.arange(1001))
    out["input__synth"] = synth

    def welch(name, x, fs, **kw):
        f, p = signal.welch(x, fs, **kw)
        out[f"welch__{name}__freqs"] = f
        out[f"welch__{name}__power"] = p

    welch("n3_default", n3, 100.0, nperseg=400)
    welch("n2_default", n2, 200.0, nperseg=400)
    welch("n2_4s", n2, 200.0, nperseg=800)
    welch("synth_hamming_linear_spectrum_median", synth[:1000], 128.0, nperseg=255, noverlap=100, nfft=300,
          window="hamming", detrend="linear", scaling="spectrum", average="median")
    welch("synth_blackman_nodetrend_oddnfft_median", synth, 128.0, nperseg=128, nfft=257, window="blackman",
          detrend=False, average="median")
    welch("synth_boxcar_nooverlap", synth, 128.0, nperseg=64, noverlap=0, window="boxcar")
    welch("synth_tukey05", synth, 128.0, nperseg=100, noverlap=75, window=("tukey", 0.5))
    welch("synth_short", synth[:100], 128.0, nperseg=256)

    f, tt, sxx = signal.spectrogram(n2, 200.0, nperseg=256)
    out["spectrogram__n2__freqs"], out["spectrogram__n2__times"], out["spectrogram__n2__power"] = f, tt, sxx.T
    f, tt, sxx = signal.spectrogram(synth, 128.0, nperseg=100, noverlap=50, window="hann", nfft=128)
    out["spectrogram__synth__freqs"], out["spectrogram__synth__times"], out["spectrogram__synth__power"] = f, tt, sxx.T

    for name in ("n3_default", "n2_default", "n2_4s"):
        a, r = yasa_bandpower(out[f"welch__{name}__freqs"], out[f"welch__{name}__power"], BANDS)
        out[f"bandpower__{name}__absolute"] = a
        out[f"bandpower__{name}__relative"] = r

    for n in range(0, 9):
        y = rng.standard_normal(n)
        out[f"simpson__{n}__y"] = y
        out[f"simpson__{n}__value"] = np.array(integrate.simpson(y, dx=0.37) if n > 0 else 0.0)

    for label, spec in [("hann", "hann"), ("hamming", "hamming"), ("blackman", "blackman"), ("boxcar", "boxcar"),
                        ("tukey025", ("tukey", 0.25)), ("tukey05", ("tukey", 0.5))]:
        for n in (1, 2, 7, 8, 255, 256):
            out[f"window__{label}__{n}"] = signal.get_window(spec, n)

    np.savez_compressed(OUT, **out)


if __name__ == "__main__":
    main()
