"""Crafts small BDF+C and EDF+D files byte by byte with numpy, plus their expected contents.

These files exercise what the real test files do not: 24-bit samples, an inverted physical
range, 0.5-s data records with mixed rates, a sub-second start, a year before 2000, UTF-8
annotation texts with several texts per TAL and a negative onset (BDF+C); gaps between records
and two annotation signals (EDF+D). They are written here from the specification, not by the
Java writer, so they are independent truth for the reader. MNE (Debian /usr/bin/python3), when
importable, re-reads the BDF to confirm the numpy values.

Run from the repository root:
    /usr/bin/python3 hypnos-core/src/test/python/edf_fixtures.py
Writes, under hypnos-core/src/test/resources/ai/hypnos/core/edf/: bdf_plus_c.bdf,
edf_plus_d.edf and fixtures_golden.json.
"""
import json
import os
import sys

import numpy as np

ROOT = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(ROOT, "..", "resources", "ai", "hypnos", "core", "edf")


def field(value, width):
    b = value.encode("ascii") if isinstance(value, str) else value
    assert len(b) <= width, (value, width)
    return b + b" " * (width - len(b))


def header(version, patient, recording, date, time, reserved, records, duration, signals):
    ns = len(signals)
    h = version + field(patient, 80) + field(recording, 80) + field(date, 8) + field(time, 8)
    h += field(str(256 * (ns + 1)), 8) + field(reserved, 44) + field(str(records), 8) + field(duration, 8)
    h += field(str(ns), 4)
    for name, width in (("label", 16), ("transducer", 80), ("unit", 8), ("pmin", 8), ("pmax", 8),
                        ("dmin", 8), ("dmax", 8), ("prefilter", 80), ("spr", 8), ("reserved", 32)):
        for s in signals:
            h += field(str(s.get(name, "")), width)
    assert len(h) == 256 * (ns + 1)
    return h


def tal_bytes(tals, size):
    """TALs (onset text, duration text or None, [texts]) to exactly `size` bytes, zero padded."""
    b = b""
    for onset, duration, texts in tals:
        b += onset.encode("ascii")
        if duration is not None:
            b += b"\x15" + duration.encode("ascii")
        b += b"\x14" + b"".join(t.encode("utf-8") + b"\x14" for t in texts) + b"\x00"
    assert len(b) <= size, (len(b), size)
    return b + b"\x00" * (size - len(b))


def int24le(values):
    v = np.asarray(values, dtype=np.int64) & 0xFFFFFF
    out = np.empty((v.size, 3), dtype=np.uint8)
    out[:, 0] = v & 0xFF
    out[:, 1] = (v >> 8) & 0xFF
    out[:, 2] = (v >> 16) & 0xFF
    return out.reshape(-1).tobytes()


def physical(dig, s):
    gain = (s["pmax"] - s["pmin"]) / (s["dmax"] - s["dmin"])
    return (np.asarray(dig, dtype=np.float64) - s["dmin"]) * gain + s["pmin"]


def summary(dig, s, picks):
    phys = physical(dig, s)
    return {"label": s["label"], "samples": int(dig.size), "rate": s["rate"], "picks": picks,
            "digital": [int(dig[p]) for p in picks], "physical": [float(phys[p]) for p in picks],
            "sum": float(phys.sum()), "min": float(phys.min()), "max": float(phys.max())}


def make_bdf(rng):
    records, duration = 20, 0.5
    signals = [
        {"label": "EEG Fpz-Cz", "unit": "uV", "pmin": -3000.5, "pmax": 2999.25, "dmin": -8388608, "dmax": 8388607, "rate": 256},
        {"label": "Resp abdomen", "unit": "uV", "pmin": 500, "pmax": -500, "dmin": -8000000, "dmax": 8000000, "rate": 32},
        {"label": "SpO2", "unit": "uV", "pmin": 0, "pmax": 100, "dmin": 0, "dmax": 1000, "rate": 2},
    ]
    for s in signals:
        s["spr"] = int(s["rate"] * duration)
    ann = {"label": "BDF Annotations", "pmin": -1, "pmax": 1, "dmin": -8388608, "dmax": 8388607, "spr": 40}
    dig = [rng.integers(s["dmin"], s["dmax"] + 1, size=records * s["spr"]) for s in signals]
    dig[0][:4] = [s for s in (signals[0]["dmin"], signals[0]["dmax"], 0, -1)]  # the extremes and the sign boundary
    tals = {0: [("+1.5", "0.5", ["Arousal"])],
            3: [("+2.0", None, ["Apnée obstructive", "Désat 3 %"]), ("-0.5", "1", ["Before start"])],
            19: [("+9.75", "0", ["睡眠 stage R"])]}
    data = b""
    for r in range(records):
        for k, s in enumerate(signals):
            data += int24le(dig[k][r * s["spr"]:(r + 1) * s["spr"]])
        tk = "+" + repr(0.25 + r * duration)
        data += tal_bytes([(tk, None, [])] + tals.get(r, []), ann["spr"] * 3)
    h = header(b"\xffBIOSEMI", "P0042 F 02-MAR-1950 Jane_Roe", "Startdate 31-DEC-1999 A7 tech BioSemi_ActiveTwo",
               "31.12.99", "23.59.58", "BDF+C", records, "0.5", signals + [ann])
    path = os.path.join(OUT, "bdf_plus_c.bdf")
    open(path, "wb").write(h + data)
    picks_by = {256: [0, 1, 2, 3, 127, 128, 2559], 32: [0, 15, 16, 319], 2: [0, 1, 19]}
    golden = {"file": "bdf_plus_c.bdf", "format": "BDF+C", "records": records, "record_duration": duration,
              "start": "1999-12-31T23:59:58.250", "patient": "P0042 F 02-MAR-1950 Jane_Roe",
              "signals": [summary(dig[k], s, picks_by[s["rate"]]) for k, s in enumerate(signals)],
              "annotations": sorted([(float(o) - 0.25, float(d) if d is not None else None, t)
                                     for tl in tals.values() for o, d, texts in tl for t in texts],
                                    key=lambda a: a[0])}
    cross_check_mne(path, golden)
    return golden


