#!/usr/bin/env bash
# t-SNE at scale (issue 18) in one command: our `dimred --method tsne` and openTSNE (FFT and
# Barnes-Hut, two threads) on the same CSV file, with wall and CPU times, their ratios, and the
# trustworthiness of every embedding on one fixed 2000-row subsample.
#
#   dimred/benches/tsne_scale.sh            # N = 20 000 blobs in 10-D, perplexity 30, 1000 iterations
#   N=5000 SKIP_BH=1 dimred/benches/tsne_scale.sh
#
# Needs python3 with numpy, scikit-learn and openTSNE (`pip install openTSNE scikit-learn`);
# see dimred/benches/tsne_scale_reference.py. Outputs go to target/tsne_scale/.
#
# The data: `dimred --dataset blobs` (4 Gaussian blobs in 10-D), written to CSV through PCA with
# all 10 components, i.e. centred and rotated onto the principal axes. That is an isometry, so
# the neighbours, P and trustworthiness are those of the generated points, and both programs
# read exactly the same numbers. Our time is the whole `dimred` process (reading 20 000 rows
# and writing the embedding included, a few ms); openTSNE's is its `fit` alone.
#
# The machine may be shared: the load average is printed before and after, and the ratios
# (ours / openTSNE, wall and CPU) are the figures to quote.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-20000}
OUT=target/tsne_scale
mkdir -p "$OUT"
cargo build --release -q -p dimred --bin dimred
DIMRED=target/release/dimred
"$DIMRED" --dataset blobs --n-samples "$N" --method pca -d 10 --no-quality \
    -o "$OUT/blobs.csv" >/dev/null
echo "load before: $(uptime)"
TIMEFORMAT='%R %U %S'
{ time "$DIMRED" --input "$OUT/blobs.csv" --label-column label --method tsne --perplexity 30 \
    --max-iter 1000 --no-quality -o "$OUT/ours.csv" >"$OUT/ours.log" 2>&1; } 2>"$OUT/ours.time"
read -r WALL USER SYS <"$OUT/ours.time"
python3 dimred/benches/tsne_scale_reference.py "$OUT/blobs.csv" --ours "$OUT/ours.csv" \
    --ours-wall "$WALL" --ours-cpu "$(python3 -c "print($USER + $SYS)")" ${SKIP_BH:+--skip-bh}
echo "load after: $(uptime)"
