#!/usr/bin/python3
"""Peer timing for ProbeSpeedTest: scikit-learn's StandardScaler + LogisticRegression (lbfgs,
C=1) to convergence on 20,000 x 768 Gaussian data with 5 classes, same construction as the Java test
(different random numbers). Run: /usr/bin/python3 hypnos-eval/src/test/python/probe_speed.py"""
import time

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

N, D, K = 20_000, 768, 5


CENTRES = 0.1 * np.random.default_rng(0).normal(size=(K, D))


def data(seed):
    rng = np.random.default_rng(seed)
    centres = CENTRES
    y = rng.integers(0, K, size=N)
    x = (centres[y] + rng.normal(size=(N, D))).astype(np.float32)
    return x, y


x, y = data(1)
xt, yt = data(2)
for tol, max_iter in [(1e-4, 100), (1e-8, 10000)]:
    t0 = time.perf_counter()
    m = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, tol=tol, max_iter=max_iter)).fit(x, y)
    dt = time.perf_counter() - t0
    print(f"sklearn lbfgs tol={tol} max_iter={max_iter}: {dt:.1f} s, {m[-1].n_iter_[0]} iterations, "
          f"test accuracy {m.score(xt, yt):.3f}")

# MLP peer: one epoch of the same MLP probe (768 -> 256 ReLU -> 5, Adam, batch 256) in PyTorch.
try:
    import torch
except ImportError:
    torch = None
if torch is not None:
    torch.manual_seed(0)
    xs = torch.from_numpy(StandardScaler().fit_transform(x).astype(np.float32))
    ys = torch.from_numpy(y)
    net = torch.nn.Sequential(torch.nn.Linear(D, 256), torch.nn.ReLU(), torch.nn.Linear(256, K))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    for epoch in range(3):
        t0 = time.perf_counter()
        perm = torch.randperm(18_000)
        for i in range(0, 18_000, 256):
            idx = perm[i:i + 256]
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(net(xs[idx]), ys[idx])
            loss.backward()
            opt.step()
        print(f"torch {torch.__version__} MLP epoch {epoch + 1}: {time.perf_counter() - t0:.2f} s "
              f"({torch.get_num_threads()} threads)")
