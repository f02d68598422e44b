"""Reference timings for dimred/benches/embeddings.rs (issue 5), on the same data:
digits (raw pixels, N = 1797) and a swiss roll of N = 2000.

scikit-learn t-SNE (Barnes-Hut, perplexity 30, 1000 iterations, PCA init), openTSNE (if
installed, both cores), scikit-learn SMACOF (300 iterations, one random init, eps = 0 so all
300 run) and SpectralEmbedding (k-NN affinity). Median wall time of a few runs, and
trustworthiness (k = 10) for t-SNE.

Our swiss roll comes from dimred's own generator (seed 0), so the points differ from
scikit-learn's make_swiss_roll; the sizes and the shape are the same, which is what the timings
depend on. Run: python3 dimred/benches/embeddings_reference.py
"""
import time

import numpy as np
from sklearn.datasets import load_digits, make_swiss_roll
from sklearn.manifold import TSNE, SpectralEmbedding, smacof, trustworthiness
from sklearn.metrics import pairwise_distances


def median_time(f, runs=3):
    times, out = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t0)
    return float(np.median(times)), out


def main():
    data = {
        "digits": load_digits().data.astype(float),
        "swiss_roll": make_swiss_roll(2000, noise=0.0, random_state=0)[0],
    }
    for name, x in data.items():
        t, y = median_time(
            lambda: TSNE(perplexity=30, max_iter=1000, init="pca", random_state=0).fit_transform(x)
        )
        print(f"sklearn t-SNE {name}: {t:.2f} s, T(10) = {trustworthiness(x, y, n_neighbors=10):.4f}")
        try:
            from openTSNE import TSNE as OTSNE

            t, y = median_time(lambda: np.asarray(OTSNE(perplexity=30, n_jobs=2, random_state=0).fit(x)))
            print(f"openTSNE {name}: {t:.2f} s, T(10) = {trustworthiness(x, y, n_neighbors=10):.4f}")
        except ImportError:
            print("openTSNE not installed")
        d = pairwise_distances(x)
        t, _ = median_time(
            lambda: smacof(d, n_components=2, n_init=1, max_iter=300, eps=0.0, random_state=0,
                           normalized_stress=False),
            runs=1,
        )
        print(f"sklearn SMACOF 300 iterations {name}: {t:.2f} s")
        t, _ = median_time(lambda: SpectralEmbedding(n_components=2, random_state=0).fit_transform(x))
        print(f"sklearn SpectralEmbedding {name}: {t * 1000:.0f} ms")


if __name__ == "__main__":
    main()
