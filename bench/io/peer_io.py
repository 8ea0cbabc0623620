"""Peers of `hypnos bench io`: read an EDF file into float arrays with MNE-Python and with numpy.

Run by `hypnos bench io --peers` (Debian's /usr/bin/python3 has python3-mne and numpy):
    /usr/bin/python3 bench/io/peer_io.py FILE.edf [--signal 0] [--repeat 3]
Prints one JSON line per peer: {"name", "all_s", "one_s", "note"} with the best wall time of
--repeat runs; each run opens the file afresh, like the Java side.

- MNE: mne.io.read_raw_edf(FILE, preload=True) for all channels (MNE also resamples every channel
  to the highest rate, as it always does for mixed rates); for one channel,
  read_raw_edf(preload=False).get_data(picks=[signal]).
- numpy: the header parsed by hand, the data records memory-mapped as int16, each signal's slice
  of every record gathered, converted and scaled into a float32 array by one ufunc call plus an
  in-place add (the fastest of the plain numpy variants tried; the practical limit of a numpy decode).
"""
import argparse
import json
import sys
import time

import numpy as np


def header(path):
    with open(path, "rb") as f:
        fixed = f.read(256)
        ns = int(fixed[252:256])
        rest = f.read(256 * ns)
    field = lambda start, width, i: rest[start + i * width:start + (i + 1) * width].decode("latin-1").strip()
    offsets = {}
    pos = 0
    for name, width in (("label", 16), ("transducer", 80), ("unit", 8), ("pmin", 8), ("pmax", 8), ("dmin", 8),
                        ("dmax", 8), ("prefilter", 80), ("spr", 8), ("reserved", 32)):
        offsets[name] = (pos, width)
        pos += width * ns
    get = lambda name, i: field(offsets[name][0], offsets[name][1], i)
    sig = [{"label": get("label", i), "pmin": float(get("pmin", i)), "pmax": float(get("pmax", i)),
            "dmin": int(get("dmin", i)), "dmax": int(get("dmax", i)), "spr": int(get("spr", i))} for i in range(ns)]
    return {"header_bytes": 256 * (ns + 1), "records": int(fixed[236:244]), "signals": sig}


def numpy_read(path, picks=None):
    h = header(path)
    sig = h["signals"]
    rec = sum(s["spr"] for s in sig)
    mm = np.memmap(path, dtype="<i2", mode="r", offset=h["header_bytes"])
    n = len(mm) // rec
    data = mm[:n * rec].reshape(n, rec)
    out = []
    start = 0
    for i, s in enumerate(sig):
        if s["label"] != "EDF Annotations" and (picks is None or i in picks):
            gain = (s["pmax"] - s["pmin"]) / (s["dmax"] - s["dmin"])
            offset = s["pmin"] - gain * s["dmin"]
            x = np.empty((n, s["spr"]), dtype=np.float32)  # gather, convert and scale in one pass
            np.multiply(data[:, start:start + s["spr"]], np.float32(gain), out=x, casting="unsafe")
            x += np.float32(offset)
            out.append(x.reshape(-1))
        start += s["spr"]
    return out


def mne_all(path):
    import mne
    return mne.io.read_raw_edf(path, preload=True, verbose="error").get_data()


def mne_one(path, signal):
    import mne
    return mne.io.read_raw_edf(path, preload=False, verbose="error").get_data(picks=[signal])


def best(fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--signal", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    rows = []
    try:
        import mne
        rows.append({"name": "MNE read_raw_edf(preload=True)", "all_s": best(lambda: mne_all(a.file), a.repeat),
                     "one_s": best(lambda: mne_one(a.file, a.signal), a.repeat),
                     "note": "mne " + mne.__version__ + ", float64, resampled to the top rate"})
    except ImportError:
        print("mne not importable with " + sys.executable + "; skipping the MNE peer", file=sys.stderr)
    print(json.dumps(rows[-1]) if rows else "", flush=True)
    rows.append({"name": "numpy memmap decode", "all_s": best(lambda: numpy_read(a.file), a.repeat),
                 "one_s": best(lambda: numpy_read(a.file, picks={a.signal}), a.repeat),
                 "note": "numpy " + np.__version__ + ", float32"})
    print(json.dumps(rows[-1]), flush=True)


if __name__ == "__main__":
    main()
