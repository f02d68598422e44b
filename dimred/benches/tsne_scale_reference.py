"""Reference timings for t-SNE at scale (issue 18): openTSNE's FFT-interpolated and
Barnes-Hut gradients on the same CSV file our `dimred --method tsne` reads, and the
trustworthiness of every embedding on one fixed subsample.

Optional for users: it needs numpy, scikit-learn and openTSNE (`pip install openTSNE
scikit-learn`). `dimred/benches/tsne_scale.sh` runs ours and this script in one command; it
can also be run alone:

    python3 dimred/benches/tsne_scale_reference.py DATA.csv [--ours OURS.csv] [--skip-bh]

DATA.csv: numeric feature columns and a last column `label` (as `dimred -o` writes them).
OURS.csv: our embedding of the same rows (columns y1, y2, label); its trustworthiness is
computed here by the same function on the same subsample, so the two numbers compare.

openTSNE runs with perplexity 30, two threads (n_jobs=2), PCA initialisation, seed 0 and
1000 iterations in total, as ours does: 250 of early exaggeration (12) and 750 more (its own
default is 250 + 500). Only the fit is timed (wall clock, `time.perf_counter`), not the import
or reading the file. Its nearest neighbours come from its default for this N (Annoy, an
approximate method); ours are exact.

Trustworthiness (scikit-learn's definition, k = 5 neighbours) is computed on the rows
0, 10, 20, ... of a 2000-row subsample taken every N / 2000 rows: the O(n^2) ranks of the full
N = 20 000 would take longer than the fits.
"""
import argparse
import time

import numpy as np
from sklearn.manifold import trustworthiness

SUBSAMPLE = 2000
QUALITY_K = 5


def read_features(path):
    """The numeric columns of a dimred CSV file (the header names them; `label` is skipped)."""
    with open(path) as f:
        header = f.readline().strip().split(",")
    cols = [i for i, name in enumerate(header) if name != "label"]
    return np.loadtxt(path, delimiter=",", skiprows=1, usecols=cols)


def subsample_trustworthiness(x, y):
    """Trustworthiness of y for x on every (N / 2000)-th row: the same rows for every method."""
    step = max(1, len(x) // SUBSAMPLE)
    rows = np.arange(0, len(x), step)[:SUBSAMPLE]
    return trustworthiness(x[rows], y[rows], n_neighbors=QUALITY_K)


def time_opentsne(x, method):
    from openTSNE import TSNE

    tsne = TSNE(
        perplexity=30,
        n_jobs=2,
        random_state=0,
        negative_gradient_method=method,
        early_exaggeration_iter=250,
        n_iter=750,
    )
    t0 = time.perf_counter()
    y = np.asarray(tsne.fit(x))
    return time.perf_counter() - t0, y


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data")
    ap.add_argument("--ours", help="our embedding of the same rows (CSV)")
    ap.add_argument("--skip-bh", action="store_true", help="time only openTSNE's FFT gradient")
    args = ap.parse_args()
    x = read_features(args.data)
    print(f"data: {args.data}, N = {x.shape[0]}, D = {x.shape[1]}")
    if args.ours:
        y = read_features(args.ours)
        print(f"ours: T({QUALITY_K}) = {subsample_trustworthiness(x, y):.4f} on {SUBSAMPLE} rows")
    for method in ["fft"] + ([] if args.skip_bh else ["bh"]):
        t, y = time_opentsne(x, method)
        tw = subsample_trustworthiness(x, y)
        print(f"openTSNE {method}: {t:.2f} s, T({QUALITY_K}) = {tw:.4f} on {SUBSAMPLE} rows")


if __name__ == "__main__":
    main()