def cross_check_mne(path, golden):
    try:
        import mne
    except ImportError:
        print("mne not importable here; numpy values only", file=sys.stderr)
        return
    r = mne.io.read_raw_bdf(path, preload=True, verbose="error")
    for s in golden["signals"]:
        x = r.get_data(picks=[s["label"]])[0] * 1e6  # MNE returns volts for uV channels
        if len(x) == s["samples"]:  # MNE resamples lower rates to the highest; compare the top-rate signal
            assert np.allclose(x[s["picks"]], s["physical"], rtol=1e-7, atol=1e-6), s["label"]
    print("mne agrees with the numpy decode", file=sys.stderr)


def make_edf_d(rng):
    duration = 2
    onsets = ["+0.5", "+2.5", "+4.5", "+10", "+12", "+31", "+33", "+35"]
    signals = [
        {"label": "ECG", "unit": "mV", "pmin": -5, "pmax": 5, "dmin": -2048, "dmax": 2047, "rate": 100},
        {"label": "Pleth", "unit": "", "pmin": -100, "pmax": 100, "dmin": -32768, "dmax": 32767, "rate": 10},
    ]
    for s in signals:
        s["spr"] = s["rate"] * duration
    ann = {"label": "EDF Annotations", "pmin": -1, "pmax": 1, "dmin": -32768, "dmax": 32767, "spr": 30}
    records = len(onsets)
    dig = [rng.integers(s["dmin"], s["dmax"] + 1, size=records * s["spr"]).astype("<i2") for s in signals]
    first = {3: [("+10.25", "5", ["Central apnea"])], 6: [("+33", None, ["Artifact"])]}
    second = {0: [("+0.5", None, ["Recording start"])], 7: [("+36.5", "0.5", ["Recording end"])]}
    data = b""
    for r in range(records):
        for k, s in enumerate(signals):
            data += dig[k][r * s["spr"]:(r + 1) * s["spr"]].tobytes()
        data += tal_bytes([(onsets[r], None, [])] + first.get(r, []), ann["spr"] * 2)
        data += tal_bytes(second.get(r, []), ann["spr"] * 2)
    h = header(b"0       ", "X X X X", "Startdate 05-JUN-2031 X X X", "05.06.31", "01.02.03", "EDF+D",
               records, "2", signals + [ann, ann])
    open(os.path.join(OUT, "edf_plus_d.edf"), "wb").write(h + data)
    rel = [float(o) - 0.5 for o in onsets]
    segments = []
    for r, o in enumerate(rel):
        if segments and abs(segments[-1][0] + segments[-1][1] - o) < 1e-9:
            segments[-1][1] += duration
            segments[-1][3] += 1
        else:
            segments.append([o, duration, r, 1])
    return {"file": "edf_plus_d.edf", "format": "EDF+D", "records": records, "record_duration": duration,
            "start": "2031-06-05T01:02:03.500", "record_onsets": rel, "segments": segments,
            "signals": [summary(dig[k], s, [0, 1, s["spr"] - 1, s["spr"], records * s["spr"] - 1])
                        for k, s in enumerate(signals)],
            "annotations": sorted([(float(o) - 0.5, float(d) if d is not None else None, t)
                                   for tl in list(first.values()) + list(second.values())
                                   for o, d, texts in tl for t in texts], key=lambda a: a[0])}


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20240611)
    golden = {"bdf_plus_c": make_bdf(rng), "edf_plus_d": make_edf_d(rng)}
    with open(os.path.join(OUT, "fixtures_golden.json"), "w") as f:
        json.dump(golden, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print("wrote bdf_plus_c.bdf, edf_plus_d.edf, fixtures_golden.json", file=sys.stderr)


if __name__ == "__main__":
    main()
