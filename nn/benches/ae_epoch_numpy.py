"""NumPy reference for benches/ae_epoch.rs: one Adam epoch (lr 1e-3, batch 32, float64) of the
64-32-2-32-64 autoencoder (tanh, linear code, tanh, sigmoid output; mean squared error) on the
digits scaled to [0, 1], written as a plain hand-written loop. Prints the best and median wall
time per epoch and the CPU time. Run: python3 nn/benches/ae_epoch_numpy.py
"""
import os
import time

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
raw = np.loadtxt(os.path.join(here, "../../dimred/data/digits.csv"), delimiter=",", skiprows=1)
X = raw[:, :64] / 16.0
N = X.shape[0]
rng = np.random.default_rng(1)
sizes = [64, 32, 2, 32, 64]
acts = ["tanh", "id", "tanh", "sigmoid"]
W = [rng.uniform(-1, 1, (a, b)) * np.sqrt(6.0 / (a + b)) for a, b in zip(sizes, sizes[1:])]
B = [np.zeros(b) for b in sizes[1:]]
params = W + B
m = [np.zeros_like(p) for p in params]
v = [np.zeros_like(p) for p in params]
t = 0


def f(name, z):
    if name == "tanh":
        return np.tanh(z)
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-z))
    return z


def df(name, x):
    if name == "tanh":
        return 1.0 - x * x
    if name == "sigmoid":
        return x * (1.0 - x)
    return 1.0


def epoch(order):
    global t
    for s in range(0, N, 32):
        idx = order[s : s + 32]
        xb = X[idx]
        hs = [xb]
        for w, b, a in zip(W, B, acts):
            hs.append(f(a, hs[-1] @ w + b))
        g = 2.0 * (hs[-1] - xb) / xb.size
        gw, gb = [None] * 4, [None] * 4
        for l in range(3, -1, -1):
            d = g * df(acts[l], hs[l + 1])
            gw[l] = hs[l].T @ d
            gb[l] = d.sum(axis=0)
            g = d @ W[l].T
        t += 1
        for k, (p, gr) in enumerate(zip(params, gw + gb)):
            m[k] = 0.9 * m[k] + 0.1 * gr
            v[k] = 0.999 * v[k] + 0.001 * gr * gr
            mh = m[k] / (1 - 0.9**t)
            vh = v[k] / (1 - 0.999**t)
            p -= 1e-3 * mh / (np.sqrt(vh) + 1e-8)


order = np.random.default_rng(7).permutation(N)
epoch(order)
walls, c0 = [], time.process_time()
for _ in range(30):
    w0 = time.perf_counter()
    epoch(order)
    walls.append(time.perf_counter() - w0)
cpu = (time.process_time() - c0) / 30
print(f"numpy Adam epoch: best {min(walls)*1e3:.2f} ms, median {np.median(walls)*1e3:.2f} ms, cpu {cpu*1e3:.2f} ms")
