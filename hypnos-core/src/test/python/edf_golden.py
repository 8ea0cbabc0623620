"""Golden values for the EDF reader tests, computed by decoding the files here with numpy.

Independent of the Java reader: a direct reading of the EDF specification (fixed-width ASCII
header, little-endian int16 records, physical = (digital - dmin) * (pmax - pmin) / (dmax - dmin) + pmin,
TALs split on 0x14/0x15/0x00). Where MNE is importable (Debian /usr/bin/python3) the physical
values are cross-checked against mne.io.read_raw_edf as well.

Run from the repository root:
    python3 hypnos-core/src/test/python/edf_golden.py
Writes hypnos-core/src/test/resources/ai/hypnos/core/edf/test_generator_2_golden.json and
hmc_sn001_scoring_golden.json.
"""
import gzip
import json
import os
import re
import sys

import numpy as np

ROOT = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(ROOT, "..", "resources", "data", "edf")
OUT = os.path.join(ROOT, "..", "resources", "ai", "hypnos", "core", "edf")

SIGNAL_FIELDS = [("label", 16), ("transducer", 80), ("unit", 8), ("physical_min", 8), ("physical_max", 8),
                 ("digital_min", 8), ("digital_max", 8), ("prefiltering", 80), ("samples_per_record", 8),
                 ("reserved", 32)]

TAL = re.compile(rb"([+-]\d+(?:\.\d*)?)(?:\x15(\d+(?:\.\d*)?))?\x14(.*?)\x14\x00", re.S)


def load(name):
    path = os.path.join(DATA, name)
    if os.path.exists(path):
        return open(path, "rb").read()
    return gzip.open(path + ".gz", "rb").read()


def parse_header(raw):
    text = lambda a, n: raw[a:a + n].decode("latin-1").strip()
    h = {"version": text(0, 8), "patient": text(8, 80), "recording": text(88, 80), "startdate": text(168, 8),
         "starttime": text(176, 8), "header_bytes": int(text(184, 8)), "reserved": text(192, 44),
         "records": int(text(236, 8)), "record_duration": float(text(244, 8)), "signals": int(text(252, 4))}
    ns = h["signals"]
    pos = 256
    sig = {}
    for name, width in SIGNAL_FIELDS:
        sig[name] = [raw[pos + i * width:pos + (i + 1) * width].decode("latin-1").strip() for i in range(ns)]
        pos += width * ns
    for k in ("physical_min", "physical_max"):
        sig[k] = [float(v) for v in sig[k]]
    for k in ("digital_min", "digital_max", "samples_per_record"):
        sig[k] = [int(v) for v in sig[k]]
    h["signal"] = sig
    return h


def decode(raw, h):
    """Digital samples per signal (int16) and the annotation signals' bytes per record."""
    spr = np.array(h["signal"]["samples_per_record"])
    rec_samples = int(spr.sum())
    data = np.frombuffer(raw, dtype="<i2", offset=h["header_bytes"])
    n = h["records"] if h["records"] > 0 else len(data) // rec_samples
    data = data[:n * rec_samples].reshape(n, rec_samples)
    starts = np.concatenate([[0], np.cumsum(spr)[:-1]])
    out = []
    for i in range(h["signals"]):
        out.append(data[:, starts[i]:starts[i] + spr[i]])
    return out, n


def physical(dig, h, i):
    s = h["signal"]
    gain = (s["physical_max"][i] - s["physical_min"][i]) / (s["digital_max"][i] - s["digital_min"][i])
    return (dig.astype(np.float64) - s["digital_min"][i]) * gain + s["physical_min"][i]


def tals(records_bytes):
    """(onset, duration or None, [texts]) of every TAL, record by record."""
    out = []
    for r, b in enumerate(records_bytes):
        for m in TAL.finditer(b):
            texts = m.group(3).split(b"\x14")
            out.append({"record": r, "onset": float(m.group(1)),
                        "duration": float(m.group(2)) if m.group(2) else None,
                        "texts": [t.decode("utf-8") for t in texts]})
    return out


def golden_generator():
    raw = load("test_generator_2.edf")
    h = parse_header(raw)
    signals, n = decode(raw, h)
    labels = h["signal"]["label"]
    picks = [0, 1, 2, 199, 200, 201, 54321, 119999]
    per_signal = []
    ann = None
    for i, label in enumerate(labels):
        if label == "EDF Annotations":
            ann = tals([rec.tobytes() for rec in signals[i]])
            continue
        dig = signals[i].reshape(-1)
        phys = physical(dig, h, i)
        per_signal.append({"label": label, "samples": int(dig.size), "picks": picks,
                           "digital": [int(dig[p]) for p in picks], "physical": [float(phys[p]) for p in picks],
                           "sum": float(phys.sum()), "sum_squares": float((phys * phys).sum()),
                           "min": float(phys.min()), "max": float(phys.max())})
    cross_check_mne(os.path.join(DATA, "test_generator_2.edf"), raw, per_signal)
    timekeeping = [t["onset"] for t in ann if t["texts"] == [""]]
    annotations = [(t["onset"], t["duration"], x) for t in ann for x in t["texts"] if x]
    return {"header": h, "records_in_file": n, "signals": per_signal, "tal_count": len(ann),
            "timekeeping_count": len(timekeeping), "timekeeping_first_last": [timekeeping[0], timekeeping[-1]],
            "annotations": annotations}


def cross_check_mne(path, raw, per_signal):
    try:
        import mne
    except ImportError:
        print("mne not importable here; numpy decode only", file=sys.stderr)
        return
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        p = os.path.join(d, "x.edf")
        open(p, "wb").write(raw)
        r = mne.io.read_raw_edf(p, preload=True, verbose="error")
        x = r.get_data()  # volts for uV channels; compare after rescaling each channel
        for k, s in enumerate(per_signal):
            ch = x[r.ch_names.index(s["label"])]
            scale = s["physical"][0] / ch[0] if ch[0] != 0 else 1e6
            assert np.allclose(ch[s["picks"]] * scale, s["physical"], rtol=1e-9, atol=1e-9), s["label"]
    print("mne agrees with the numpy decode", file=sys.stderr)


def golden_hmc():
    raw = load("hmc_sn001_scoring.edf")
    h = parse_header(raw)
    signals, n = decode(raw, h)
    ann = tals([rec.tobytes() for rec in signals[0]])
    stages = {}
    for t in ann:
        for text in t["texts"]:
            if text.startswith("Sleep stage "):
                stages[text] = stages.get(text, 0) + 1
    others = [(t["onset"], t["duration"], x) for t in ann for x in t["texts"] if x and not x.startswith("Sleep stage")]
    return {"header": h, "records_in_file": n, "tal_count": len(ann), "stage_counts": stages,
            "other_annotations": others, "first_stage_onset": ann[1]["onset"], "last_tal": ann[-1]}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, g in (("test_generator_2_golden.json", golden_generator()), ("hmc_sn001_scoring_golden.json", golden_hmc())):
        with open(os.path.join(OUT, name), "w") as f:
            json.dump(g, f, indent=1, ensure_ascii=False)
            f.write("\n")
        print("wrote", name, file=sys.stderr)


if __name__ == "__main__":
    main()
