#!/usr/bin/python3
"""Golden outputs for hypnos-eval's metric, probe and statistics tests.

Run with Debian's Python (scikit-learn 1.2, scipy 1.10, numpy 1.24):

    /usr/bin/python3 hypnos-eval/src/test/python/sklearn_golden.py

It writes hypnos-eval/src/test/resources/golden/eval_golden.json. Inputs are generated here from
fixed seeds and stored in the JSON next to the outputs, so the Java tests read both from one file.
Feature matrices are rounded to float32 first because the Java probes hold features as float.
"""
import itertools
import json
import os
import sys

import numpy as np
import scipy
import scipy.stats as st
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (accuracy_score, average_precision_score, balanced_accuracy_score,
                             cohen_kappa_score, confusion_matrix, f1_score, precision_score,
                             recall_score, roc_auc_score, roc_curve)
from sklearn.preprocessing import StandardScaler

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "golden", "eval_golden.json")


def classification_case(y_true, y_pred, k, weights=None):
    labels = list(range(k))
    kw = {} if weights is None else {"sample_weight": weights}
    return {
        "y_true": [int(v) for v in y_true],
        "y_pred": [int(v) for v in y_pred],
        "weights": None if weights is None else [float(w) for w in weights],
        "num_classes": k,
        "accuracy": accuracy_score(y_true, y_pred, **kw),
        "balanced_accuracy": balanced_accuracy_score(y_true, y_pred, **kw),
        "cohen_kappa": cohen_kappa_score(y_true, y_pred, **kw),
        "macro_f1": f1_score(y_true, y_pred, average="macro", zero_division=0, **kw),
        "per_class_f1": f1_score(y_true, y_pred, labels=labels, average=None, zero_division=0, **kw).tolist(),
        "per_class_precision": precision_score(y_true, y_pred, labels=labels, average=None, zero_division=0, **kw).tolist(),
        "per_class_recall": recall_score(y_true, y_pred, labels=labels, average=None, zero_division=0, **kw).tolist(),
        "confusion_matrix": confusion_matrix(y_true, y_pred, labels=labels, **kw).astype(float).tolist(),
    }


def classification_cases(rng):
    cases = []
    # Realistic staging-like predictions: mostly right, confusions between neighbours.
    y = rng.choice(5, size=400, p=[0.2, 0.08, 0.42, 0.15, 0.15])
    pred = y.copy()
    flip = rng.random(400) < 0.3
    pred[flip] = np.clip(y[flip] + rng.choice([-1, 1], size=flip.sum()), 0, 4)
    cases.append(classification_case(y, pred, 5))
    # A class never predicted (N1), and one absent from both (class 5 of 6).
    y2 = rng.choice(5, size=150)
    p2 = np.where(y2 == 1, 2, y2)
    p2[rng.random(150) < 0.2] = 0
    cases.append(classification_case(y2, p2, 6))
    # A class predicted but never true.
    y3 = rng.choice([0, 2, 3], size=60)
    p3 = rng.choice(4, size=60)
    cases.append(classification_case(y3, p3, 4))
    # Weighted (bootstrap-like integer multiplicities).
    w = rng.integers(0, 4, size=400).astype(float)
    cases.append(classification_case(y, pred, 5, w))
    return cases


def binary_case(y, s, w=None):
    kw = {} if w is None else {"sample_weight": w}
    fpr, tpr, thr = roc_curve(y, s, drop_intermediate=False, **kw)
    return {
        "y": [int(v) for v in y],
        "score": [float(v) for v in s],
        "weights": None if w is None else [float(v) for v in w],
        "auroc": roc_auc_score(y, s, **kw),
        "average_precision": average_precision_score(y, s, **kw),
        "roc_fpr": fpr.tolist(),
        "roc_tpr": tpr.tolist(),
    }


def binary_cases(rng):
    cases = []
    y = (rng.random(300) < 0.3).astype(int)
    s = rng.normal(size=300) + 1.2 * y
    cases.append(binary_case(y, s))
    # Heavy ties: scores rounded to one decimal.
    s2 = np.round(rng.random(200) * 0.6 + 0.4 * (y2 := (rng.random(200) < 0.5).astype(int)), 1)
    cases.append(binary_case(y2, s2))
    # Weighted.
    w = rng.integers(0, 3, size=300).astype(float)
    cases.append(binary_case(y, s, w))
    return cases


