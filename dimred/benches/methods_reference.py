"""scikit-learn timings and trustworthiness for dimred/benches/methods.rs, on the same data.

Run from the repository root: python3 dimred/benches/methods_reference.py [FILTER]
(FILTER, like criterion's, keeps the rows whose "set/method" name contains it: `digits/`).
Prints the median and the best wall time of each method (REPEATS runs after a warm-up, 7
unless the environment variable REPEATS says otherwise; on a busy machine the best is the
steadier number) and the trustworthiness (k = 5) of its embedding. Run it right beside
`cargo bench -p dimred --bench methods` so both see the same machine load. CI never runs it.
"""
import os
import pathlib
import statistics
import sys
import time

import numpy as np
import scipy.linalg
from sklearn.datasets import make_swiss_roll
from sklearn.decomposition import PCA, KernelPCA
from sklearn.manifold import Isomap, trustworthiness
from sklearn.metrics import pairwise_distances

root = pathlib.Path(__file__).resolve().parents[2]
digits = np.loadtxt(root / "dimred/data/digits.csv", delimiter=",", skiprows=1)[:, :64]
roll, _ = make_swiss_roll(n_samples=2000, noise=0.0, random_state=0)


def classical_mds(x, d=2):
    """B = -1/2 J D^2 J and its top d eigenpairs by LAPACK's subset eigh."""
    d2 = pairwise_distances(x, metric="sqeuclidean")
    n = len(x)
    b = -0.5 * d2
    b -= b.mean(axis=0)
    b -= b.mean(axis=1)[:, None]
    w, v = scipy.linalg.eigh(b, subset_by_index=[n - d, n - 1])
    return v[:, ::-1] * np.sqrt(np.maximum(w[::-1], 0))


def timed(f, repeats=int(os.environ.get("REPEATS", "7"))):
    f()
    ts = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = f()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts), min(ts), out


for name, x, gamma in [("digits", digits, 4e-4), ("swiss_roll_2000", roll, 4e-3)]:
    xc = x - x.mean(axis=0)
    methods = {
        "pca": lambda: PCA(n_components=2).fit_transform(x),
        "pca_svd_full": lambda: PCA(n_components=2, svd_solver="full").fit_transform(x),
        # The thin SVD alone (LAPACK gesdd), the target of our PCA by SVD.
        "thin_svd": lambda: np.linalg.svd(xc, full_matrices=False)[0][:, :2],
        "classical_mds": lambda: classical_mds(x),
        "kernel_pca_rbf": lambda: KernelPCA(
            n_components=2, kernel="rbf", gamma=gamma, eigen_solver="arpack"
        ).fit_transform(x),
        "isomap_k10": lambda: Isomap(n_neighbors=10, n_components=2).fit_transform(x),
    }
    for m, f in methods.items():
        if len(sys.argv) > 1 and sys.argv[1] not in f"{name}/{m}":
            continue
        t, best, y = timed(f)
        tw = trustworthiness(x, y, n_neighbors=5)
        print(
            f"{name:16s} {m:16s} {1e3 * t:9.1f} ms (best {1e3 * best:.1f})"
            f"   trustworthiness {tw:.4f}"
        )
