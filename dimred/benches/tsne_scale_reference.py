"""Reference timings for t-SNE at scale (issue 18): openTSNE's FFT-interpolated and
Barnes-Hut gradients on the same CSV file our `dimred --method tsne` reads, and the
trustworthiness of every embedding on one fixed subsample.

Optional for users: it needs numpy, scikit-learn and openTSNE (`pip install openTSNE
scikit-learn`). `dimred/benches/tsne_scale.sh` runs ours and this script in one command; it
can also be run alone:

    python3 dimred/benches/tsne_scale_reference.py DATA.csv [--ours OURS.csv]
        [--ours-wall SECONDS --ours-cpu SECONDS] [--skip-bh]

DATA.csv: numeric feature columns and a last column `label` (as `dimred -o` writes them).
OURS.csv: our embedding of the same rows (columns y1, y2, label); its trustworthiness is
computed here by the same function on the same subsample, so the two numbers compare.
--ours-wall and --ours-cpu: our measured times, printed beside openTSNE's with the ratios.

openTSNE runs with perplexity 30, two threads (n_jobs=2), PCA initialisation, seed 0 and
1000 iterations in total, as ours does: 250 of early exaggeration (12) and 750 more (its own
default is 250 + 500). Only the fit is timed (wall clock, `time.perf_counter`), not the import
or reading the file; CPU time is `time.process_time` (all threads of the process). Its nearest neighbours come from its default for this N (Annoy, an
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


def seconds(v):
    """A time in a column of 8, or '-' when not given."""
    return f"{v:8.2f}" if v is not None else f"{'-':>8}"


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
    t0, c0 = time.perf_counter(), time.process_time()
    y = np.asarray(tsne.fit(x))
    return time.perf_counter() - t0, time.process_time() - c0, y


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data")
    ap.add_argument("--ours", help="our embedding of the same rows (CSV)")
    ap.add_argument("--ours-wall", type=float, help="our wall time (s)")
    ap.add_argument("--ours-cpu", type=float, help="our CPU time, user + sys (s)")
    ap.add_argument("--skip-bh", action="store_true", help="time only openTSNE's FFT gradient")
    args = ap.parse_args()
    x = read_features(args.data)
    print(f"data: {args.data}, N = {x.shape[0]}, D = {x.shape[1]}")
    rows = []
    if args.ours:
        y = read_features(args.ours)
        rows.append(("ours (dimred)", args.ours_wall, args.ours_cpu, subsample_trustworthiness(x, y)))
    for method in ["fft"] + ([] if args.skip_bh else ["bh"]):
        wall, cpu, y = time_opentsne(x, method)
        rows.append((f"openTSNE {method}", wall, cpu, subsample_trustworthiness(x, y)))
    print(f"{'':16} {'wall s':>8} {'CPU s':>8} {f'T({QUALITY_K})':>7}  (T on {SUBSAMPLE} rows)")
    for name, wall, cpu, tw in rows:
        print(f"{name:16} {seconds(wall)} {seconds(cpu)} {tw:7.4f}")
    if args.ours and args.ours_wall is not None:
        for name, wall, cpu, _ in rows[1:]:
            print(f"ours / {name}: wall {args.ours_wall / wall:.3f}, CPU {args.ours_cpu / cpu:.3f}")


if __name__ == "__main__":
    main()
