"""The reference curves beside `cargo run --release -p lectures --example scaling`.

Run from the repository root (optional: CI never runs it; needs scikit-learn, openTSNE):

    pip install scikit-learn openTSNE
    python3 dimred/benches/scaling_reference.py [--cap SECONDS] [--sizes 500,1000,...]

Measures the wall time, CPU time and peak memory of the scikit-learn / openTSNE counterpart of each of
our methods at the same N and writes dimred/benches/scaling/reference.csv, with the columns of
our ours.csv. As ours, each (method, N) runs in a child process of its own (the peak memory is
the child's ru_maxrss, so the interpreter and the data count: about 100 MB of it is numpy,
scipy and scikit-learn themselves), and a method whose run passes the cap (default 300 s) is
stopped and not run at larger N. Data: scikit-learn's noise-free swiss roll (the same
surface as ours, other random draws).

Counterparts: PCA; classical MDS by LAPACK's subset eigh (scikit-learn has none); KernelPCA
(RBF, γ = 1/D, ARPACK); Nystroem (500 random landmarks) followed by PCA, the same mathematics
as our Nyström kernel PCA; Isomap (k = 10); MDS (SMACOF, metric, one start, 300 iterations,
eps 0); openTSNE (FFT gradient, 250 + 750 iterations = our 1000, 2 threads); and
MLPRegressor for one epoch of a 3-64-32-2-32-64-3 tanh network with Adam, minibatches of 64
(its code layer is tanh, ours linear). Landmark Isomap and diffusion maps (exact or Nyström)
have no counterpart in scikit-learn and are not run.
"""
import argparse
import os
import pathlib
import resource
import subprocess
import sys
import time
import warnings

SIZES = [500, 1000, 2000, 5000, 10_000, 20_000, 70_000]
METHODS = ["pca", "mds", "kpca", "kpca-nystrom", "isomap", "smacof", "tsne", "autoencoder-epoch"]
SQUARE = {"mds", "kpca", "isomap", "smacof"}  # hold N x N matrices
ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "dimred/benches/scaling/reference.csv"
HEADER = "implementation,method,n,seconds,cpu_seconds,peak_mib,status,load1"


def classical_mds(x, d=2):
    """B = -1/2 J D^2 J and its top d eigenpairs by LAPACK's subset eigh."""
    import numpy as np
    import scipy.linalg
    from sklearn.metrics import pairwise_distances

    b = -0.5 * pairwise_distances(x, metric="sqeuclidean")
    b -= b.mean(axis=0)
    b -= b.mean(axis=1)[:, None]
    n = len(x)
    w, v = scipy.linalg.eigh(b, subset_by_index=[n - d, n - 1], overwrite_a=True)
    return v[:, ::-1] * np.sqrt(np.maximum(w[::-1], 0))


def run(method, x):
    """Fit `method` on x; the wall time and CPU time (all threads) of the fit alone."""
    from sklearn.decomposition import PCA, KernelPCA
    from sklearn.kernel_approximation import Nystroem
    from sklearn.manifold import MDS, Isomap
    from sklearn.neural_network import MLPRegressor
    from sklearn.pipeline import make_pipeline

    gamma = 1.0 / x.shape[1]
    fits = {
        "pca": lambda: PCA(n_components=2).fit_transform(x),
        "mds": lambda: classical_mds(x),
        "kpca": lambda: KernelPCA(
            n_components=2, kernel="rbf", gamma=gamma, eigen_solver="arpack", random_state=0
        ).fit_transform(x),
        "kpca-nystrom": lambda: make_pipeline(
            Nystroem(gamma=gamma, n_components=min(500, len(x)), random_state=0),
            PCA(n_components=2),
        ).fit_transform(x),
        "isomap": lambda: Isomap(n_neighbors=10, n_components=2).fit_transform(x),
        "smacof": lambda: MDS(
            n_components=2, metric_mds=True, n_init=1, init="classical_mds", max_iter=300,
            eps=0.0, random_state=0, normalized_stress=False,
        ).fit_transform(x),
        "tsne": lambda: tsne(x),
        "autoencoder-epoch": lambda: MLPRegressor(
            hidden_layer_sizes=(64, 32, 2, 32, 64), activation="tanh", solver="adam",
            batch_size=64, max_iter=1, random_state=0,
        ).fit(x, x),
    }
    t0, c0 = time.perf_counter(), cpu()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # one epoch "does not converge", by design
        fits[method]()
    return time.perf_counter() - t0, cpu() - c0


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def tsne(x):
    import openTSNE

    return openTSNE.TSNE(
        perplexity=30, early_exaggeration_iter=250, n_iter=750, n_jobs=2, random_state=0
    ).fit(x)


def child(method, n):
    from sklearn.datasets import make_swiss_roll

    x, _ = make_swiss_roll(n_samples=n, noise=0.0, random_state=0)
    seconds, cpu_seconds = run(method, x)
    print(seconds, cpu_seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def load1():
    return open("/proc/loadavg").read().split()[0]


def measure(cap, sizes, methods, max_gib):
    rows = {}
    if OUT.exists():
        for line in OUT.read_text().splitlines()[1:]:
            f = line.split(",")
            rows[(f[1], int(f[2]))] = line
    for method in methods:
        over = any(k[0] == method and ("timeout" in v) for k, v in rows.items())
        for n in sizes:
            load = load1()
            if over:
                status, s, c, mib = "skipped", "", "", ""
            elif method in SQUARE and 2 * n * n * 8 / 1e9 > max_gib:
                status, s, c, mib = "skipped-memory", "", "", ""
            else:
                try:
                    out = subprocess.run(
                        [sys.executable, __file__, "--child", method, str(n)],
                        capture_output=True, text=True, timeout=cap,
                    )
                    if out.returncode == 0:
                        sec, cs, kib = out.stdout.split()[-3:]
                        status, s, mib = "ok", f"{float(sec):.4f}", f"{int(kib) / 1024:.1f}"
                        c = f"{float(cs):.2f}"
                        over = float(sec) > cap
                    else:
                        status, s, c, mib = f"failed ({out.returncode})", "", "", ""
                        print(out.stderr[-2000:], file=sys.stderr)
                except subprocess.TimeoutExpired:
                    status, s, c, mib, over = "timeout", f"{cap:.4f}", "", "", True
            line = f"reference,{method},{n},{s},{c},{mib},{status},{load}"
            print(line, flush=True)
            rows[(method, n)] = line
            OUT.parent.mkdir(parents=True, exist_ok=True)
            order = sorted(rows, key=lambda k: (METHODS.index(k[0]), k[1]))
            OUT.write_text(HEADER + "\n" + "".join(rows[k] + "\n" for k in order))


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]))
        return
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cap", type=float, default=300.0)
    p.add_argument("--sizes", default=",".join(map(str, SIZES)))
    p.add_argument("--methods", default=",".join(METHODS))
    p.add_argument("--max-gib", type=float, default=16.0)
    a = p.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "2")
    measure(a.cap, [int(s) for s in a.sizes.split(",")], a.methods.split(","), a.max_gib)


if __name__ == "__main__":
    main()