def objective_gradient(X, y, k, C, balanced, coef, intercept):
    """max |gradient| of C*sum(w*logloss) + |W|^2/2 at (coef, intercept), written out in numpy."""
    n = len(y)
    classes, counts = np.unique(y, return_counts=True)
    w = np.ones(n) if not balanced else (n / (len(classes) * counts))[np.searchsorted(classes, y)]
    z = X @ coef.T + intercept
    if k == 2:
        p = 1 / (1 + np.exp(-z[:, 0]))
        r = w * (p - y)
        gw = C * (r @ X) + coef[0]
        gb = C * r.sum()
        return float(max(np.abs(gw).max(), abs(gb)))
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    r = (p - np.eye(k)[y]) * w[:, None]
    gw = C * (r.T @ X) + coef
    gb = C * r.sum(axis=0)
    return float(max(np.abs(gw).max(), np.abs(gb).max()))


def logistic_cases(rng):
    """One dataset (inputs stored once) fitted with several C, class weights and scalings."""
    n, d = 240, 5
    centers = rng.normal(scale=1.5, size=(3, d))
    y = rng.choice(3, size=n, p=[0.5, 0.3, 0.2])
    X = (centers[y] + rng.normal(size=(n, d)) * np.array([1.0, 2.0, 0.5, 1.0, 3.0]) + np.array([0, 5, -2, 0, 10]))
    X = X.astype(np.float32).astype(np.float64)
    Xt = (centers[rng.choice(3, size=30)] + rng.normal(size=(30, d))).astype(np.float32).astype(np.float64)
    yb = (y == 0).astype(int)
    cases = []
    for name, yy, k in [("multinomial", y, 3), ("binary", yb, 2)]:
        for C in [0.05, 1.0, 20.0]:
            for cw in [None, "balanced"]:
                for standardize in [False, True]:
                    Xf, Xtf = X, Xt
                    if standardize:
                        sc = StandardScaler().fit(X)
                        Xf, Xtf = sc.transform(X), sc.transform(Xt)
                    # sklearn's default lbfgs stops on a relative-decrease test (scipy's ftol ~2e-9)
                    # about 1e-3 away from the optimum; newton-cg with a tiny gradient tolerance
                    # reaches the optimum of the same objective, which is what we compare with.
                    m = LogisticRegression(C=C, class_weight=cw, solver="newton-cg", tol=1e-10,
                                           max_iter=1000).fit(Xf, yy)
                    grad = objective_gradient(Xf, yy, k, C, cw == "balanced", m.coef_, m.intercept_)
                    assert grad / (C * len(yy)) < 1e-9, (name, C, cw, standardize, grad)
                    cases.append({
                        "name": f"{name} C={C} class_weight={cw} standardize={standardize}",
                        "target": name, "num_classes": k, "C": C, "balanced": cw == "balanced",
                        "standardize": standardize,
                        "coef": m.coef_.tolist(), "intercept": m.intercept_.tolist(),
                        "proba_test": m.predict_proba(Xtf).tolist(),
                        "max_abs_gradient": grad,
                    })
    return {"X": X.tolist(), "y_multinomial": y.tolist(), "y_binary": yb.tolist(), "X_test": Xt.tolist(),
            "cases": cases}


def brute_force_signed_rank(d):
    """Exact sign-flip null of r+ (zeros dropped, average ranks): what scipy >= 1.13 computes
    with permutation_test for small samples with ties or zeros."""
    d = np.asarray(d, dtype=float)
    d = d[d != 0]
    r = st.rankdata(np.abs(d))
    obs = np.sum(r[d > 0])
    null = np.array([np.sum(r[np.array(signs) > 0]) for signs in itertools.product([-1, 1], repeat=len(d))])
    eps = 1e-12
    p = 2 * min(np.mean(null <= obs + eps), np.mean(null >= obs - eps))
    return min(1.0, p), min(obs, np.sum(r) - obs)


