"""ARPACK reference for `cargo bench -p linalg --bench topk` (la.eig.top-k).

Builds the same RBF Gram matrix as linalg/benches/topk.rs: N = 2000 points of the R3
sequence x_i = frac(0.5 + i (1/g, 1/g^2, 1/g^3)), i = 1..N, g = 1.2207440846057596
(bit-identical in both languages: one product, one sum, a floor), K_ij = exp(-10 ||x_i - x_j||^2),
and times scipy.sparse.linalg.eigsh(K, k=2) (ARPACK, Lanczos with implicit restarts) with its
default tolerance (machine precision) and with tol=1e-10 (our default), plus one product K @ x,
once with OpenBLAS's default threads (2 on the reference machine) and once limited to one thread
(our solver is single-threaded). Prints the best and the median of the repetitions. Run it in the same command as the Rust bench
so both see the same machine load:

    cargo bench -p linalg --bench topk && python3 linalg/benches/topk_reference.py
"""

import statistics
import time

import numpy as np
import scipy.sparse.linalg as sla
from threadpoolctl import threadpool_info, threadpool_limits

N = 2000
GAMMA = 10.0
REPEATS = 20


def rbf_gram(n):
    g = 1.2207440846057596
    alpha = np.array([1.0 / g, 1.0 / (g * g), 1.0 / (g * g * g)])
    v = 0.5 + np.arange(1, n + 1, dtype=float)[:, None] * alpha[None, :]
    x = v - np.floor(v)
    # Differences, as Matrix::pairwise_sq_distances computes them.
    d2 = ((x[:, None, :] - x[None, :, :]) ** 2).sum(axis=-1)
    return np.exp(-GAMMA * d2)


def timed(f):
    times = []
    for _ in range(REPEATS):
        t = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t)
    return min(times), statistics.median(times), out


def run(k, threads):
    for label, kwargs in [("default tol", {}), ("tol=1e-10", {"tol": 1e-10})]:
        count = [0]

        def matvec(x):
            count[0] += 1
            return k @ x

        op = sla.LinearOperator((N, N), matvec=matvec, dtype=float)
        sla.eigsh(op, k=2, **kwargs)
        best, median, (w, _) = timed(lambda: sla.eigsh(k, k=2, **kwargs))
        print(
            f"scipy eigsh(K, k=2, {label}) N={N} [{threads}]: best {best * 1e3:.2f} ms, "
            f"median {median * 1e3:.2f} ms, {count[0]} products, "
            f"lambda = {w[1]:.12e}, {w[0]:.12e}"
        )
    x = np.sin(np.arange(N, dtype=float))
    best, median, _ = timed(lambda: k @ x)
    print(f"numpy K @ x N={N} [{threads}]: best {best * 1e3:.3f} ms, median {median * 1e3:.3f} ms")


def main():
    k = rbf_gram(N)
    blas_threads = max(i["num_threads"] for i in threadpool_info())
    run(k, f"{blas_threads} BLAS threads")
    with threadpool_limits(limits=1):
        run(k, "1 BLAS thread")


if __name__ == "__main__":
    main()