def wilcoxon_cases(rng):
    cases = []
    # Exact: no ties, no zeros, n <= 50.
    x = rng.normal(size=20)
    y = x + rng.normal(loc=0.3, size=20)
    r = st.wilcoxon(x, y)
    cases.append({"name": "exact n=20", "x": x.tolist(), "y": y.tolist(), "statistic": float(r.statistic),
                  "p_value": float(r.pvalue), "method": "EXACT"})
    x = rng.normal(size=45)
    y = x + rng.normal(loc=0.05, size=45)
    r = st.wilcoxon(x, y)
    cases.append({"name": "exact n=45", "x": x.tolist(), "y": y.tolist(), "statistic": float(r.statistic),
                  "p_value": float(r.pvalue), "method": "EXACT"})
    # Normal approximation with ties (n > 50), tie-corrected variance, no continuity correction.
    x = np.round(rng.normal(size=70), 1)
    y = np.round(x + rng.normal(loc=0.2, size=70), 1)
    keep = x != y
    x, y = x[keep][:60], y[keep][:60]
    r = st.wilcoxon(x, y)
    cases.append({"name": "approx ties n=60", "x": x.tolist(), "y": y.tolist(), "statistic": float(r.statistic),
                  "p_value": float(r.pvalue), "method": "NORMAL_APPROXIMATION"})
    # Zeros with n = 30: zeros dropped, normal approximation (scipy 1.10 and >= 1.13 agree).
    x = np.round(rng.normal(size=30), 1)
    y = x.copy()
    y[:24] = np.round(y[:24] + rng.normal(loc=0.3, size=24), 1)
    r = st.wilcoxon(x, y)
    cases.append({"name": "zeros n=30", "x": x.tolist(), "y": y.tolist(), "statistic": float(r.statistic),
                  "p_value": float(r.pvalue), "method": "NORMAL_APPROXIMATION"})
    # Ties, 14 <= n <= 50: scipy >= 1.13 uses the asymptotic method (scipy 1.10's "auto" used a
    # truncated exact statistic instead); method="approx" gives the newer answer on 1.10.
    x = np.array([1, 2, 2, 3, 3, 3, 4, 4, 5, 6, 7, 8, 9, 10, 11, 12], dtype=float)
    y = x - np.array([1, -1, 2, 2, -2, 3, 1, 4, 4, -5, 5, 6, 6, -6, 7, 8], dtype=float)
    r = st.wilcoxon(x, y, method="approx")
    cases.append({"name": "ties n=16 (asymptotic)", "x": x.tolist(), "y": y.tolist(), "statistic": float(r.statistic),
                  "p_value": float(r.pvalue), "method": "NORMAL_APPROXIMATION"})
    # Ties and zeros with n <= 13: exact sign-flip permutation distribution (scipy >= 1.13).
    x = np.array([0.5, 1.0, 1.0, 2.0, 2.5, 3.0, 3.0, 4.0, 1.5, 0.0], dtype=float)
    y = np.array([0.0, 0.0, 2.0, 1.0, 0.5, 1.0, 3.0, 1.0, 3.0, -1.0], dtype=float)
    p, stat = brute_force_signed_rank(x - y)
    cases.append({"name": "ties+zeros n=10 (permutation)", "x": x.tolist(), "y": y.tolist(), "statistic": float(stat),
                  "p_value": float(p), "method": "PERMUTATION"})
    return cases


def benjamini_hochberg(p):
    p = np.asarray(p, dtype=float)
    m = len(p)
    order = np.argsort(p)
    ranked = p[order] * m / np.arange(1, m + 1)
    adj = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(adj, 1.0)
    return out


def bh_cases(rng):
    cases = []
    for p in [rng.random(12) ** 3, np.array([0.01, 0.04, 0.04, 0.03, 0.2, 0.9, 0.001, 0.5]), np.array([0.8])]:
        cases.append({"p": p.tolist(), "adjusted": benjamini_hochberg(p).tolist()})
    return cases


def main():
    rng = np.random.default_rng(20261124)
    golden = {
        "generator": "hypnos-eval/src/test/python/sklearn_golden.py",
        "versions": {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__,
                     "sklearn": sklearn.__version__},
        "classification": classification_cases(rng),
        "binary": binary_cases(rng),
        "logistic": logistic_cases(rng),
        "wilcoxon": wilcoxon_cases(rng),
        "benjamini_hochberg": bh_cases(rng),
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(golden, f, separators=(",", ":"))
    print("wrote", os.path.normpath(OUT), os.path.getsize(OUT), "bytes")


if __name__ == "__main__":
    main()
